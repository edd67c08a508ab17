package io.github.bpf2java.ebpf.junit;

import io.github.bpf2java.ebpf.BpfFeatures;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Checks {@link RequiresKernel}, {@link RequiresProgramType} and {@link RequiresCapability} before each test (and
 * before all tests of an annotated class). An unmet requirement aborts the test, which reports it as skipped; in
 * strict mode it fails the test instead.
 */
public final class KernelRequirements implements BeforeAllCallback, BeforeEachCallback {
    /** The environment variable that makes unmet requirements failures: {@code EBPF_REQUIRE_KERNEL=1}. */
    public static final String STRICT_ENVIRONMENT = "EBPF_REQUIRE_KERNEL";
    /** The system property or JUnit configuration parameter that does the same: {@code ebpf.requireKernel=true}. */
    public static final String STRICT_PROPERTY = "ebpf.requireKernel";

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().ifPresent(type -> check(type, context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestClass().ifPresent(type -> check(type, context));
        context.getTestMethod().ifPresent(method -> check(method, context));
    }

    /**
     * Whether unmet requirements fail rather than skip: the JUnit configuration parameter (or system property)
     * {@code ebpf.requireKernel} when it is set, since an explicit setting wins; else the environment variable
     * {@code EBPF_REQUIRE_KERNEL} ({@code 1} or {@code true}).
     */
    public static boolean strict(ExtensionContext context) {
        // JUnit falls back to system properties for configuration parameters.
        Optional<String> configured = context.getConfigurationParameter(STRICT_PROPERTY);
        if (configured.isPresent()) {
            return Boolean.parseBoolean(configured.get());
        }
        String env = System.getenv(STRICT_ENVIRONMENT);
        return env != null && (env.equals("1") || env.equalsIgnoreCase("true"));
    }

    private static void check(AnnotatedElement element, ExtensionContext context) {
        List<String> unmet = new ArrayList<>();
        AnnotationSupport.findAnnotation(element, RequiresKernel.class)
                .flatMap(kernel -> kernelUnmet(kernel.value())).ifPresent(unmet::add);
        AnnotationSupport.findAnnotation(element, RequiresCapability.class).ifPresent(caps -> {
            for (Capability capability : caps.value()) {
                if (!capability.held()) {
                    unmet.add("needs CAP_" + capability + ", which this process does not hold (run as root or"
                            + " grant it, e.g. setcap / docker --cap-add " + capability + ")");
                }
            }
        });
        AnnotationSupport.findAnnotation(element, RequiresProgramType.class).ifPresent(types -> {
            for (ProgramType type : types.value()) {
                programTypeUnmet(type).ifPresent(unmet::add);
            }
        });
        if (unmet.isEmpty()) {
            return;
        }
        String reason = String.join("; ", unmet);
        if (strict(context)) {
            Assertions.fail("kernel requirement unmet in strict mode (" + STRICT_ENVIRONMENT + "=1 or "
                    + STRICT_PROPERTY + "=true): " + reason);
        }
        throw new TestAbortedException("skipped: " + reason + " (set " + STRICT_ENVIRONMENT
                + "=1 to make this a failure)");
    }

    private static Optional<String> kernelUnmet(String required) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.of("needs Linux " + required + ", this is " + System.getProperty("os.name"));
        }
        String running = System.getProperty("os.version", "");
        if (compare(running, required) < 0) {
            return Optional.of("needs Linux " + required + " or later, this kernel is " + running);
        }
        return Optional.empty();
    }

    private static Optional<String> programTypeUnmet(ProgramType type) {
        try {
            return BpfFeatures.supports(type) ? Optional.empty()
                    : Optional.of("the kernel does not load " + type + " programs");
        } catch (PermissionException e) {
            return Optional.of("cannot tell whether the kernel loads " + type + " programs: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("cannot load BPF programs here (" + e + ")");
        }
    }

    /** Compares dotted release numbers by their leading numeric parts: "6.18.0-1-amd64" vs "5.15". */
    static int compare(String running, String required) {
        int[] a = numbers(running);
        int[] b = numbers(required);
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    private static int[] numbers(String release) {
        int[] out = new int[3];
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?")
                .matcher(release.trim());
        if (m.find()) {
            for (int i = 0; i < 3; i++) {
                out[i] = m.group(i + 1) == null ? 0 : Integer.parseInt(m.group(i + 1));
            }
        }
        return out;
    }
}

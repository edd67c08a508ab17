package io.github.bpf2java.ebpf.junit;

import io.github.bpf2java.ebpf.BpfFeatures;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.io.File;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Checks {@link RequiresKernel}, {@link RequiresProgramType}, {@link RequiresCapability} and {@link RequiresTool} on
 * a test class and on each test method. An unmet requirement skips what it is on, as a disabled test with the reason, so a class whose
 * requirement is unmet shows in the build's report as skipped, saying why; in strict mode the test fails instead.
 */
public final class KernelRequirements implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {
    /** The environment variable that makes unmet requirements failures: {@code EBPF_REQUIRE_KERNEL=1}. */
    public static final String STRICT_ENVIRONMENT = "EBPF_REQUIRE_KERNEL";
    /** The system property or JUnit configuration parameter that does the same: {@code ebpf.requireKernel=true}. */
    public static final String STRICT_PROPERTY = "ebpf.requireKernel";

    /**
     * Skips the class or method whose requirements are unmet. In strict mode everything runs, and the callbacks
     * below fail what cannot run.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (strict(context)) {
            return ConditionEvaluationResult.enabled("strict mode: unmet requirements fail");
        }
        Optional<String> unmet = context.getElement().flatMap(KernelRequirements::unmet);
        return unmet.map(reason -> ConditionEvaluationResult.disabled("skipped: " + reason + " (set "
                + STRICT_ENVIRONMENT + "=1 to make this a failure)"))
                .orElseGet(() -> ConditionEvaluationResult.enabled("kernel requirements met"));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getTestClass().ifPresent(type -> failIfUnmet(type, context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getTestClass().ifPresent(type -> failIfUnmet(type, context));
        context.getTestMethod().ifPresent(method -> failIfUnmet(method, context));
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

    /** In strict mode, fails when {@code element}'s requirements are unmet (outside it, the condition skipped it). */
    private static void failIfUnmet(AnnotatedElement element, ExtensionContext context) {
        if (strict(context)) {
            unmet(element).ifPresent(reason -> Assertions.fail("kernel requirement unmet in strict mode ("
                    + STRICT_ENVIRONMENT + "=1 or " + STRICT_PROPERTY + "=true): " + reason));
        }
    }

    /** What {@code element}'s requirement annotations ask for and this machine lacks, if anything. */
    private static Optional<String> unmet(AnnotatedElement element) {
        List<String> unmet = new ArrayList<>();
        AnnotationSupport.findAnnotation(element, RequiresKernel.class)
                .flatMap(kernel -> kernelUnmet(kernel.value())).ifPresent(unmet::add);
        boolean[] capabilityMissing = {false};
        AnnotationSupport.findAnnotation(element, RequiresCapability.class).ifPresent(caps -> {
            for (Capability capability : caps.value()) {
                if (!capability.held()) {
                    capabilityMissing[0] = true;
                    unmet.add("needs CAP_" + capability + ", which this process does not hold (run as root or"
                            + " grant it, e.g. setcap / docker --cap-add " + capability + ")");
                }
            }
        });
        // With a capability missing, asking the kernel about program types only repeats why (a long EPERM hint).
        AnnotationSupport.findAnnotation(element, RequiresProgramType.class).filter(types -> !capabilityMissing[0])
                .ifPresent(types -> {
                    for (ProgramType type : types.value()) {
                        programTypeUnmet(type).ifPresent(unmet::add);
                    }
                });
        AnnotationSupport.findAnnotation(element, RequiresTool.class).ifPresent(tools -> {
            for (String tool : tools.value()) {
                if (onPath(tool).isEmpty()) {
                    unmet.add("needs the program '" + tool + "', which is not an executable on the PATH ("
                            + System.getenv().getOrDefault("PATH", "no PATH set") + ")");
                }
            }
        });
        return unmet.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", unmet));
    }

    /** Where a shell would find {@code tool}: the first executable of that name in a {@code PATH} directory. */
    static Optional<Path> onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, tool);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
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

package io.github.bpf2java.ebpf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpf2java.ebpf.internal.bpf.MapCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.spec.MapType;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Preconditions of tests that need the real kernel or system tools. A test whose precondition does not hold is
 * skipped with the reason, unless the environment variable {@code EBPF_REQUIRE_KERNEL=1} is set (as on CI machines
 * that are meant to run everything): then it fails, so a broken environment cannot pass silently.
 */
public final class KernelSupport {
    /** The environment variable that turns skips into failures. */
    public static final String REQUIRE_KERNEL = "EBPF_REQUIRE_KERNEL";

    private KernelSupport() {}

    /** Whether skips are failures in this run. */
    public static boolean kernelRequired() {
        return "1".equals(System.getenv(REQUIRE_KERNEL));
    }

    /** Skips (or fails) unless this process can create BPF maps. */
    public static void assumeBpf() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            skip("BPF needs Linux; this is " + System.getProperty("os.name"));
        }
        try {
            MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 4, 1).name("probe").build()).close();
        } catch (Throwable t) {
            skip("BPF is unavailable to this process: " + t);
        }
    }

    /** Skips (or fails) unless the process runs as root (needed to mount, to drop privileges, ...). */
    public static void assumeRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Integer.valueOf(0).equals(uid)) {
                skip("this test needs root; running as uid " + uid);
            }
        } catch (Exception e) {
            skip("cannot tell whether this process is root: " + e);
        }
    }

    /** Skips (or fails) unless {@code tool} is an executable on the {@code PATH}. */
    public static Path assumeTool(String tool) {
        Optional<Path> found = findTool(tool);
        assume(found.isPresent(), "the tool '" + tool + "' is not on the PATH");
        return found.orElseThrow();
    }

    /** {@code tool} as found on the {@code PATH}, if it is there. */
    public static Optional<Path> findTool(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Skips (or fails) with {@code reason} unless {@code condition} holds. */
    public static void assume(boolean condition, String reason) {
        if (!condition) {
            skip(reason);
        }
    }

    private static void skip(String reason) {
        if (kernelRequired()) {
            fail(reason + " (a failure, not a skip, because " + REQUIRE_KERNEL + "=1)");
        }
        Assumptions.abort(reason);
    }
}

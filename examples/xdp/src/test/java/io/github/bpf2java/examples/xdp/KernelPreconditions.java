package io.github.bpf2java.examples.xdp;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What the kernel tests need: Linux, root (to load BPF programs and read tracefs) and a few tools. A test whose
 * precondition does not hold is skipped with the reason, unless {@code EBPF_REQUIRE_KERNEL=1} is set (as on CI):
 * then it fails, so a machine that cannot run it does not pass silently.
 */
final class KernelPreconditions {
    private KernelPreconditions() {}

    /** Skips (or fails) unless this is Linux and the process runs as root. */
    static void requireRootOnLinux() {
        String os = System.getProperty("os.name", "");
        require(os.toLowerCase(Locale.ROOT).contains("linux"), "BPF needs Linux; this is " + os);
        Object uid;
        try {
            uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (Exception e) {
            uid = "unknown (" + e + ")";
        }
        require(Integer.valueOf(0).equals(uid), "loading BPF programs needs root; running as uid " + uid);
    }

    /** Skips (or fails) unless {@code tool} is an executable on the {@code PATH}; returns it. */
    static Path requireTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        require(false, "the tool '" + tool + "' is not on the PATH");
        throw new AssertionError("unreachable");
    }

    private static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
            Assertions.fail(reason + " (a failure, not a skip, because EBPF_REQUIRE_KERNEL=1)");
        }
        Assumptions.abort(reason);
    }
}

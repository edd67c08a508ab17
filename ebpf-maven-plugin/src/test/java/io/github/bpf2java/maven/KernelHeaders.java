package io.github.bpf2java.maven;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Dumps the running kernel's BTF as {@code vmlinux.h}, or skips (fails under {@code EBPF_REQUIRE_KERNEL=1}). */
public final class KernelHeaders {

    private KernelHeaders() {}

    /** Writes {@code vmlinux.h} to {@code file}. */
    public static void dumpVmlinuxHeader(Path file) throws Exception {
        Optional<Path> bpftool = ExecutableSearch.ofEnvironment().find("bpftool")
                .or(() -> Optional.of(Path.of("/usr/sbin/bpftool")).filter(Files::isExecutable));
        Path btf = Path.of("/sys/kernel/btf/vmlinux");
        String missing = bpftool.isEmpty() ? "bpftool is not installed (apt-get install bpftool)"
                : !Files.isReadable(btf) ? "the kernel exposes no BTF at " + btf : null;
        if (missing != null) {
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                fail("EBPF_REQUIRE_KERNEL=1 but " + missing);
            }
            assumeTrue(false, missing);
        }
        Files.createDirectories(file.getParent());
        ProcessRunner.Result result = new ProcessRunner().run(List.of("/bin/sh", "-c",
                "'" + bpftool.get() + "' btf dump file " + btf + " format c > '" + file + "'"), file.getParent());
        if (!result.succeeded()) {
            fail("bpftool could not dump " + btf + ": " + result.output());
        }
    }
}

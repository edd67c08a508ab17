package io.github.bpf2java.maven.vmlinux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CO-RE program compiled against the {@code vmlinux.h} written from the running kernel's BTF loads into that kernel
 * and reads what it should: its own process's ids through {@code task_struct} (two levels deep, through
 * {@code real_parent}) and the path of a file Java opens, through the tracepoint context's {@code args}, all as CO-RE
 * relocations the loader resolves against the kernel's BTF. Compiled by every installed clang.
 */
class VmlinuxCoreProgramTest {
    @TempDir
    Path dir;

    @Test
    void coreProgramCompiledAgainstTheWrittenHeaderSeesItsOwnOpen() throws Exception {
        assumeKernel();
        Path header = dir.resolve("include/vmlinux.h");
        VmlinuxHeaderFile.update(VmlinuxHeaderFile.KERNEL_BTF, header);
        Path source = TestProject.FIXTURES.resolve("vmlinux/core_openat.c");
        List<Path> compilers = VmlinuxHeaderWriterTest.compilers();
        assertTrue(!compilers.isEmpty(), "no clang installed");
        for (int i = 0; i < compilers.size(); i++) {
            Path object = dir.resolve("core_openat-" + i + ".o");
            List<String> command = new ArrayList<>(List.of(compilers.get(i).toString(), "-target", "bpf",
                    "-D__TARGET_ARCH_x86", "-O2", "-g", "-Wall", "-Werror", "-I", header.getParent().toString(), "-c",
                    source.toString(), "-o", object.toString()));
            Path multiarch = Path.of("/usr/include/" + System.getProperty("os.arch").replace("amd64", "x86_64")
                    + "-linux-gnu");
            if (Files.isDirectory(multiarch)) {
                command.add("-I" + multiarch);
            }
            ProcessRunner.Result compiled = new ProcessRunner().run(command, dir);
            assertTrue(compiled.succeeded(), compilers.get(i) + ":\n" + compiled.output());
            checkOpenSeen(compilers.get(i), object);
        }
    }

    private void checkOpenSeen(Path clang, Path object) throws Exception {
        ObjectSpec spec = ObjectSpec.read("core_openat", Files.readAllBytes(object));
        long pid = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        Path opened = Files.writeString(dir.resolve("opened-by-" + pid + ".txt"), "x");
        try (BpfObject bpf = BpfObject.load(spec)) {
            bpf.variable("target_tgid").setInt((int) pid);
            try (BpfLink link = bpf.program("on_openat").attach()) {
                for (int i = 0; i < 50 && bpf.variable("opens").getLong() == 0; i++) {
                    Files.readAllBytes(opened);
                    Thread.sleep(10);
                }
            }
            assertTrue(bpf.variable("opens").getLong() > 0, clang + ": the program saw no openat of this process");
            assertEquals(pid, bpf.variable("seen_tgid").getInt(), clang + ": task_struct.tgid");
            assertEquals(parent, bpf.variable("seen_parent_tgid").getInt(), clang + ": real_parent->tgid");
            byte[] path = bpf.variable("seen_path").get();
            int end = 0;
            while (end < path.length && path[end] != 0) {
                end++;
            }
            // The last open before the counter was read is ours, or another of this JVM's threads' (class loading).
            String seen = new String(path, 0, end, StandardCharsets.UTF_8);
            assertTrue(seen.startsWith("/"), clang + ": openat's filename argument, read through ctx->args[1]: "
                    + seen);
        }
    }

    private static void assumeKernel() throws Exception {
        String missing = null;
        if (!Files.isReadable(VmlinuxHeaderFile.KERNEL_BTF)) {
            missing = "the kernel exposes no BTF at " + VmlinuxHeaderFile.KERNEL_BTF;
        } else if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
            missing = "loading BPF programs needs root";
        } else if (!Files.isReadable(Path.of("/usr/include/bpf/bpf_helpers.h"))) {
            missing = "libbpf's headers are not installed (apt-get install libbpf-dev)";
        }
        if (missing != null) {
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                fail("EBPF_REQUIRE_KERNEL=1 but " + missing);
            }
            assumeTrue(false, missing);
        }
    }
}

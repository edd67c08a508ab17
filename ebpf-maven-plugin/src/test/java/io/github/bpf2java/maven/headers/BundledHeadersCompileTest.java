package io.github.bpf2java.maven.headers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.maven.KernelHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every header fixture compiles with the plugin's headers alone (libbpf's hidden), with every installed clang,
 * without a single diagnostic under {@code -Wall}; the architecture-dependent ones for every {@code __TARGET_ARCH_}.
 */
class BundledHeadersCompileTest {
    private static final List<String> ARCHITECTURES =
            List.of("x86", "arm64", "arm", "s390", "riscv", "powerpc", "mips", "loongarch", "sparc");

    @TempDir
    Path dir;

    @Test
    void byteOrderFixturesCompileWithoutWarningsForBothByteOrders() throws Exception {
        IsolatedHeaderCompiler compiler = isolated();
        List<String> problems = new ArrayList<>();
        for (Path clang : IsolatedHeaderCompiler.installedClangs()) {
            for (String fixture : List.of("printk.c", "xdp.c", "usdt.c", "map_definitions.c", "no_global_data.c")) {
                for (String target : List.of("bpfel", "bpfeb")) {
                    check(problems, clang + " " + fixture + " " + target, compiler.compile(clang,
                            IsolatedHeaderCompiler.FIXTURES.resolve(fixture), target, Optional.empty(), List.of(),
                            dir.resolve("out").resolve(clang.getFileName() + "-" + target + "-" + fixture + ".o")));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void probeFixtureCompilesWithoutWarningsForEveryArchitecture() throws Exception {
        IsolatedHeaderCompiler compiler = isolated();
        List<String> problems = new ArrayList<>();
        for (Path clang : IsolatedHeaderCompiler.installedClangs()) {
            for (String arch : ARCHITECTURES) {
                String target = List.of("s390", "sparc").contains(arch) ? "bpfeb" : "bpfel";
                check(problems, clang + " probes.c " + arch, compiler.compile(clang,
                        IsolatedHeaderCompiler.FIXTURES.resolve("probes.c"), target, Optional.of(arch), List.of(),
                        dir.resolve("out").resolve(clang.getFileName() + "-" + arch + "-probes.o")));
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void coreFixtureCompilesAgainstTheKernelsVmlinuxHeaderWithoutWarnings() throws Exception {
        Path vmlinux = dir.resolve("vmlinux/vmlinux.h");
        KernelHeaders.dumpVmlinuxHeader(vmlinux);
        IsolatedHeaderCompiler compiler = isolated();
        List<String> problems = new ArrayList<>();
        for (Path clang : IsolatedHeaderCompiler.installedClangs()) {
            check(problems, clang + " core.c", compiler.compile(clang,
                    IsolatedHeaderCompiler.FIXTURES.resolve("core.c"),
                    "bpfel", Optional.empty(), List.of(vmlinux.getParent()),
                    dir.resolve("out").resolve(clang.getFileName() + "-core.o")));
        }
        assertEquals(List.of(), problems);
    }

    /**
     * The runtime's test fixtures were written against libbpf's headers; they compile with the plugin's alone.
     */
    @Test
    void everyRuntimeFixtureCompilesWithThePluginsHeadersAlone() throws Exception {
        Path fixtures = Path.of("../ebpf-runtime/src/test/bpf").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(fixtures), "no runtime fixtures at " + fixtures);
        Path vmlinux = dir.resolve("vmlinux/vmlinux.h");
        KernelHeaders.dumpVmlinuxHeader(vmlinux);
        IsolatedHeaderCompiler compiler = isolated();
        List<String> problems = new ArrayList<>();
        int compiled = 0;
        List<Path> sources;
        try (Stream<Path> files = Files.list(fixtures)) {
            sources = files.filter(f -> f.toString().endsWith(".c")).sorted().toList();
        }
        for (Path clang : IsolatedHeaderCompiler.installedClangs()) {
            for (Path source : sources) {
                String text = Files.readString(source);
                Optional<String> arch = text.contains("bpf_tracing.h") ? Optional.of("x86") : Optional.empty();
                check(problems, clang + " " + source.getFileName(), compiler.compile(clang, source, "bpfel", arch,
                        List.of(vmlinux.getParent(), fixtures, fixtures.resolve("include")),
                        dir.resolve("out").resolve(clang.getFileName() + "-" + source.getFileName() + ".o")));
                compiled++;
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(compiled >= 20, "compiled " + compiled + " runtime fixtures");
    }

    @Test
    void probeMacrosWithoutAnArchitectureFailWithTheFix() throws Exception {
        IsolatedHeaderCompiler compiler = isolated();
        Path clang = IsolatedHeaderCompiler.installedClangs().get(0);
        IsolatedHeaderCompiler.Compiled compiled = compiler.compile(clang,
                IsolatedHeaderCompiler.FIXTURES.resolve("probes.c"), "bpfel", Optional.empty(), List.of(),
                dir.resolve("noarch.o"));
        assertTrue(compiled.object().isEmpty(), "compiled without __TARGET_ARCH_");
        assertTrue(compiled.diagnostics().contains("Must specify a BPF target arch via __TARGET_ARCH_"),
                "the words per-source target detection looks for: " + compiled.diagnostics());
        assertTrue(compiled.diagnostics().contains("PT_REGS_* and BPF_KPROBE need the target architecture"),
                compiled.diagnostics());
        assertTrue(compiled.diagnostics().contains("e.g. amd64 or arm64"), compiled.diagnostics());
    }

    @Test
    void anArgumentTheArchitecturePassesOnTheStackFailsToCompileWithTheReason() throws Exception {
        IsolatedHeaderCompiler compiler = isolated();
        Path source = Files.writeString(dir.resolve("seven.c"), """
                #include <linux/types.h>
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                #include <bpf/bpf_tracing.h>
                SEC("kprobe/f")
                int BPF_KPROBE(f, int a, int b, int c, int d, int e, int g, int h) { return a + h; }
                char LICENSE[] SEC("license") = "GPL";
                """);
        Path clang = IsolatedHeaderCompiler.installedClangs().get(0);
        IsolatedHeaderCompiler.Compiled compiled = compiler.compile(clang, source, "bpfel", Optional.of("x86"),
                List.of(), dir.resolve("seven.o"));
        assertTrue(compiled.object().isEmpty(), "7 register arguments on x86-64");
        assertTrue(compiled.diagnostics().contains("PT_REGS_PARM7: this architecture's calling convention passes"
                + " fewer arguments in registers"), compiled.diagnostics());
    }

    private IsolatedHeaderCompiler isolated;

    private IsolatedHeaderCompiler isolated() throws Exception {
        isolated = new IsolatedHeaderCompiler();
        return isolated;
    }

    @org.junit.jupiter.api.AfterEach
    void removeIncludeCopy() throws Exception {
        if (isolated != null) {
            isolated.close();
        }
    }

    private static void check(List<String> problems, String what, IsolatedHeaderCompiler.Compiled compiled) {
        if (compiled.object().isEmpty() || !compiled.diagnostics().isEmpty()) {
            problems.add(what + ": " + compiled.diagnostics());
        }
    }
}

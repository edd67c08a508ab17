package io.github.bpf2java.maven.vmlinux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.compile.CompilationFailedException;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.generate.BuildResult;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import io.github.bpf2java.maven.generate.GenerateRequest;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ebpf:generate} writes {@code vmlinux.h} itself when a source includes it and the include path has none:
 * from the configured BTF, into {@code target/ebpf/vmlinux}, rewritten (and the sources that include it recompiled)
 * only when the BTF changes; per architecture when BTF files are given per target.
 */
class AutomaticVmlinuxTest {
    /** Uses a struct of the BTF by value; defines SEC itself so that the header is all it includes. */
    private static final String SOURCE = """
            #include "vmlinux.h"
            #define SEC(name) __attribute__((section(name), used))
            struct late copy;
            SEC("xdp") int prog(void *ctx) { return copy.value ? 2 : 1; }
            char LICENSE[] SEC("license") = "GPL";
            """;

    @TempDir
    Path dir;

    @Test
    void writesTheHeaderFromTheGivenBtfAndRecompilesOnlyWhenTheBtfChanges() throws Exception {
        TestProject project = new TestProject(dir.resolve("project"));
        project.write("prog.c", SOURCE);
        GenerateRequest request = withLayoutsBtf(project);
        Path btf = dir.resolve("kernel.btf");

        TestProject.RecordingLog log = new TestProject.RecordingLog();
        assertEquals(1, new GenerateOrchestrator().execute(request, log).compiledSources());
        Path header = project.root().resolve("target/ebpf/vmlinux/vmlinux.h");
        assertTrue(Files.readString(header).contains("struct late {"));
        assertTrue(log.contains("Wrote " + header + " from the BTF of " + btf), log.lines().toString());
        assertEquals(16, lateSize(project, "prog_bpfel.o"));

        FileTime written = Files.getLastModifiedTime(header);
        BuildResult again = new GenerateOrchestrator().execute(request, new TestProject.RecordingLog());
        assertTrue(again.upToDate());
        assertEquals(written, Files.getLastModifiedTime(header), "an unchanged BTF leaves the header alone");

        Files.write(btf, rawBtf(writeC("other.c",
                "struct late { long first; long more; int value; }; struct late v;\n")));
        BuildResult changed = new GenerateOrchestrator().execute(request, new TestProject.RecordingLog());
        assertEquals(1, changed.compiledSources(), "a changed BTF recompiles the source including vmlinux.h");
        assertEquals(24, lateSize(project, "prog_bpfel.o"));
    }

    @Test
    void aSourceWithItsOwnHeaderBesideItLeavesTheOthersTheWrittenOne() throws Exception {
        TestProject project = new TestProject(dir.resolve("project"));
        project.write("prog.c", SOURCE);
        // An older kernel's header kept for one source (libbpf-bootstrap keeps its own): only that source uses it.
        project.write("old/vmlinux.h", "struct only_in_the_old_header { int value; };\n");
        project.write("old/legacy.c", """
                #include "vmlinux.h"
                #define SEC(name) __attribute__((section(name), used))
                struct only_in_the_old_header kept;
                SEC("xdp") int legacy(void *ctx) { return kept.value ? 2 : 1; }
                char LICENSE[] SEC("license") = "GPL";
                """);
        GenerateRequest request = withLayoutsBtf(project);

        assertEquals(2, new GenerateOrchestrator().execute(request, new TestProject.RecordingLog())
                .compiledSources());
        assertTrue(Files.isRegularFile(project.root().resolve("target/ebpf/vmlinux/vmlinux.h")));
        assertEquals(16, lateSize(project, "prog_bpfel.o"), "prog.c has the written header's struct late");
    }

    @Test
    void aSourceRedefiningAKernelTypeIsToldToKeepItsOwnHeaderAndBuildsWithIt() throws Exception {
        TestProject project = new TestProject(dir.resolve("project"));
        // Written for an older header that lacked struct late, as libbpf-bootstrap's bootstrap.bpf.c defines
        // struct bpf_iter_num.
        project.write("dated/prog.c", """
                #include "vmlinux.h"
                #define SEC(name) __attribute__((section(name), used))
                struct late { int value; };
                struct late copy;
                SEC("xdp") int prog(void *ctx) { return copy.value ? 2 : 1; }
                char LICENSE[] SEC("license") = "GPL";
                """);
        GenerateRequest request = withLayoutsBtf(project);
        CompilationFailedException e = assertThrows(CompilationFailedException.class,
                () -> new GenerateOrchestrator().execute(request, new TestProject.RecordingLog()));
        assertTrue(e.getMessage().contains("redefinition of 'late'"), e.getMessage());
        assertTrue(e.getMessage().contains("hint: the source defines late, which vmlinux.h defines too"),
                e.getMessage());
        // Both causes: a type of one's own named like a kernel type, or a source written for an older header.
        assertTrue(e.getMessage().contains("If it is a type of your own, give it a name the kernel does not use"),
                e.getMessage());
        assertTrue(e.getMessage().contains("If the source was written for an older kernel's vmlinux.h that lacked"
                + " it, put that vmlinux.h beside the source"), e.getMessage());

        // The fix the hint names: the header it was written for, beside it.
        project.write("dated/vmlinux.h", "/* the older kernel's types, without struct late */\n");
        assertEquals(1, new GenerateOrchestrator().execute(request, new TestProject.RecordingLog())
                .compiledSources());
    }

    @Test
    void eachArchitectureTargetIncludesItsOwnKernelsHeader() throws Exception {
        TestProject project = new TestProject(dir.resolve("project"));
        project.write("prog.c", SOURCE);
        Path hostBtf = Files.write(dir.resolve("host.btf"), rawBtf(TestProject.FIXTURES.resolve(
                "vmlinux/layouts.c")));
        Path armBtf = Files.write(dir.resolve("arm64.btf"), rawBtf(writeC("arm.c",
                "struct late { long first; long pad[2]; int value; }; struct late v;\n")));
        GenerateRequest request = project.requestBuilder().targets(List.of(Target.BPFEL, Target.ARM64))
                .vmlinux(new VmlinuxSettings(Optional.of(hostBtf), Map.of("arm64", armBtf),
                        project.root().resolve("target/ebpf/vmlinux")))
                .build();
        new GenerateOrchestrator().execute(request, new TestProject.RecordingLog());
        assertEquals(16, lateSize(project, "prog_bpfel.o"));
        assertEquals(32, lateSize(project, "prog_arm64.o"));
        String dispatcher = Files.readString(project.root().resolve("target/ebpf/vmlinux/vmlinux.h"));
        assertTrue(dispatcher.contains("#if defined(__TARGET_ARCH_arm64)"), dispatcher);
    }

    @Test
    void anArchitectureTargetWithoutItsOwnBtfIsWarnedAbout() throws Exception {
        assumeTrue(Files.isReadable(VmlinuxHeaderFile.KERNEL_BTF), "no kernel BTF");
        String foreign = AutomaticVmlinux.hostArch().orElse("").equals("arm64") ? "amd64" : "arm64";
        Path source = Files.writeString(dir.resolve("prog.c"), SOURCE);
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        Optional<Path> added = new AutomaticVmlinux(VmlinuxSettings.runningKernel(dir.resolve("vmlinux")), log)
                .provide(List.of(source), List.of(), List.of(Target.BPFEL, Target.parseAll(List.of(foreign)).get(0)));
        assertEquals(Optional.of(dir.resolve("vmlinux")), added);
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN Target " + foreign)
                && l.contains("<vmlinuxBtf>" + foreign + "=")), log.lines().toString());
    }

    @Test
    void aHeaderOnTheIncludePathIsUsedAsItIs() throws Exception {
        Path source = Files.writeString(dir.resolve("prog.c"), SOURCE);
        Path own = Files.createDirectories(dir.resolve("include"));
        Files.writeString(own.resolve("vmlinux.h"), "struct late { int value; };\n");
        Optional<Path> added = new AutomaticVmlinux(VmlinuxSettings.runningKernel(dir.resolve("vmlinux")),
                new TestProject.RecordingLog()).provide(List.of(source), List.of(own), List.of(Target.BPFEL));
        assertEquals(Optional.empty(), added);
        assertFalse(Files.exists(dir.resolve("vmlinux")));
    }

    @Test
    void includeDirectoriesInTheCflagsAreSearchedToo() {
        Path base = Path.of("/project");
        assertEquals(List.of(base.resolve("a"), base.resolve("b"), Path.of("/c"), base.resolve("d")),
                AutomaticVmlinux.includeDirectoriesIn(List.of("-Ia", "-I", "b", "-isystem/c", "-DX", "-idirafter",
                        "d", "-O2"), base));
    }

    /** A bpfel build of {@code project} whose vmlinux.h is written from the BTF of the {@code layouts.c} fixture. */
    private GenerateRequest withLayoutsBtf(TestProject project) throws Exception {
        Path btf = dir.resolve("kernel.btf"); // where the first test writes another BTF later
        Files.write(btf, rawBtf(TestProject.FIXTURES.resolve("vmlinux/layouts.c")));
        return project.requestBuilder().targets(List.of(Target.BPFEL))
                .vmlinux(new VmlinuxSettings(Optional.of(btf), Map.of(),
                        project.root().resolve("target/ebpf/vmlinux")))
                .build();
    }

    private Path writeC(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The raw {@code .BTF} of a C file, as a kernel's {@code /sys/kernel/btf/vmlinux} holds it. */
    private byte[] rawBtf(Path source) throws Exception {
        Path object = dir.resolve(source.getFileName() + ".o");
        ProcessRunner.Result result = new ProcessRunner().run(List.of(VmlinuxHeaderWriterTest.compilers().get(0)
                .toString(), "-target", "bpf", "-g", "-O2", "-c", source.toString(), "-o", object.toString()), dir);
        assertTrue(result.succeeded(), result.output());
        return ObjectSpec.read("btf", Files.readAllBytes(object)).btf().orElseThrow().rawBytes();
    }

    private static long lateSize(TestProject project, String object) throws Exception {
        Btf btf = ObjectSpec.read(object, Files.readAllBytes(project.generatedResources()
                .resolve("com/example/ebpf").resolve(object))).btf().orElseThrow();
        return btf.find("late", BtfType.Struct.class).orElseThrow().size();
    }
}

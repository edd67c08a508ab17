package io.github.bpf2java.maven.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.compile.TargetSelection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-source targets (configured and detected) and objects linked from several sources, through the orchestrator. */
class TargetsAndLinkingTest {
    private static final String KPROBE = "#include <linux/bpf.h>\n#include <linux/ptrace.h>\n"
            + "#include <bpf/bpf_helpers.h>\n#include <bpf/bpf_tracing.h>\n"
            + "SEC(\"kprobe/do_sys_openat2\") int BPF_KPROBE(on_open, int dfd) { return dfd; }\n"
            + "char LICENSE[] SEC(\"license\") = \"GPL\";\n";
    private static final String MAIN = "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
            + "extern int helper(int x);\n"
            + "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return helper(2); }\n"
            + "char LICENSE[] SEC(\"license\") = \"GPL\";\n";
    private static final String HELPER = "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
            + "__noinline int helper(int x) { return x - %d; }\n";

    @TempDir
    Path dir;

    private static Optional<Target> host() {
        return Target.forOsArch(System.getProperty("os.arch", ""));
    }

    private static List<String> objects(TestProject project) throws Exception {
        try (Stream<Path> files = Files.list(project.generatedResources().resolve("com/example/ebpf"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSourceClangRefusesWithoutAnArchitectureIsBuiltForTheHostsAndIsUpToDateAfterwards() throws Exception {
        assumeTrue(host().isPresent(), "no architecture target for this host");
        TestProject project = new TestProject(dir);
        project.write("probe.c", KPROBE);
        project.addFixture("counter.c", "counter.c");
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        new GenerateOrchestrator().execute(project.request(), log);
        String arch = host().get().targetName();
        assertEquals(List.of("counter_bpfeb.o", "counter_bpfel.o", "probe_" + arch + ".o"), objects(project));
        assertTrue(log.contains("probe.c needs __TARGET_ARCH_<arch>"), log.lines().toString());
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/Probe.java"));
        assertTrue(java.contains("EmbeddedObject.read(Probe.class, Probe.class::getResourceAsStream, \"probe\", \""
                + arch + "\")"), java);
        assertTrue(new GenerateOrchestrator().execute(project.request(), new TestProject.RecordingLog()).upToDate());
    }

    @Test
    void aConfiguredPatternWinsAndTurnsTheDetectionOff() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("probe.c", KPROBE);
        project.addFixture("counter.c", "counter.c");
        GenerateRequest request = project.requestBuilder()
                .sourceTargets(List.of(new TargetSelection.Rule("counter.c", List.of(Target.BPFEL)),
                        new TargetSelection.Rule("probe.c", List.of(Target.AMD64, Target.X86))))
                .build();
        new GenerateOrchestrator().execute(request, new TestProject.RecordingLog());
        assertEquals(List.of("counter_bpfel.o", "probe_amd64.o", "probe_x86.o"), objects(project));
    }

    @Test
    void withoutArchitectureTargetsTheRefusalIsTheUsersError() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("probe.c", KPROBE);
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> new GenerateOrchestrator().execute(
                project.requestBuilder().architectureTargets(List.of()).build(), new TestProject.RecordingLog()));
        assertTrue(e.getMessage().contains("Must specify a BPF target arch via __TARGET_ARCH_xxx"), e.getMessage());
    }

    @Test
    void severalSourcesLinkIntoOneObjectThatRebuildsWhenAMemberChanges() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("tracer/main.c", MAIN);
        Path helper = project.write("tracer/helper.c", String.format(HELPER, 1));
        project.addFixture("counter.c", "counter.c");
        GenerateRequest request = project.requestBuilder()
                .objects(List.of(new LinkedObjects.Definition("tracer", List.of("tracer/main.c,tracer/helper.c"))))
                .build();
        BuildResult first = new GenerateOrchestrator().execute(request, new TestProject.RecordingLog());
        assertEquals(2, first.compiledSources(), "the object and counter.c");
        assertEquals(List.of("counter_bpfeb.o", "counter_bpfel.o", "tracer_bpfeb.o", "tracer_bpfel.o"),
                objects(project));
        Path generated = project.generatedSources().resolve("com/example/ebpf");
        assertTrue(Files.isRegularFile(generated.resolve("Tracer.java")));
        assertFalse(Files.exists(generated.resolve("Main.java")));
        Path object = project.generatedResources().resolve("com/example/ebpf/tracer_bpfel.o");
        byte[] before = Files.readAllBytes(object);

        assertTrue(new GenerateOrchestrator().execute(request, new TestProject.RecordingLog()).upToDate());
        Files.writeString(helper, String.format(HELPER, 7));
        BuildResult third = new GenerateOrchestrator().execute(request, new TestProject.RecordingLog());
        assertEquals(1, third.compiledSources(), "only the linked object");
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(object)), "relinked with the new helper");
    }

    @Test
    void sourcesOfTheSameNameInDifferentObjectsDoNotClashOnlyTheObjectsNamesCount() throws Exception {
        // xdp-tutorial's layout: one prog.c per lesson directory, each its own object.
        TestProject project = new TestProject(dir);
        project.write("first/prog.c", MAIN);
        project.write("first/helper.c", String.format(HELPER, 1));
        project.write("second/prog.c", MAIN);
        project.write("second/helper.c", String.format(HELPER, 2));
        GenerateRequest request = project.requestBuilder().targets(List.of(Target.BPFEL))
                .objects(List.of(new LinkedObjects.Definition("first", List.of("first/*.c")),
                        new LinkedObjects.Definition("second", List.of("second/*.c"))))
                .build();
        assertEquals(2, new GenerateOrchestrator().execute(request, new TestProject.RecordingLog())
                .compiledSources());
        assertEquals(List.of("first_bpfel.o", "second_bpfel.o"), objects(project));

        // Two sources built on their own still may not share a class.
        project.write("third/prog.c", MAIN.replace("extern int helper(int x);\n", "")
                .replace("helper(2)", "XDP_PASS"));
        project.write("fourth/prog.c", MAIN.replace("extern int helper(int x);\n", "")
                .replace("helper(2)", "XDP_PASS"));
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new GenerateOrchestrator().execute(request, new TestProject.RecordingLog()));
        assertTrue(e.getMessage().contains("eBPF sources fourth/prog.c and third/prog.c would both generate the class"
                + " Prog"), e.getMessage());
    }

    @Test
    void aSymbolTwoMembersDefineIsNamedWithTheirSourcesAndTheHintOnce() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("tracer/main.c", MAIN);
        project.write("tracer/helper.c", String.format(HELPER, 1));
        project.write("tracer/again.c", String.format(HELPER, 2));
        GenerateRequest request = project.requestBuilder()
                .objects(List.of(new LinkedObjects.Definition("tracer", List.of("tracer/*.c")))).build();
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new GenerateOrchestrator().execute(request, new TestProject.RecordingLog()));
        String message = e.getMessage();
        assertTrue(message.contains("helper is defined in both tracer/"), message);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(t.getMessage().contains(".o"), "sources, not scratch objects, also in causes: " + message);
        }
        assertEquals(message.indexOf("Hint:"), message.lastIndexOf("Hint:"), "one hint: " + message);
    }

    @Test
    void whenOneMemberNeedsAnArchitectureTheWholeObjectIsBuiltForIt() throws Exception {
        assumeTrue(host().isPresent(), "no architecture target for this host");
        TestProject project = new TestProject(dir);
        project.write("tracer/main.c", MAIN);
        project.write("tracer/helper.c", String.format(HELPER, 1));
        project.write("tracer/probe.c", KPROBE.replace("char LICENSE[] SEC(\"license\") = \"GPL\";\n", ""));
        GenerateRequest request = project.requestBuilder()
                .objects(List.of(new LinkedObjects.Definition("tracer", List.of("tracer/*.c")))).build();
        new GenerateOrchestrator().execute(request, new TestProject.RecordingLog());
        assertEquals(List.of("tracer_" + host().get().targetName() + ".o"), objects(project));
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/Tracer.java"));
        assertTrue(java.contains("BpfProgram onOpen()") && java.contains("BpfProgram prog()"), java);
    }

    @Test
    void anObjectListingNoExistingSourceSaysWhichPatternAndWhatThereIs() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "counter.c");
        GenerateRequest request = project.requestBuilder()
                .objects(List.of(new LinkedObjects.Definition("tracer", List.of("tracer/*.c")))).build();
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new GenerateOrchestrator().execute(request, new TestProject.RecordingLog()));
        assertTrue(e.getMessage().contains("object tracer lists 'tracer/*.c', which matches no eBPF source"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Sources: counter.c"), e.getMessage());
    }
}

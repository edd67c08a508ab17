package io.github.bpf2java.maven.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.RingBufferReader;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.spec.FunctionSpec;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <types>} finds types the object's BTF lacks because no map, global or function signature uses them (the
 * libbpf-tools shape: {@code struct event} only reached through {@code bpf_ringbuf_reserve()}), without a change to
 * the C source, with every installed clang; the object still loads, runs and ships nothing a loader acts on.
 */
class TypesOutsideBtfTest {
    private static final List<String> NAMED = List.of("event", "phase", "stats_t");
    private static final String OBJECT = "target/generated-resources/ebpf/com/example/ebpf/ringbuf_event_bpfel.o";

    @TempDir
    Path dir;

    @Test
    void typesUsedOnlyInsideFunctionsGetRecordsAndEnums() throws Exception {
        for (String clang : clangs()) {
            TestProject project = project(clang);
            TestProject.RecordingLog log = new TestProject.RecordingLog();
            execute(project, NAMED, clang, log, new ProcessRunner());
            String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/RingbufEvent.java"));
            assertTrue(java.contains("record Event("), clang + ":\n" + java);
            assertTrue(java.contains("enum Phase"), clang + ":\n" + java);
            assertTrue(java.contains("record StatsT("), clang + ":\n" + java);
            assertTrue(log.contains("ringbuf_event.c: struct event, enum phase, stats_t named in <types>"),
                    clang + ": " + log.lines());
            ObjectSpec spec = ObjectSpec.read(project.root().resolve(OBJECT));
            BtfType.Struct event = spec.btf().orElseThrow().find("event", BtfType.Struct.class).orElseThrow();
            assertEquals(32, event.size(), clang + ": the whole definition, not a forward declaration");
        }
    }

    @Test
    void theShippedObjectHasTheSameProgramsMapsAndVariablesAsWithoutTypes() throws Exception {
        TestProject plain = project("plain");
        execute(plain, List.of(), null, BuildLog.silent(), new ProcessRunner());
        TestProject anchored = project("anchored");
        execute(anchored, NAMED, null, BuildLog.silent(), new ProcessRunner());
        ObjectSpec before = ObjectSpec.read(plain.root().resolve(OBJECT));
        ObjectSpec after = ObjectSpec.read(anchored.root().resolve(OBJECT));
        assertFalse(before.btf().orElseThrow().find("event", BtfType.Struct.class).isPresent(),
                "the fixture's premise: clang leaves struct event out");
        assertEquals(names(before.programs().stream().map(ProgramSpec::name)),
                names(after.programs().stream().map(ProgramSpec::name)));
        assertEquals(names(before.maps().stream().map(MapSpec::name)), names(after.maps().stream().map(MapSpec::name)));
        assertEquals(names(before.variables().stream().map(VariableSpec::name)),
                names(after.variables().stream().map(VariableSpec::name)));
        assertEquals(List.of("__bpf2java_types_ringbuf_event_c", "handle_openat"),
                names(after.functions().values().stream().map(FunctionSpec::name)),
                "one function more, which no program calls");
        assertArrayEquals(before.program("handle_openat").orElseThrow().function().instructions(),
                after.program("handle_openat").orElseThrow().function().instructions(),
                "the program's code is the same");
    }

    @Test
    void buildsTwiceToTheSameBytesAndThenNothingToDo() throws Exception {
        TestProject project = project("p");
        execute(project, NAMED, null, BuildLog.silent(), new ProcessRunner());
        byte[] first = Files.readAllBytes(project.root().resolve(OBJECT));
        CountingRunner runner = new CountingRunner();
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        execute(project, NAMED, null, log, runner);
        assertTrue(log.contains("Nothing to compile - all eBPF objects are up to date"), log.lines().toString());
        assertEquals(List.of(), runner.runs(), "the wrapper is no dependency that makes the object look stale");
        deleteTree(project.root().resolve("target"));
        execute(project, NAMED, null, BuildLog.silent(), new ProcessRunner());
        assertArrayEquals(first, Files.readAllBytes(project.root().resolve(OBJECT)));
    }

    @Test
    void objectsThatHaveEveryNamedTypeCompileAsBefore() throws Exception {
        TestProject project = new TestProject(dir.resolve("types"));
        project.addFixture("types.c", "types.c");
        CountingRunner runner = new CountingRunner();
        execute(project, List.of("point"), null, BuildLog.silent(), runner);
        assertTrue(runner.runs().stream().noneMatch(c -> c.contains("-fsyntax-only")), runner.runs().toString());
        assertTrue(runner.runs().stream().noneMatch(c -> String.join(" ", c).contains("ebpf-cache/types")),
                runner.runs().toString());
    }

    @Test
    void aPrecompiledHeaderServesTheWrapperAndChangesNoByte() throws Exception {
        TestProject withPch = project("pch");
        withPch.write("common.h", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n");
        CountingRunner runner = new CountingRunner();
        new GenerateOrchestrator(ExecutableSearch.ofEnvironment(), runner).execute(withPch.requestBuilder()
                .targets(List.of(Target.BPFEL)).types(NAMED)
                .precompiledHeader(new PrecompiledHeaderMode.Header(withPch.bpfDirectory().resolve("common.h")))
                .build(), BuildLog.silent());
        assertTrue(runner.runs().stream().anyMatch(c -> c.contains("-include-pch") && c.contains("-c")
                && String.join(" ", c).contains("ebpf-cache/types/bpfel/ringbuf_event.c")), runner.runs().toString());
        TestProject without = project("nopch");
        without.write("common.h", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n");
        execute(without, NAMED, null, BuildLog.silent(), new ProcessRunner());
        assertArrayEquals(Files.readAllBytes(without.root().resolve(OBJECT)),
                Files.readAllBytes(withPch.root().resolve(OBJECT)));
    }

    @Test
    void eachMemberOfALinkedObjectGetsItsOwnAnchor() throws Exception {
        TestProject project = new TestProject(dir.resolve("linked"));
        project.addFixture("ringbuf_event/ringbuf_event.h", "tracer/ringbuf_event.h");
        project.addFixture("ringbuf_event/ringbuf_event.c", "tracer/main.c");
        project.write("tracer/helper.c", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
                + "#include \"ringbuf_event.h\"\n"
                + "SEC(\"xdp\") int xdp_pass(struct xdp_md *ctx) { struct event e = { .pid = 1 };"
                + " return e.pid == 1 ? XDP_PASS : XDP_DROP; }\n");
        new GenerateOrchestrator().execute(project.requestBuilder().targets(List.of(Target.BPFEL)).types(NAMED)
                .objects(List.of(new LinkedObjects.Definition("tracer", List.of("tracer/main.c,tracer/helper.c"))))
                .build(), BuildLog.silent());
        ObjectSpec spec = ObjectSpec.read(project.generatedResources().resolve("com/example/ebpf/tracer_bpfel.o"));
        assertEquals(List.of("__bpf2java_types_tracer_helper_c", "__bpf2java_types_tracer_main_c", "handle_openat",
                "xdp_pass"), names(spec.functions().values().stream().map(FunctionSpec::name)));
        assertEquals(List.of("handle_openat", "xdp_pass"), names(spec.programs().stream().map(ProgramSpec::name)));
        assertEquals(32, spec.btf().orElseThrow().find("event", BtfType.Struct.class).orElseThrow().size());
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/Tracer.java"));
        assertTrue(java.contains("record Event(") && java.contains("record StatsT("), java);
    }

    @Test
    void aNameNoSourceDefinesStillFailsTheBuild() throws Exception {
        for (String name : List.of("no_such_type", "opaque", "handle_openat", "struct event")) {
            TestProject project = project(name.replace(' ', '_'));
            EbpfBuildException e = assertThrows(EbpfBuildException.class,
                    () -> execute(project, List.of("event", name), null, BuildLog.silent(), new ProcessRunner()));
            assertTrue(e.getMessage().contains("The type(s) [" + name + "] named in <types> (ebpf.types) are not a"
                    + " struct, union, enum or typedef that any eBPF source defines"), e.getMessage());
        }
    }

    @Test
    void theObjectLoadsAndItsEventDecodesThroughTheGeneratedRecord() throws Exception {
        assumeKernel();
        TestProject project = project("kernel");
        execute(project, NAMED, null, BuildLog.silent(), new ProcessRunner());
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
            compiled = javac.getTask(diagnostics, files, null, List.of("--release", "17", "-d", classes.toString(),
                    "-classpath", System.getProperty("java.class.path")), null, files.getJavaFileObjects(
                    project.generatedSources().resolve("com/example/ebpf/RingbufEvent.java"))).call();
        }
        assertTrue(compiled, diagnostics.toString());
        int tgid = (int) ProcessHandle.current().pid();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                getClass().getClassLoader())) {
            Class<?> eventClass = loader.loadClass("com.example.ebpf.RingbufEvent$Event");
            Codec<?> codec = (Codec<?>) eventClass.getField("CODEC").get(null);
            List<Object> events = Collections.synchronizedList(new ArrayList<>());
            LoadOptions options = LoadOptions.builder().constant("target_tgid",
                    ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(tgid).array()).build();
            try (BpfObject bpf = BpfObject.load(ObjectSpec.read(project.root().resolve(OBJECT)), options);
                    RingBufferReader reader = RingBufferReader.open(bpf.map("events"), codec, events::add);
                    BpfLink link = bpf.program("handle_openat").attach()) {
                Path opened = Files.writeString(dir.resolve("opened.txt"), "x");
                for (int i = 0; i < 50 && events.isEmpty(); i++) {
                    Files.readAllBytes(opened);
                    reader.poll(Duration.ofMillis(20));
                }
            }
            assertFalse(events.isEmpty(), "the program sent no event for this process's openat");
            Object event = events.get(0);
            assertEquals(tgid, eventClass.getMethod("pid").invoke(event));
            assertEquals(2012L, eventClass.getMethod("ts").invoke(event), "PHASE_EXIT * 1000 + 1 * 10 + 2");
            assertFalse(((String) eventClass.getMethod("comm").invoke(event)).isEmpty());
        }
    }

    private TestProject project(String name) throws IOException {
        TestProject project = new TestProject(dir.resolve(name.replaceAll("[^A-Za-z0-9_]", "_")));
        project.addFixture("ringbuf_event/ringbuf_event.h", "ringbuf_event.h");
        project.addFixture("ringbuf_event/ringbuf_event.c", "ringbuf_event.c");
        return project;
    }

    private static void execute(TestProject project, List<String> types, String clang, BuildLog log,
            ProcessRunner runner) throws Exception {
        new GenerateOrchestrator(ExecutableSearch.ofEnvironment(), runner).execute(project.request(
                List.of(Target.BPFEL), new PrecompiledHeaderMode.Auto(), Optional.ofNullable(clang), types), log);
    }

    /** The clangs of the PATH this test runs with: each is asked, its BTF writer differs by version. */
    private static List<String> clangs() {
        List<String> found = Stream.of("clang-14", "clang-19").filter(c -> ExecutableSearch.ofEnvironment()
                .find(c).isPresent()).toList();
        return found.isEmpty() ? List.of("clang") : found;
    }

    private static List<String> names(Stream<String> names) {
        return names.sorted().toList();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void assumeKernel() {
        String missing = null;
        if (!Integer.valueOf(0).equals(uid())) {
            missing = "loading BPF programs needs root";
        } else if (!Files.isDirectory(Path.of("/sys/kernel/tracing/events/syscalls"))) {
            missing = "tracefs is not mounted at /sys/kernel/tracing, or has no syscall tracepoints";
        }
        if (missing != null) {
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                fail("EBPF_REQUIRE_KERNEL=1 but " + missing);
            }
            assumeTrue(false, missing);
        }
    }

    private static Object uid() {
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            return -1;
        }
    }
}

package io.github.bpf2java.maven.pch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.maven.KernelHeaders;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.compile.BpfCompiler;
import io.github.bpf2java.maven.compile.CompileTask;
import io.github.bpf2java.maven.compile.CompiledObject;
import io.github.bpf2java.maven.compile.CompilerSettings;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.incremental.FileDigester;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.source.SourceDiscovery;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import io.github.bpf2java.maven.toolchain.Toolchain;
import io.github.bpf2java.maven.toolchain.ToolchainResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Precompiled headers must not change what is built. clang 14 gives byte-identical objects with and without a PCH;
 * newer clangs order the BTF forward declarations they append by memory address, which varies when declarations come
 * from a PCH: after {@link io.github.bpf2java.maven.compile.BtfCanonicalizer} the stripped objects are identical
 * again, across runs, source orders and parallelism. Only unstripped objects (whose DWARF still differs) are built
 * without a PCH there.
 */
class PrecompiledHeaderTest {
    private static final List<Target> TARGETS = List.of(Target.BPFEL, Target.BPFEB);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"clang-14, vmlinux", "clang-14, uapi", "clang-19, vmlinux", "clang-19, uapi"})
    void objectsAreByteIdenticalWithAndWithoutThePrecompiledHeader(String clang, String fixtures) throws Exception {
        TestProject project = project(clang, dir.resolve("p"), fixtures);
        Built plain = build(clang, project, false);
        Built withPch = build(clang, project, true);
        assertEquals(2, withPch.pchUsers(), "both sources compiled with a PCH");
        assertSameObjects(plain.objects(), withPch.objects());
        assertFalse(withPch.log().contains("did not work"), "no fallback to a plain compile: " + withPch.log().lines());
        assertEquals(plain.objects().get(0).dependencies().stream().filter(d -> d.endsWith(".h")).sorted().toList(),
                withPch.objects().get(0).dependencies().stream().filter(d -> d.endsWith(".h")).sorted().toList(),
                "the headers inside the PCH are still dependencies");
    }

    @ParameterizedTest
    @CsvSource({"clang-14", "clang-19"})
    void buildsWithFreshPrecompiledHeadersAreByteIdenticalAnywhere(String clang) throws Exception {
        Built one = build(clang, project(clang, dir.resolve("one"), "vmlinux"), true);
        Built two = build(clang, project(clang, dir.resolve("else/where/two"), "vmlinux"), true);
        assertEquals(2, two.pchUsers());
        assertSameObjects(one.objects(), two.objects());
    }

    /**
     * clang 19 without the canonical order gave a different object about one run in three (the same PCH, the same
     * flags); five fresh builds, one compiling one task at a time and one with the sources in the other order, must
     * all give the objects of the build without a PCH.
     */
    @Test
    void withClang19ObjectsAreIdenticalAcrossRunsOrdersAndParallelism() throws Exception {
        TestProject project = project("clang-19", dir.resolve("p"), "vmlinux");
        Built plain = build("clang-19", project, false);
        for (int run = 0; run < 5; run++) {
            Path cache = project.root().resolve("target/ebpf-cache");
            deleteTree(cache);
            Built withPch = build("clang-19", project, new PrecompiledHeaderMode.Auto(), List.of(), run == 1 ? 1 : 2,
                    run == 2, true);
            assertEquals(2, withPch.pchUsers());
            assertSameObjects(plain.objects(), withPch.objects());
        }
    }

    @Test
    void namedHeaderGivesTheSameObjectsAsNoPrecompiledHeader() throws Exception {
        TestProject project = project("clang-14", dir.resolve("p"), "vmlinux");
        Path header = Files.writeString(project.root().resolve("pch.h"), "#include \"vmlinux.h\"\n"
                + "#include <bpf/bpf_helpers.h>\n#include <bpf/bpf_tracing.h>\n#include <bpf/bpf_core_read.h>\n");
        Files.move(project.bpfDirectory().resolve("vmlinux.h"), project.root().resolve("vmlinux.h"));
        for (String source : List.of("execsnoop.c", "opensnoop.c")) {
            Path file = project.bpfDirectory().resolve(source);
            Files.writeString(file, Files.readString(file).replace("#include \"vmlinux.h\"", "#include <vmlinux.h>"));
        }
        Built plain = build("clang-14", project, new PrecompiledHeaderMode.None(), List.of(project.root()));
        Built named = build("clang-14", project, new PrecompiledHeaderMode.Header(header), List.of(project.root()));
        assertEquals(2, named.pchUsers());
        assertSameObjects(plain.objects(), named.objects());
    }

    @Test
    void autoModeUsesNoPrecompiledHeaderWithClang19WhenObjectsKeepTheirDwarf() throws Exception {
        TestProject project = project("clang-19", dir.resolve("p"), "uapi");
        Built built = build("clang-19", project, new PrecompiledHeaderMode.Auto(), List.of(), 2, false, false);
        assertEquals(0, built.pchUsers());
        assertTrue(built.log().contains("Not using precompiled headers: with clang 19"),
                built.log().lines().toString());
    }

    private record Built(List<CompiledObject> objects, int pchUsers, TestProject.RecordingLog log) {}

    private static TestProject project(String clang, Path root, String fixtures) throws Exception {
        assumeTrue(ExecutableSearch.ofEnvironment().find(clang).isPresent(), clang + " is not installed");
        TestProject project = new TestProject(root);
        if (fixtures.equals("vmlinux")) {
            KernelHeaders.dumpVmlinuxHeader(project.bpfDirectory().resolve("vmlinux.h"));
            project.addFixture("pch/execsnoop.c", "execsnoop.c");
            project.addFixture("pch/opensnoop.c", "opensnoop.c");
        } else {
            project.addFixture("counter.c", "counter.c");
            project.addFixture("counter.c", "counter_copy.c");
        }
        return project;
    }

    private static Built build(String clang, TestProject project, boolean pch) throws Exception {
        return build(clang, project, pch ? new PrecompiledHeaderMode.Auto() : new PrecompiledHeaderMode.None(),
                List.of());
    }

    private static Built build(String clang, TestProject project, PrecompiledHeaderMode mode, List<Path> includes)
            throws Exception {
        return build(clang, project, mode, includes, 2, false, true);
    }

    private static Built build(String clang, TestProject project, PrecompiledHeaderMode mode, List<Path> includes,
            int parallelism, boolean reversed, boolean strip) throws Exception {
        List<BpfSource> sources = new ArrayList<>(new SourceDiscovery(List.of("**/*.c"), List.of())
                .discover(project.bpfDirectory(), BuildLog.silent()));
        if (reversed) {
            java.util.Collections.reverse(sources);
        }
        Toolchain toolchain = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner())
                .resolve(Optional.of(clang), strip, project.root(), new HashMap<>());
        List<Path> includeDirectories = new ArrayList<>(includes);
        includeDirectories.add(Path.of("/usr/include/x86_64-linux-gnu"));
        CompilerSettings settings = new CompilerSettings(toolchain, project.root(), includeDirectories, List.of(),
                "v3", strip);
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        Map<Target, Map<BpfSource, Path>> plan = new PrecompiledHeaderPlanner(settings, new ProcessRunner(),
                mode, project.root().resolve("target/ebpf-cache"), parallelism, log).plan(sources, TARGETS,
                new FileDigester(Map.of()));
        List<CompileTask> tasks = new ArrayList<>();
        for (BpfSource source : sources) {
            for (Target target : TARGETS) {
                tasks.add(new CompileTask(source, target,
                        Optional.ofNullable(plan.getOrDefault(target, Map.of()).get(source))));
            }
        }
        Path scratch = project.root().resolve("scratch-" + mode.getClass().getSimpleName());
        deleteTree(scratch);
        List<CompiledObject> objects = new BpfCompiler(settings, new ProcessRunner(), parallelism)
                .compile(tasks, scratch, log);
        objects = new ArrayList<>(objects);
        objects.sort(java.util.Comparator.comparing((CompiledObject o) -> o.task().describe()));
        int users = plan.getOrDefault(Target.BPFEL, Map.of()).size();
        return new Built(objects, users, log);
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (Files.exists(root)) {
            try (java.util.stream.Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void assertSameObjects(List<CompiledObject> expected, List<CompiledObject> actual)
            throws Exception {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(Files.readAllBytes(expected.get(i).object()), Files.readAllBytes(actual.get(i).object()),
                    expected.get(i).task().describe());
        }
    }
}

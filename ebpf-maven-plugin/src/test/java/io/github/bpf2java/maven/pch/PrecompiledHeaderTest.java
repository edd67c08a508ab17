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
 * newer clangs order BTF forward declarations by memory address, which varies when declarations come from a PCH,
 * so {@code auto} does not use PCHs with them.
 */
class PrecompiledHeaderTest {
    private static final List<Target> TARGETS = List.of(Target.BPFEL, Target.BPFEB);

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"clang-14, vmlinux", "clang-14, uapi"})
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

    @Test
    void buildsWithFreshPrecompiledHeadersAreByteIdenticalAnywhere() throws Exception {
        Built one = build("clang-14", project("clang-14", dir.resolve("one"), "vmlinux"), true);
        Built two = build("clang-14", project("clang-14", dir.resolve("else/where/two"), "vmlinux"), true);
        assertEquals(2, two.pchUsers());
        assertSameObjects(one.objects(), two.objects());
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
    void autoModeDoesNotUsePrecompiledHeadersWithClangThatWouldMakeObjectsIrreproducible() throws Exception {
        Built built = build("clang-19", project("clang-19", dir.resolve("p"), "uapi"), true);
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
        List<BpfSource> sources = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(project.bpfDirectory(),
                BuildLog.silent());
        Toolchain toolchain = new ToolchainResolver(ExecutableSearch.ofEnvironment(), new ProcessRunner())
                .resolve(Optional.of(clang), true, project.root(), new HashMap<>());
        List<Path> includeDirectories = new ArrayList<>(includes);
        includeDirectories.add(Path.of("/usr/include/x86_64-linux-gnu"));
        CompilerSettings settings = new CompilerSettings(toolchain, project.root(), includeDirectories, List.of(),
                "v3", true);
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        Map<Target, Map<BpfSource, Path>> plan = new PrecompiledHeaderPlanner(settings, new ProcessRunner(),
                mode, project.root().resolve("target/ebpf-cache"), 2, log).plan(sources, TARGETS, new FileDigester(Map.of()));
        List<CompileTask> tasks = new ArrayList<>();
        for (BpfSource source : sources) {
            for (Target target : TARGETS) {
                tasks.add(new CompileTask(source, target,
                        Optional.ofNullable(plan.getOrDefault(target, Map.of()).get(source))));
            }
        }
        List<CompiledObject> objects = new BpfCompiler(settings, new ProcessRunner(), 2)
                .compile(tasks, project.root().resolve("scratch-" + mode.getClass().getSimpleName()), log);
        int users = plan.getOrDefault(Target.BPFEL, Map.of()).size();
        return new Built(objects, users, log);
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

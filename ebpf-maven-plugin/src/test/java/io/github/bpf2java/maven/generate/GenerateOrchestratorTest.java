package io.github.bpf2java.maven.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.CompilationFailedException;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.headers.BundledHeadersMode;
import io.github.bpf2java.maven.incremental.BuildState;
import io.github.bpf2java.maven.incremental.SourceState;
import io.github.bpf2java.maven.pch.PrecompiledHeaderMode;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateOrchestratorTest {

    @TempDir
    Path dir;

    private final CountingRunner runner = new CountingRunner();

    @Test
    void compilesEachSourceForEachTargetAndGeneratesItsClass() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "counter.c");
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        BuildResult result = execute(project.request(), log);
        assertEquals(1, result.compiledSources());
        Path pkg = project.generatedResources().resolve("com/example/ebpf");
        assertTrue(Files.isRegularFile(pkg.resolve("counter_bpfel.o")));
        assertTrue(Files.isRegularFile(pkg.resolve("counter_bpfeb.o")));
        String java = Files.readString(project.generatedSources().resolve("com/example/ebpf/Counter.java"));
        assertTrue(java.contains("public final class Counter implements AutoCloseable"), java);
        assertTrue(log.contains("Compiling 1 eBPF source for 2 targets (bpfel, bpfeb) with clang "),
                log.lines().toString());
    }

    @Test
    void secondRunRunsNoProcessAndTouchesNoOutput() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "counter.c");
        project.addFixture("counter.c", "net/other_counter.c");
        execute(project.request(), new TestProject.RecordingLog());
        Map<Path, FileTime> before = outputTimes(project);
        int runs = runner.count();
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        BuildResult second = execute(project.request(), log);
        assertTrue(second.upToDate());
        assertEquals(runs, runner.count(), "no clang, strip or --version process");
        assertTrue(log.contains("Nothing to compile - all eBPF objects are up to date"), log.lines().toString());
        assertTrue(log.contains("DEBUG Checked 2 eBPF source(s) in"), log.lines().toString());
        assertEquals(before, outputTimes(project));
    }

    @Test
    void executionsWithOutputsOfTheirOwnKeepEachOthersOutputs() throws Exception {
        // Two executions of the goal in one module, a package per source directory, as a project porting several
        // examples (each its own directory and package) configures them.
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "a/first.c");
        project.addFixture("counter.c", "b/second.c");
        GenerateRequest first = execution(project, "a");
        GenerateRequest second = execution(project, "b");
        assertEquals(1, execute(first, new TestProject.RecordingLog()).compiledSources());
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        assertEquals(1, execute(second, log).compiledSources());
        assertFalse(log.lines().stream().anyMatch(l -> l.contains("Removed the outputs")), log.lines().toString());
        BuildResult again = execute(first, new TestProject.RecordingLog());
        assertTrue(again.upToDate(), "the first execution's sources are not taken for deleted, nor rebuilt");
        assertTrue(Files.isRegularFile(project.root().resolve("target/gen-a/x/a/First.java")));
        assertTrue(Files.isRegularFile(project.root().resolve("target/gen-b/x/b/Second.java")));
        assertTrue(Files.isRegularFile(project.root().resolve("target/res-b/x/b/second_bpfel.o")));
        assertTrue(execute(second, new TestProject.RecordingLog()).upToDate());
    }

    private static GenerateRequest execution(TestProject project, String name) {
        return project.requestBuilder().sourceDirectory(project.bpfDirectory().resolve(name))
                .packageName("x." + name)
                .outputDirectory(project.root().resolve("target/gen-" + name))
                .resourceOutputDirectory(project.root().resolve("target/res-" + name))
                .build();
    }

    /** A project whose {@code uses_header.c} includes its {@code common.h}, which defines {@code LIMIT} as 10. */
    private TestProject projectWithAHeader() throws IOException {
        TestProject project = new TestProject(dir);
        project.write("common.h", "#define LIMIT 10\n");
        project.write("uses_header.c", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n#include \"common.h\"\n"
                + "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return LIMIT > 5 ? XDP_PASS : XDP_DROP; }\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
        return project;
    }

    @Test
    void changedHeaderRebuildsOnlyTheSourcesIncludingIt() throws Exception {
        TestProject project = projectWithAHeader();
        project.addFixture("counter.c", "counter.c");
        execute(project.request(), new TestProject.RecordingLog());
        Path object = project.generatedResources().resolve("com/example/ebpf/uses_header_bpfel.o");
        byte[] before = Files.readAllBytes(object);

        project.write("common.h", "#define LIMIT 1\n");
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        BuildResult result = execute(project.request(), log);
        assertEquals(1, result.compiledSources());
        assertTrue(log.lines().contains("INFO Rebuilding 1 of 2 eBPF objects (changed, or including a changed "
                + "header): uses_header.c"), log.lines().toString());
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(object)), "the new header is compiled in");
    }

    @Test
    void aRebuildThatChangesNoOutputLeavesTheOutputFilesAsTheyWere() throws Exception {
        TestProject project = projectWithAHeader();
        execute(project.request(), new TestProject.RecordingLog());
        // An old time on every output, so that a rewrite would show whatever the file system's time resolution.
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (Path output : outputTimes(project).keySet()) {
            Files.setLastModifiedTime(output, old);
        }
        Map<Path, FileTime> before = outputTimes(project);

        project.write("common.h", "#define LIMIT 10\n// a comment changes nothing compiled\n");
        BuildResult result = execute(project.request(), new TestProject.RecordingLog());
        assertEquals(1, result.compiledSources(), "the header changed, so its source is compiled again");
        assertEquals(before, outputTimes(project), "the same bytes: the class and objects are not rewritten, so javac"
                + " has nothing to recompile");
    }

    @Test
    void aSourceWithoutALicenseIsWarnedAboutAtBuildTime() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("unlicensed.c", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
                + "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return XDP_PASS; }\n");
        project.addFixture("counter.c", "counter.c");
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        execute(project.request(), log);
        assertEquals(1, log.lines().stream().filter(l -> l.startsWith("WARN unlicensed.c declares no license: the "
                + "kernel will refuse its programs the GPL-only helpers")).count(), log.lines().toString());
        assertFalse(log.lines().stream().anyMatch(l -> l.contains("counter.c declares no license")));
    }

    @Test
    void changedParameterRebuildsEverything() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "a.c");
        project.addFixture("counter.c", "b.c");
        execute(project.request(), new TestProject.RecordingLog());
        BuildResult result = execute(project.request(List.of(Target.BPFEL), new PrecompiledHeaderMode.Auto()),
                new TestProject.RecordingLog());
        assertEquals(2, result.compiledSources());
        assertFalse(Files.exists(project.generatedResources().resolve("com/example/ebpf/a_bpfeb.o")),
                "outputs of a dropped target are removed");
    }

    @Test
    void aNewPackageLeavesNoEmptyDirectoriesOfTheOldOne() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "a.c");
        Path classes = Files.createDirectories(dir.resolve("target/classes"));
        execute(project.requestBuilder().classesDirectory(classes).build(), new TestProject.RecordingLog());
        // Maven's resources step copies the objects into the classes directory.
        Path copied = Files.createDirectories(classes.resolve("com/example/ebpf")).resolve("a_bpfel.o");
        Files.copy(project.generatedResources().resolve("com/example/ebpf/a_bpfel.o"), copied);
        // And the compiler the generated class, with a nested one.
        Files.writeString(classes.resolve("com/example/ebpf/A.class"), "compiled");
        Files.writeString(classes.resolve("com/example/ebpf/A$Options.class"), "compiled");
        execute(project.requestBuilder().classesDirectory(classes).packageName("org.acme.probes").build(),
                new TestProject.RecordingLog());
        assertTrue(Files.exists(project.generatedSources().resolve("org/acme/probes/A.java")));
        for (Path root : List.of(project.generatedSources(), project.generatedResources(), classes)) {
            assertFalse(Files.exists(root.resolve("com")), "the old package's directories are gone from " + root);
            assertTrue(Files.isDirectory(root), "the root stays: " + root);
        }
    }

    @Test
    void deletedSourceLosesItsOutputs() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "a.c");
        Path b = project.addFixture("counter.c", "b.c");
        execute(project.request(), new TestProject.RecordingLog());
        Files.delete(b);
        BuildResult result = execute(project.request(), new TestProject.RecordingLog());
        assertEquals(1, result.removedSources());
        assertEquals(0, result.compiledSources());
        assertFalse(Files.exists(project.generatedSources().resolve("com/example/ebpf/B.java")));
        assertFalse(Files.exists(project.generatedResources().resolve("com/example/ebpf/b_bpfel.o")));
        assertTrue(Files.exists(project.generatedSources().resolve("com/example/ebpf/A.java")));
    }

    @Test
    void failedCompileKeepsThePreviousOutputsAndStateSoAFixedSourceRebuilds() throws Exception {
        TestProject project = new TestProject(dir);
        Path source = project.addFixture("counter.c", "counter.c");
        execute(project.request(), new TestProject.RecordingLog());
        Path object = project.generatedResources().resolve("com/example/ebpf/counter_bpfel.o");
        byte[] good = Files.readAllBytes(object);

        String original = Files.readString(source);
        Files.writeString(source, original.replace("return 0;\n}", "return nope;\n}"));
        CompilationFailedException e = assertThrows(CompilationFailedException.class,
                () -> execute(project.request(), new TestProject.RecordingLog()));
        assertTrue(e.getMessage().contains("src/main/bpf/counter.c:"), e.getMessage());
        assertTrue(e.getMessage().contains("error: use of undeclared identifier 'nope'"), e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(object));
        assertEquals(List.of(), scratchDirectories(project), "no scratch left behind");

        Files.writeString(source, original.replace("return 0;\n}", "return 1;\n}"));
        assertEquals(1, execute(project.request(), new TestProject.RecordingLog()).compiledSources());
        Files.writeString(source, original);
        assertEquals(1, execute(project.request(), new TestProject.RecordingLog()).compiledSources());
        assertArrayEquals(good, Files.readAllBytes(object));
    }

    @Test
    void olderInstalledHeaderHidingTheBundledOneIsNamedAndTheSourceCompiledWithThePluginsHeaders() throws Exception {
        TestProject project = new TestProject(dir);
        // Stands for an older libbpf's headers installed on the system: found before the plugin's (fallback), and
        // without BPF_UPROBE, as libbpf 1.1's bpf_tracing.h is.
        Path older = Files.createDirectories(dir.resolve("older-libbpf/bpf"));
        Files.writeString(older.resolve("bpf_tracing.h"), "#ifndef OLDER_TRACING_H\n#define OLDER_TRACING_H\n"
                + "#define BPF_PROG(name, args...) name(unsigned long long *ctx)\n#endif\n");
        Files.writeString(older.resolve("libbpf_version.h"), "#define LIBBPF_MAJOR_VERSION 1\n"
                + "#define LIBBPF_MINOR_VERSION 1\n");
        String probe = "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n#include <bpf/bpf_tracing.h>\n"
                + "SEC(\"uprobe\") int BPF_UPROBE(on_call) { return ctx != 0; }\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n";
        project.write("probe.c", probe);
        GenerateRequest.Builder request = project.requestBuilder().targets(List.of(Target.AMD64))
                .cflags(List.of("-isystem", dir.resolve("older-libbpf").toString())); // where /usr/include would be

        // The default (fallback) builds it anyway, with the plugin's headers first, and says why, once.
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        assertEquals(1, execute(request.build(), log).compiledSources());
        List<String> warnings = log.lines().stream().filter(l -> l.startsWith("WARN probe.c: ")).toList();
        assertEquals(1, warnings.size(), log.lines().toString());
        assertTrue(warnings.get(0).contains("bpf/bpf_tracing.h came from " + older.resolve("bpf_tracing.h")
                + " (libbpf 1.1), which lacks BPF_UPROBE. Compiled it with the plugin's bpf/ headers ahead of the "
                + "system's instead. <bundledHeaders>always</bundledHeaders> does so from the start"), warnings.get(0));
        byte[] fallback = Files.readAllBytes(project.generatedResources().resolve("com/example/ebpf/probe_amd64.o"));
        assertEquals(0, execute(request.build(), new TestProject.RecordingLog()).compiledSources(),
                "up to date afterwards");

        // What always gives from the start is the same object.
        TestProject.RecordingLog always = new TestProject.RecordingLog();
        assertEquals(1, execute(request.bundledHeaders(BundledHeadersMode.ALWAYS).build(), always).compiledSources());
        assertFalse(always.contains("ahead of the system's"), always.lines().toString());
        assertArrayEquals(fallback, Files.readAllBytes(project.generatedResources()
                .resolve("com/example/ebpf/probe_amd64.o")));

        // When the source is wrong anyway, the error names the header, the fix, and what clang said the second time.
        project.write("probe.c", probe.replace("return ctx != 0;", "return nope;"));
        CompilationFailedException e = assertThrows(CompilationFailedException.class,
                () -> execute(request.bundledHeaders(BundledHeadersMode.FALLBACK).build(),
                        new TestProject.RecordingLog()));
        assertTrue(e.getMessage().contains("hint: bpf/bpf_tracing.h came from " + older.resolve("bpf_tracing.h")
                + " (libbpf 1.1), which lacks BPF_UPROBE, used by probe.c"), e.getMessage());
        assertTrue(e.getMessage().contains("Set <bundledHeaders>always</bundledHeaders>"), e.getMessage());
        assertTrue(e.getMessage().contains("Compiled again with the plugin's headers first, clang said:\n"),
                e.getMessage());
        assertTrue(e.getMessage().contains("use of undeclared identifier 'nope'"), e.getMessage());
    }

    @Test
    void aCleanBuildDoesNotWarnThatThePluginsOwnHeaderDirectoryIsMissing() throws Exception {
        TestProject project = new TestProject(dir);
        // Sources written for a copied libbpf include its headers by file name: "bpf_helpers.h".
        project.write("quoted.c", "#include <linux/bpf.h>\n#include \"bpf_helpers.h\"\n"
                + "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return XDP_PASS; }\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
        Path bundled = dir.resolve("target/ebpf-cache/include/bpf");
        assertFalse(Files.exists(bundled), "a clean build");
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        assertEquals(1, execute(project.requestBuilder().includeDirectories(List.of(bundled)).build(), log)
                .compiledSources());
        assertFalse(log.contains("does not exist"), log.lines().toString());
    }

    @Test
    void sourcesReachingTheCLibraryCompileWithoutAMultilibCLibrary() throws Exception {
        // glibc's gnu/stubs.h asks for gnu/stubs-32.h for BPF, which only gcc-multilib installs (this machine may
        // lack it: ls /usr/include/x86_64-linux-gnu/gnu/stubs-32.h); the plugin's empty one is searched last.
        TestProject project = new TestProject(dir);
        project.write("errno_user.c", "#include <errno.h>\n#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
                + "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return EINVAL == 22 ? XDP_PASS : XDP_DROP; }\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
        // linux/icmp.h includes linux/if.h, which includes sys/socket.h: glibc's headers, through gnu/stubs.h.
        project.write("icmp.c", "#include <linux/bpf.h>\n#include <linux/icmp.h>\n#include <bpf/bpf_helpers.h>\n"
                + "SEC(\"xdp\") int count_echo(struct xdp_md *ctx) { return ICMP_ECHO; }\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
        assertEquals(2, execute(project.request(), new TestProject.RecordingLog()).compiledSources());
        assertTrue(Files.isRegularFile(dir.resolve("target/ebpf-cache/include-compat/gnu/stubs-32.h")));
    }

    @Test
    void anInstalledStubsHeaderWinsOverThePluginsEmptyOne() throws Exception {
        TestProject project = new TestProject(dir);
        Path system = Files.createDirectories(dir.resolve("libc32/gnu"));
        Files.writeString(system.resolve("stubs-32.h"), "#define __stub_installed 1\n");
        project.write("errno_user.c", "#include <errno.h>\n#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
                + "#ifndef __stub_installed\n#error the plugin's stubs-32.h came first\n#endif\n"
                + "SEC(\"xdp\") int prog(struct xdp_md *ctx) { return EINVAL == 22 ? XDP_PASS : XDP_DROP; }\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
        GenerateRequest request = project.requestBuilder()
                .cflags(List.of("-isystem", dir.resolve("libc32").toString())).build();
        assertEquals(1, execute(request, new TestProject.RecordingLog()).compiledSources());
    }

    @Test
    void legacyMapDefinitionsFailWithTheFixNamedAndBuildWithIt() throws Exception {
        TestProject project = new TestProject(dir);
        // xdp-tutorial's older lessons, unmodified.
        project.write("xdp_stats.c", "#include <linux/bpf.h>\n#include <bpf/bpf_helpers.h>\n"
                + "struct bpf_map_def SEC(\"maps\") xdp_stats_map = {\n"
                + "    .type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(__u32), .value_size = sizeof(__u64),\n"
                + "    .max_entries = 5,\n};\n"
                + "SEC(\"xdp\") int count(struct xdp_md *ctx) {\n"
                + "    __u32 key = 0;\n    __u64 *value = bpf_map_lookup_elem(&xdp_stats_map, &key);\n"
                + "    if (value) __sync_fetch_and_add(value, 1);\n    return XDP_PASS;\n}\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
        CompilationFailedException e = assertThrows(CompilationFailedException.class,
                () -> execute(project.request(), new TestProject.RecordingLog()));
        assertTrue(e.getMessage().contains("variable has incomplete type 'struct bpf_map_def'"), e.getMessage());
        assertTrue(e.getMessage().contains("hint: struct bpf_map_def, of legacy SEC(\"maps\") map definitions, is"
                + " not declared"), e.getMessage());
        assertTrue(e.getMessage().contains("<cflag>-include</cflag><cflag>bpf2java/legacy_maps.h</cflag>"),
                e.getMessage());

        // The fix the hint names, as the user guide documents it.
        GenerateRequest fixed = project.requestBuilder()
                .cflags(List.of("-include", "bpf2java/legacy_maps.h")).build();
        assertEquals(1, execute(fixed, new TestProject.RecordingLog()).compiledSources());
        ObjectSpec spec = ObjectSpec.read("xdp_stats", Files.readAllBytes(project.generatedResources()
                .resolve("com/example/ebpf/xdp_stats_bpfel.o")));
        MapSpec map = spec.maps().stream().filter(m -> m.name().equals("xdp_stats_map")).findFirst().orElseThrow();
        assertEquals(MapSpec.MapKind.LEGACY, map.kind());
        assertEquals(MapType.ARRAY, map.type());
        assertEquals(List.of(4, 8, 5), List.of(map.keySize(), map.valueSize(), map.maxEntries()));
    }

    @Test
    void interruptedBuildIsRedoneAndItsLeftoversRemoved() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "counter.c");
        execute(project.request(), new TestProject.RecordingLog());
        Path stateFile = project.root().resolve("target/ebpf-cache/state");
        BuildState state = BuildState.read(stateFile);
        // As if a build had been killed while moving the outputs of a source that was deleted since.
        Path leftover = project.generatedSources().resolve("com/example/ebpf/Gone.java");
        Files.writeString(leftover, "class Gone {}");
        Map<String, SourceState> sources = new TreeMap<>(state.sources());
        sources.put("gone.c", new SourceState("gone.c", Map.of(), List.of(leftover)));
        new BuildState(BuildState.INCOMPLETE, state.toolVersions(), Map.of(), sources).write(stateFile);
        Files.createDirectories(project.root().resolve("target/ebpf-cache/work-dead/out"));

        BuildResult result = execute(project.request(), new TestProject.RecordingLog());
        assertEquals(1, result.compiledSources());
        assertFalse(Files.exists(leftover));
        assertEquals(List.of(), scratchDirectories(project));
        assertTrue(execute(project.request(), new TestProject.RecordingLog()).upToDate());
    }

    @Test
    void cleanBuildsAreByteIdenticalWhereverTheProjectIs() throws Exception {
        TestProject one = new TestProject(dir.resolve("one"));
        TestProject two = new TestProject(dir.resolve("elsewhere/two"));
        for (TestProject p : List.of(one, two)) {
            p.addFixture("counter.c", "counter.c");
            p.addFixture("types.c", "net/types.c");
            execute(p.request(), new TestProject.RecordingLog());
        }
        for (Path file : files(one.root().resolve("target/generated-resources"))) {
            Path other = two.root().resolve("target/generated-resources").resolve(
                    one.root().resolve("target/generated-resources").relativize(file));
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(other), file.toString());
        }
        for (Path file : files(one.generatedSources())) {
            assertEquals(Files.readString(file),
                    Files.readString(two.generatedSources().resolve(one.generatedSources().relativize(file))));
        }
        assertEquals(4, files(one.root().resolve("target/generated-resources")).size());
        assertEquals(2, files(one.generatedSources()).size());
    }

    @Test
    void missingSourceDirectoryIsNotAnError() throws Exception {
        TestProject project = new TestProject(dir);
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        BuildResult result = execute(project.request(), log);
        assertEquals(0, result.sources());
        assertTrue(log.contains("No eBPF source directory"), log.lines().toString());
        assertEquals(0, runner.count());
    }

    @Test
    void aConfiguredSourceDirectoryThatIsMissingOrEmptiedIsWarnedAbout() throws Exception {
        TestProject project = new TestProject(dir);
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        execute(project.requestBuilder().sourceDirectory(dir.resolve("src/main/bfp")).build(), log);
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN No eBPF source directory")
                && l.endsWith("(from <sourceDirectory>)")), log.lines().toString());

        Path source = project.addFixture("counter.c", "counter.c");
        execute(project.request(), BuildLog.silent());
        Files.delete(source);
        TestProject.RecordingLog emptied = new TestProject.RecordingLog();
        execute(project.request(), emptied);
        assertTrue(emptied.contains("WARN Removed the outputs of 1 deleted eBPF source(s)"), emptied.lines().toString());
        assertFalse(Files.exists(project.generatedSources().resolve("com/example/ebpf/Counter.java")));
    }

    @Test
    void aForeignArchitectureTargetIsWarnedAboutLikeATargetNamedOutright() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), "no kernel BTF to write vmlinux.h from");
        String foreign = System.getProperty("os.arch").equals("aarch64") ? "amd64" : "arm64";
        TestProject project = new TestProject(dir);
        project.write("src/main/bpf/uses_vmlinux.c", "#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n\n"
                + "SEC(\"xdp\")\nint run(struct xdp_md *ctx)\n{\n    return XDP_PASS;\n}\n\n"
                + "char LICENSE[] SEC(\"license\") = \"GPL\";\n");
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        execute(project.requestBuilder().targets(List.of(Target.BPFEL))
                .architectureTargets(Target.parseAll(List.of(foreign))).build(), log);
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN Target " + foreign + " compiles against")),
                log.lines().toString());
    }

    @Test
    void missingClangFailsWithTheSearchedPath() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "counter.c");
        Path empty = Files.createDirectories(dir.resolve("empty-bin"));
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> new GenerateOrchestrator(
                new ExecutableSearch(empty.toString()), runner).execute(project.request(), BuildLog.silent()));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void cpuV4WithAClangOlderThan18FailsNamingTheClangAndTheFix() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "counter.c");
        for (String clang : List.of("clang-14", "clang-19")) {
            if (new ExecutableSearch(System.getenv("PATH")).find(clang).isEmpty()) {
                continue; // .ci/install-deps installs both; a machine with one checks that one
            }
            GenerateRequest request = project.requestBuilder().cpu("v4").clang(Optional.of(clang))
                    .targets(List.of(Target.BPFEL)).build();
            if (clang.equals("clang-14")) {
                EbpfBuildException e = assertThrows(EbpfBuildException.class,
                        () -> execute(request, BuildLog.silent()));
                assertTrue(e.getMessage().startsWith("<cpu>v4</cpu> needs clang 18 or newer"), e.getMessage());
                assertTrue(e.getMessage().contains("<cpu>v3</cpu>"), e.getMessage());
            } else {
                assertEquals(1, execute(request, BuildLog.silent()).compiledSources());
            }
        }
    }

    @Test
    void anIncludeDirectoryThatDoesNotExistIsNamedInAWarning() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("counter.c", "counter.c");
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        execute(project.requestBuilder().includeDirectories(List.of(dir.resolve("no/such/include")))
                .targets(List.of(Target.BPFEL)).build(), log);
        assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains(dir.resolve("no/such/include")
                + " (from <includeDirectories>) does not exist")), log.lines().toString());
    }

    @Test
    void unknownTypeInTypesParameterNamesTheKnownOnes() throws Exception {
        TestProject project = new TestProject(dir);
        project.addFixture("types.c", "types.c");
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> execute(project.request(
                List.of(Target.BPFEL), new PrecompiledHeaderMode.Auto(), Optional.empty(), List.of("no_such_type")),
                BuildLog.silent()));
        assertTrue(e.getMessage().contains("[no_such_type]"), e.getMessage());
        assertTrue(e.getMessage().contains("event"), e.getMessage());
    }

    @Test
    void sourceWithNothingToLoadFailsNamingItAndTheFixNotDebugFlags() throws Exception {
        for (boolean strip : List.of(true, false)) {
            for (String content : List.of("", "static int twice(int x) { return 2 * x; }\n",
                    "char LICENSE[] __attribute__((section(\"license\"), used)) = \"GPL\";\n")) {
                TestProject project = new TestProject(Files.createTempDirectory(dir, "p"));
                project.addFixture("counter.c", "counter.c");
                project.write("net/nothing.c", content);
                EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> execute(
                        project.requestBuilder().strip(strip).build(), BuildLog.silent()));
                assertTrue(e.getMessage().startsWith("eBPF source net/nothing.c defines no program, map or global"
                        + " variable: there is nothing to load and no class Nothing to generate"), e.getMessage());
                assertTrue(e.getMessage().contains("<excludes>"), e.getMessage());
                assertFalse(e.getMessage().contains("-g0") || e.getMessage().contains("strip"), e.getMessage());
                assertFalse(Files.exists(project.generatedSources().resolve("com/example/ebpf/Counter.java")),
                        "nothing is committed when one source fails");
            }
        }
    }

    private BuildResult execute(GenerateRequest request, BuildLog log) throws Exception {
        return new GenerateOrchestrator(ExecutableSearch.ofEnvironment(), runner).execute(request, log);
    }

    private static Map<Path, FileTime> outputTimes(TestProject project) throws IOException {
        Map<Path, FileTime> times = new TreeMap<>();
        for (Path file : files(project.root().resolve("target/generated-resources"))) {
            times.put(file, Files.getLastModifiedTime(file));
        }
        for (Path file : files(project.generatedSources())) {
            times.put(file, Files.getLastModifiedTime(file));
        }
        return times;
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<Path> scratchDirectories(TestProject project) throws IOException {
        try (Stream<Path> list = Files.list(project.root().resolve("target/ebpf-cache"))) {
            return list.filter(p -> p.getFileName().toString().startsWith("work-")).toList();
        }
    }
}

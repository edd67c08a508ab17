package io.github.bpf2java.maven.headers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.generate.BuildResult;
import io.github.bpf2java.maven.generate.GenerateOrchestrator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledHeadersTest {
    /** Compiles only with the plugin's bpf_helpers.h: libbpf's has no BPF_LICENSE. */
    private static final String USES_OUR_MACRO = """
            #include <linux/types.h>
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            #include <bpf/bpf_endian.h>
            __u16 seen;
            SEC("xdp")
            int prog(struct xdp_md *ctx) { seen = bpf_htons(0x0800); return XDP_PASS; }
            BPF_LICENSE("GPL");
            """;
    private static final Path LIBBPF_HEADER = Path.of("/usr/include/bpf/bpf_helpers.h");

    @TempDir
    Path dir;

    @Test
    void extractsEveryHeaderAsPackaged() throws Exception {
        Path include = BundledHeaders.packaged().extractTo(dir.resolve("include"));
        for (String name : BundledHeaders.NAMES) {
            try (InputStream in = BundledHeaders.class.getResourceAsStream("bpf/" + name)) {
                assertArrayEquals(in.readAllBytes(), Files.readAllBytes(include.resolve("bpf").resolve(name)), name);
            }
        }
    }

    @Test
    void extractingAgainWritesNothingWhenUpToDateAndRestoresWhatChanged() throws Exception {
        BundledHeaders headers = BundledHeaders.packaged();
        Path bpf = headers.extractTo(dir.resolve("include")).resolve("bpf");
        FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        for (String name : BundledHeaders.NAMES) {
            Files.setLastModifiedTime(bpf.resolve(name), past);
        }
        headers.extractTo(dir.resolve("include"));
        for (String name : BundledHeaders.NAMES) {
            assertEquals(past, Files.getLastModifiedTime(bpf.resolve(name)), name + " rewritten although up to date");
        }
        Files.writeString(bpf.resolve("bpf_endian.h"), "/* edited */\n");
        Files.writeString(bpf.resolve("stale.h"), "/* from an older plugin */\n");
        headers.extractTo(dir.resolve("include"));
        assertEquals(past, Files.getLastModifiedTime(bpf.resolve("bpf_helpers.h")), "unchanged file not rewritten");
        assertTrue(Files.readString(bpf.resolve("bpf_endian.h")).contains("bpf_htons"), "edited file restored");
        assertFalse(Files.exists(bpf.resolve("stale.h")), "a header the plugin does not have is removed");
        try (var files = Files.list(bpf)) {
            assertEquals(BundledHeaders.NAMES.size() + 1, files.count(), "the headers and the marker, no temporaries");
        }
    }

    @Test
    void manifestDescribesTheCommittedHeaders() throws Exception {
        String expected = HeaderManifest.of(HeaderManifest.DIRECTORY);
        Path manifest = HeaderManifest.DIRECTORY.resolve(BundledHeaders.MANIFEST);
        if (Boolean.getBoolean("ebpf.regenerateHeaders")) {
            Files.writeString(manifest, expected);
        }
        assertEquals(expected, Files.readString(manifest), "bpf/MANIFEST is stale: regenerate it (run"
                + " HeaderManifest, or this test with -Debpf.regenerateHeaders=true)");
        if (!Boolean.getBoolean("ebpf.regenerateHeaders")) {
            assertTrue(expected.startsWith("digest " + BundledHeaders.packaged().digest() + "\n"),
                    "the plugin reads the committed digest");
        }
    }

    @Test
    void digestIsStableAndCoversEveryHeader() {
        String digest = BundledHeaders.packaged().digest();
        assertEquals(digest, BundledHeaders.packaged().digest());
        assertTrue(digest.matches("[0-9a-f]{64}"), digest);
    }

    @Test
    void modesPlaceTheDirectoryAfterOrBeforeTheSystemsOrNowhere() throws Exception {
        assertEquals(List.of("-idirafter", "inc"), BundledHeaders.clangArguments(BundledHeadersMode.FALLBACK, "inc"));
        assertEquals(List.of("-Iinc"), BundledHeaders.clangArguments(BundledHeadersMode.ALWAYS, "inc"));
        assertEquals(List.of(), BundledHeaders.clangArguments(BundledHeadersMode.NEVER, "inc"));
        assertEquals(BundledHeadersMode.FALLBACK, BundledHeadersMode.parse(null));
        assertEquals(BundledHeadersMode.ALWAYS, BundledHeadersMode.parse(" Always "));
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> BundledHeadersMode.parse("mine"));
        assertTrue(e.getMessage().contains("'mine'") && e.getMessage().contains("fallback")
                && e.getMessage().contains("always") && e.getMessage().contains("never"), e.getMessage());
    }

    @Test
    void alwaysCompilesWithThePluginsHeadersAndRecordsTheirDigestInTheBuildState() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("ours.c", USES_OUR_MACRO);
        BuildResult result = new GenerateOrchestrator().execute(project.requestBuilder()
                .bundledHeaders(BundledHeadersMode.ALWAYS).build(), new TestProject.RecordingLog());
        assertEquals(1, result.compiledSources());
        assertTrue(Files.isRegularFile(project.root().resolve("target/ebpf-cache/include/bpf/bpf_helpers.h")));
        String state = Files.readString(project.root().resolve("target/ebpf-cache/state"));
        assertTrue(state.contains("headers=always " + BundledHeaders.packaged().digest()), state);
    }

    @Test
    void fallbackPrefersInstalledLibbpfHeadersAndChangingTheModeRebuilds() throws Exception {
        TestProject project = new TestProject(dir);
        project.write("ours.c", USES_OUR_MACRO);
        GenerateOrchestrator orchestrator = new GenerateOrchestrator();
        orchestrator.execute(project.requestBuilder().bundledHeaders(BundledHeadersMode.ALWAYS).build(),
                new TestProject.RecordingLog());
        // The mode is part of the configuration: changing it compiles the source again.
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        BuildResult fallback = orchestrator.execute(project.requestBuilder()
                .bundledHeaders(BundledHeadersMode.FALLBACK).build(), log);
        assertEquals(1, fallback.compiledSources(), "the mode is part of the configuration");
        if (Files.exists(LIBBPF_HEADER)) {
            // libbpf's bpf_helpers.h comes first now, and it has no BPF_LICENSE: the first attempt fails, and the
            // source is compiled again with the plugin's headers first, with a warning naming the header.
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN ours.c: bpf/bpf_helpers.h came from "
                    + LIBBPF_HEADER) && l.contains("which lacks BPF_LICENSE")), log.lines().toString());
        } else {
            assertFalse(log.contains("WARN"), log.lines().toString());
        }
    }

    @Test
    void aFunctionAnOlderUsdtHeaderLacksGetsTheFallbackToo() throws Exception {
        // bpf_usdt_arg_size came after libbpf 1.1 (Debian 12's): a function of usdt.bpf.h, not a macro or helper.
        Path installed = Path.of("/usr/include/bpf/usdt.bpf.h");
        TestProject project = new TestProject(dir);
        project.write("sizes.c", """
                #include <linux/types.h>
                #include <linux/bpf.h>
                #include <linux/ptrace.h>
                #include <bpf/bpf_helpers.h>
                #include <bpf/usdt.bpf.h>
                SEC("usdt")
                int BPF_USDT(probe)
                {
                    return bpf_usdt_arg_size(ctx, 0);
                }
                char LICENSE[] SEC("license") = "GPL";
                """);
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        BuildResult built = new GenerateOrchestrator().execute(project.requestBuilder()
                .bundledHeaders(BundledHeadersMode.FALLBACK).build(), log);
        assertEquals(1, built.compiledSources());
        if (Files.exists(installed) && !Files.readString(installed).contains("bpf_usdt_arg_size")) {
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("WARN sizes.c: bpf/usdt.bpf.h came from "
                    + installed) && l.contains("which lacks bpf_usdt_arg_size")), log.lines().toString());
        }
    }

    @Test
    void aSharedHeaderNeedingAnArchitectureIsNotWarnedAboutForByteOrderTargets() throws Exception {
        // Sources sharing includes get a precompiled header per target; an older libbpf's usdt.bpf.h cannot be
        // precompiled for bpfel/bpfeb (it wants __TARGET_ARCH_*), and the sources are built for the architecture.
        TestProject project = new TestProject(dir);
        String source = """
                #include <linux/types.h>
                #include <linux/bpf.h>
                #include <linux/ptrace.h>
                #include <stdbool.h>
                #include <bpf/bpf_helpers.h>
                #include <bpf/usdt.bpf.h>
                SEC("usdt")
                int BPF_USDT(%s, long value)
                {
                    return value > 0;
                }
                char LICENSE[] SEC("license") = "GPL";
                """;
        project.write("first.c", String.format(source, "first"));
        project.write("second.c", String.format(source, "second"));
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        BuildResult built = new GenerateOrchestrator().execute(project.requestBuilder()
                .bundledHeaders(BundledHeadersMode.FALLBACK).build(), log);
        assertEquals(2, built.compiledSources());
        assertFalse(log.lines().stream().anyMatch(l -> l.startsWith("WARN") && l.contains("Could not precompile")),
                log.lines().toString());
    }

    @Test
    void functionsMacrosAndHelpersCountAsDeclared() {
        Set<String> names = ShadowedHeaders.declared("""
                #define BPF_USDT(name, args...) name(struct pt_regs *ctx)
                static long (* const bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;
                __weak __hidden
                int bpf_usdt_arg_cnt(struct pt_regs *ctx)
                {
                    if (x)
                        return foo(1);
                }
                static __always_inline long bpf_usdt_arg_size(struct pt_regs *ctx, __u64 arg_num);
                """);
        assertEquals(Set.of("BPF_USDT", "bpf_map_lookup_elem", "bpf_usdt_arg_cnt", "bpf_usdt_arg_size"), names);
    }
}

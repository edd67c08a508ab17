package io.github.bpf2java.maven.incremental;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildStateTest {

    @TempDir
    Path dir;

    @Test
    void survivesAWriteAndReadRoundTrip() throws Exception {
        Path header = Files.writeString(dir.resolve("with space\tand tab.h"), "#define X 1\n");
        Files.setLastModifiedTime(header, FileTime.fromMillis(1_000_000));
        FileDigester digester = new FileDigester(Map.of());
        SourceState source = SourceState.of("net/a.c", List.of(header), List.of(dir.resolve("A.java")), digester);
        BuildState state = new BuildState("flags=-O2 -g\nwith\ttab and \\ backslash", Map.of("1:2:/usr/bin/clang",
                "clang version 19.1.7\nTarget: x86_64\n"), digester.statCache(System.currentTimeMillis() * 1_000_000L),
                Map.of("net/a.c", source));
        Path file = dir.resolve("state");
        state.write(file);
        BuildState read = BuildState.read(file);
        assertEquals(state.configuration(), read.configuration());
        assertEquals(state.toolVersions(), read.toolVersions());
        assertEquals(state.statCache(), read.statCache());
        assertEquals(source.dependencies(), read.sources().get("net/a.c").dependencies());
        assertEquals(source.outputs(), read.sources().get("net/a.c").outputs());
        assertTrue(read.sources().get("net/a.c").unchanged(new FileDigester(read.statCache())));
    }

    @Test
    void damagedOrTruncatedFileMeansAFullRebuild() throws Exception {
        Path file = dir.resolve("state");
        Files.writeString(file, "bpf2java-build-state 1\nconfig\tx\nsource\ta.c\n");
        assertEquals(BuildState.INCOMPLETE, BuildState.read(file).configuration(), "no end line");
        Files.writeString(file, "bpf2java-build-state 1\nstat\tnot-a-number\n");
        assertTrue(BuildState.read(file).sources().isEmpty());
        Files.write(file, new byte[] {(byte) 0xff, 0, 1});
        assertTrue(BuildState.read(file).sources().isEmpty());
        assertTrue(BuildState.read(dir.resolve("absent")).sources().isEmpty());
    }

    @Test
    void changedContentIsSeenEvenWhenSizeAndTimeAreTheSame() throws Exception {
        Path header = Files.writeString(dir.resolve("h.h"), "#define X 1\n");
        FileTime time = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(header, time);
        FileDigester first = new FileDigester(Map.of());
        SourceState source = SourceState.of("a.c", List.of(header), List.of(), first);
        Files.writeString(header, "#define X 2\n");
        Files.setLastModifiedTime(header, time);
        // The stat cache would vouch for the old content; it is only trusted for files older than the racy window
        // at the time it was written, which an edit after that moves out of.
        Map<java.nio.file.Path, FileDigester.Stat> fresh = first.statCache(1_000_000L * 1_000_000L);
        assertTrue(fresh.isEmpty(), "a file modified within the racy window is not cached");
        assertFalse(source.unchanged(new FileDigester(fresh)));
    }
}

package io.github.bpf2java.maven.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void findsCFilesInNestedDirectoriesSortedByPath() throws Exception {
        touch("b.c");
        touch("net/xdp_drop.c");
        touch("a.c");
        touch("common.h");
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir, BuildLog.silent());
        assertEquals(List.of("a.c", "b.c", "net/xdp_drop.c"), found.stream().map(BpfSource::relativePath).toList());
        assertEquals("XdpDrop", found.get(2).className());
        assertEquals("xdp_drop", found.get(2).baseName());
    }

    @Test
    void aBpfDotCSourceIsNamedAsLibbpfNamesItsObjectAndItsClassKeepsTheBpf() throws Exception {
        touch("runqlat.bpf.c");
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir, BuildLog.silent());
        assertEquals("runqlat", found.get(0).baseName());
        assertEquals("RunqlatBpf", found.get(0).className());
    }

    @Test
    void aBpfDotCSourceAndAPlainOneOfTheSameNameWouldShareTheirObjectFiles() throws Exception {
        touch("runqlat.bpf.c");
        touch("runqlat.c");
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir, BuildLog.silent());
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> SourceDiscovery.requireDistinctNames(found));
        assertTrue(e.getMessage().contains("would both produce the object runqlat_<target>.o"), e.getMessage());
    }

    @Test
    void honoursExcludes() throws Exception {
        touch("a.c");
        touch("experimental/b.c");
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of("experimental/**")).discover(dir, BuildLog.silent());
        assertEquals(List.of("a.c"), found.stream().map(BpfSource::relativePath).toList());
    }

    @Test
    void missingDirectoryHasNoSources() throws Exception {
        assertTrue(new SourceDiscovery(List.of(), List.of()).discover(dir.resolve("absent"), BuildLog.silent()).isEmpty());
    }

    @Test
    void rejectsTwoFilesGeneratingTheSameClassNamingBoth() throws Exception {
        touch("xdp_drop.c");
        touch("net/xdp-drop.c");
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir, BuildLog.silent());
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> SourceDiscovery.requireDistinctNames(found));
        assertTrue(e.getMessage().contains("xdp_drop.c"), e.getMessage());
        assertTrue(e.getMessage().contains("net/xdp-drop.c"), e.getMessage());
        assertTrue(e.getMessage().contains("XdpDrop"), e.getMessage());
    }

    @Test
    void rejectsClassNamesThatDifferOnlyInCase() throws Exception {
        touch("standalone.c");
        touch("stand-alone.c");
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir, BuildLog.silent());
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> SourceDiscovery.requireDistinctNames(found));
        assertTrue(e.getMessage().contains("(as StandAlone and Standalone, names that differ only in case"),
                e.getMessage());
    }

    @Test
    void followsSymbolicLinksToFilesAndDirectories() throws Exception {
        Path sources = Files.createDirectories(dir.resolve("src/main/bpf"));
        Path shared = Files.createDirectories(dir.resolve("shared/net"));
        Files.writeString(shared.resolve("xdp_pass.c"), "");
        Files.writeString(dir.resolve("shared/counter.c"), "");
        Files.createSymbolicLink(sources.resolve("net"), Path.of("../../../shared/net"));
        Files.createSymbolicLink(sources.resolve("counter.c"), Path.of("../../../shared/counter.c"));
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(sources, log);
        assertEquals(List.of("counter.c", "net/xdp_pass.c"), found.stream().map(BpfSource::relativePath).toList());
        assertEquals(sources.resolve("net/xdp_pass.c"), found.get(1).file());
        assertTrue(log.lines().isEmpty(), log.lines().toString());
    }

    @Test
    void warnsAboutLinksItCannotFollowAndKeepsTheRest() throws Exception {
        touch("good.c");
        Files.createSymbolicLink(dir.resolve("dangling.c"), Path.of("gone.c"));
        Files.createSymbolicLink(dir.resolve("ping.c"), Path.of("pong.c"));
        Files.createSymbolicLink(dir.resolve("pong.c"), Path.of("ping.c"));
        Files.createDirectories(dir.resolve("net"));
        Files.createSymbolicLink(dir.resolve("net/up"), Path.of(".."));
        Files.createSymbolicLink(dir.resolve("notes.txt"), Path.of("missing.txt"));
        TestProject.RecordingLog log = new TestProject.RecordingLog();
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir, log);
        assertEquals(List.of("good.c"), found.stream().map(BpfSource::relativePath).toList());
        assertTrue(log.contains("WARN Skipping eBPF source dangling.c: the symbolic link points to gone.c, which does"
                + " not exist"), log.lines().toString());
        assertTrue(log.contains("WARN Skipping eBPF source ping.c: the symbolic link (to pong.c) is part of a loop"),
                log.lines().toString());
        assertTrue(log.contains("WARN Skipping eBPF source pong.c: the symbolic link (to ping.c) is part of a loop"),
                log.lines().toString());
        assertTrue(log.contains("WARN Not following the symbolic link net/up in " + dir + ": it leads back to a"
                + " directory that contains it (a loop)"), log.lines().toString());
        assertEquals(4, log.lines().size(), "nothing about links that are not sources: " + log.lines());
    }

    private void touch(String relative) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
    }
}

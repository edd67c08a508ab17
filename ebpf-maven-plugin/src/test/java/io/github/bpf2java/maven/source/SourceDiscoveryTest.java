package io.github.bpf2java.maven.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir);
        assertEquals(List.of("a.c", "b.c", "net/xdp_drop.c"), found.stream().map(BpfSource::relativePath).toList());
        assertEquals("XdpDrop", found.get(2).className());
        assertEquals("xdp_drop", found.get(2).baseName());
    }

    @Test
    void honoursExcludes() throws Exception {
        touch("a.c");
        touch("experimental/b.c");
        List<BpfSource> found = new SourceDiscovery(List.of("**/*.c"), List.of("experimental/**")).discover(dir);
        assertEquals(List.of("a.c"), found.stream().map(BpfSource::relativePath).toList());
    }

    @Test
    void missingDirectoryHasNoSources() throws Exception {
        assertTrue(new SourceDiscovery(List.of(), List.of()).discover(dir.resolve("absent")).isEmpty());
    }

    @Test
    void rejectsTwoFilesGeneratingTheSameClassNamingBoth() throws Exception {
        touch("xdp_drop.c");
        touch("net/xdp-drop.c");
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new SourceDiscovery(List.of("**/*.c"), List.of()).discover(dir));
        assertTrue(e.getMessage().contains("xdp_drop.c"), e.getMessage());
        assertTrue(e.getMessage().contains("net/xdp-drop.c"), e.getMessage());
        assertTrue(e.getMessage().contains("XdpDrop"), e.getMessage());
    }

    private void touch(String relative) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "");
    }
}

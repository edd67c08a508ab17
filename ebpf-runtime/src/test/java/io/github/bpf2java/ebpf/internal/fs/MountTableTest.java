package io.github.bpf2java.ebpf.internal.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private static final String MOUNTINFO = """
            22 27 0:21 / /proc rw,relatime - proc proc rw
            23 27 0:22 / /sys rw,relatime shared:7 - sysfs sysfs rw
            40 23 0:40 / /sys/kernel/tracing rw,nosuid master:1 - tracefs nodev rw
            41 27 0:41 / /mnt/with\\040space rw - bpf bpf rw
            garbage line
            42 23 0:42 / /sys/kernel/tracing rw - tmpfs tmpfs rw
            """;

    @Test
    void readsMountPointTypeAndSourceAcrossOptionalFields() {
        MountTable table = MountTable.parse(MOUNTINFO);
        assertEquals(5, table.mounts().size(), "the malformed line is skipped");
        MountTable.Mount sys = table.at(Path.of("/sys")).orElseThrow();
        assertEquals("sysfs", sys.fsType());
        assertEquals("tracefs", table.ofType("tracefs").get(0).fsType());
        assertEquals("nodev", table.ofType("tracefs").get(0).source());
    }

    @Test
    void decodesOctalEscapesInPaths() {
        MountTable table = MountTable.parse(MOUNTINFO);
        assertEquals(Path.of("/mnt/with space"), table.ofType("bpf").get(0).mountPoint());
    }

    @Test
    void laterMountHidesEarlierOneAtTheSamePoint() {
        MountTable table = MountTable.parse(MOUNTINFO);
        assertEquals("tmpfs", table.at(Path.of("/sys/kernel/tracing")).orElseThrow().fsType());
        assertTrue(table.at(Path.of("/nowhere")).isEmpty());
    }

    @Test
    void readsThisProcessesMounts() {
        assertTrue(MountTable.read().at(Path.of("/proc")).isPresent());
    }
}

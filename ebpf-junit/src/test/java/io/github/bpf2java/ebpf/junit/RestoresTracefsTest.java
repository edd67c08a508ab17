package io.github.bpf2java.ebpf.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@link RestoresTracefs} run through the real Jupiter engine: a tracefs a class mounted is gone after it, one that was
 * there before it stays. The mounts are real (on directories of this test's own), so it needs root.
 */
@RequiresCapability(Capability.SYS_ADMIN)
class RestoresTracefsTest {
    /** Where the fixture class mounts tracefs; set by the test running it. */
    static Path mountPoint;

    /** Run by the engine inside the tests below: mounts tracefs, as attaching a tracepoint does where none is. */
    @RestoresTracefs
    static class MountsTracefs {
        @Test
        void mounts() throws Exception {
            mount(mountPoint);
            assertTrue(TracefsRestorer.tracefsMountPoints().contains(mountPoint.toString()));
        }
    }

    /** Run by the engine: uses the tracefs the test mounted before it. */
    @RestoresTracefs
    static class UsesTracefs {
        @Test
        void finds() {
            assertTrue(Files.isRegularFile(mountPoint.resolve("trace_pipe")));
        }
    }

    @AfterEach
    void unmountWhatIsLeft() throws Exception {
        if (mountPoint != null) {
            while (TracefsRestorer.tracefsMountPoints().contains(mountPoint.toString())) {
                run("umount", mountPoint.toString());
            }
            Files.deleteIfExists(mountPoint);
            mountPoint = null;
        }
    }

    @Test
    void aTracefsMountedByTheClassIsUnmountedAfterIt() throws Exception {
        mountPoint = Files.createTempDirectory("restores-tracefs");
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(MountsTracefs.class)).execute().testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertFalse(TracefsRestorer.tracefsMountPoints().contains(mountPoint.toString()),
                "still mounted: " + TracefsRestorer.tracefsMountPoints());
    }

    @Test
    void aTracefsMountedBeforeTheClassStays() throws Exception {
        mountPoint = Files.createTempDirectory("restores-tracefs");
        mount(mountPoint);
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(UsesTracefs.class)).execute().testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertTrue(TracefsRestorer.tracefsMountPoints().contains(mountPoint.toString()),
                "unmounted: " + TracefsRestorer.tracefsMountPoints());
    }

    private static void mount(Path where) throws IOException, InterruptedException {
        run("mount", "-t", "tracefs", "nodev", where.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }
}

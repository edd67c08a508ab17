package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.ebpf.ExecWatch;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.RingBufferReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The generated class used from a named module (surefire puts the project on the module path, since it has a
 * module-info.java), which does not open its packages to the runtime.
 */
class NamedModuleTest {

    @Test
    void runsOnTheModulePath() {
        assertEquals("com.example.execs", ExecWatch.class.getModule().getName());
        assertEquals("io.github.bpf2java.ebpf", BpfObject.class.getModule().getName());
        assertTrue(ExecWatch.class.getModule().getDescriptor().opens().isEmpty(), "the module opens nothing");
    }

    @Test
    void theGeneratedClassReadsItsObjectWithoutAnOpensClause() {
        assertEquals("tracepoint/sched/sched_process_exec",
                ExecWatch.spec().program("on_exec").orElseThrow().sectionName());
    }

    @Test
    void execsAreCountedAndArriveAsTypedEvents() throws Exception {
        requireRoot();
        List<ExecWatch.ExecEvent> events = new ArrayList<>();
        try (ExecWatch watch = ExecWatch.load();
                RingBufferReader reader = watch.openExecEvents(events::add)) {
            watch.attach().requireComplete();
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Process child = new ProcessBuilder("/bin/true").start();
                pids.add(child.pid());
                assertEquals(0, child.waitFor());
            }
            assertTrue(watch.globals().execs() >= 3, "execs counted: " + watch.globals().execs());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && !seenAll(events, pids)) {
                reader.poll(Duration.ofMillis(200));
            }
            assertTrue(seenAll(events, pids), "an event for each child " + pids + ": " + events);
            assertTrue(events.stream().anyMatch(e -> e.comm().equals("true")), events.toString());
        }
    }

    private static boolean seenAll(List<ExecWatch.ExecEvent> events, List<Long> pids) {
        return pids.stream().allMatch(pid -> events.stream().anyMatch(e -> e.pid() == pid));
    }

    private static void requireRoot() throws IOException {
        String os = System.getProperty("os.name", "");
        Object uid = os.toLowerCase(Locale.ROOT).contains("linux")
                ? Files.getAttribute(Path.of("/proc/self"), "unix:uid") : "not Linux";
        if (!Integer.valueOf(0).equals(uid)) {
            String reason = "loading BPF programs needs root on Linux; uid " + uid;
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                Assertions.fail(reason + " (a failure, not a skip, because EBPF_REQUIRE_KERNEL=1)");
            }
            Assumptions.abort(reason);
        }
    }
}

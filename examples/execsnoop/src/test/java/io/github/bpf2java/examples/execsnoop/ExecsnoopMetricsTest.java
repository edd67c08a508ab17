package io.github.bpf2java.examples.execsnoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.BpfStats;
import io.github.bpf2java.ebpf.RingBufferReader;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import io.github.bpf2java.ebpf.micrometer.BpfMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The example's program and reader published as Micrometer meters ({@code ebpf-micrometer}). */
@RestoresTracefs
class ExecsnoopMetricsTest {
    private static final int EXECS = 5;

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void metersCountTheProgramsRunsAndTheRecordsRead() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong handled = new AtomicLong();
        try (BpfStats stats = BpfStats.enable();
                Execsnoop execsnoop = Execsnoop.load();
                RingBufferReader reader = RingBufferReader.open(execsnoop.events(), record -> handled.incrementAndGet());
                BpfMetrics metrics = BpfMetrics.builder().object(execsnoop.object()).reader("events", reader)
                        .tags(Tags.of("app", "execsnoop")).build()) {
            metrics.bindTo(registry);
            execsnoop.attach();
            for (int i = 0; i < EXECS; i++) {
                Process child = new ProcessBuilder("/bin/true").start();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (handled.get() < EXECS && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(100));
            }

            FunctionTimer runs = registry.get("bpf.program.runs").tags("app", "execsnoop", "object", "execsnoop")
                    .functionTimer();
            FunctionCounter records = registry.get("bpf.reader.records")
                    .tags("reader", "events", "kind", "ringbuf").functionCounter();
            // Other processes exec too: at least ours were counted, and the program ran once per record it wrote.
            assertTrue(handled.get() >= EXECS, handled + " records");
            assertEquals(handled.get(), (long) records.count());
            assertTrue(runs.count() >= handled.get(), runs.count() + " runs for " + handled + " records");
            assertTrue(runs.totalTime(TimeUnit.NANOSECONDS) > 0, "the kernel measured the run time");
            assertTrue(registry.get("bpf.program.recursion.misses").functionCounter().count() >= 0);
        }
        assertEquals(List.of(), registry.getMeters(), "closing the binder removed its meters");
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void anObjectLoadedAgainIntoTheSameRegistryIsMeasuredAgain() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BpfStats stats = BpfStats.enable()) {
            for (int restart = 0; restart < 2; restart++) {
                try (Execsnoop execsnoop = Execsnoop.load();
                        BpfMetrics metrics = BpfMetrics.builder().object(execsnoop.object()).build()) {
                    metrics.bindTo(registry);
                    execsnoop.attach();
                    Process child = new ProcessBuilder("/bin/true").start();
                    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
                    // Were the first load's meter left registered, Micrometer would hand it back here, reading 0.
                    double runs = registry.get("bpf.program.runs").functionTimer().count();
                    assertTrue(runs >= 1, "load " + restart + ": " + runs + " runs measured");
                }
            }
        }
    }
}

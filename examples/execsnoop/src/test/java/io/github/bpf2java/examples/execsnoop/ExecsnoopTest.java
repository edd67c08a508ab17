package io.github.bpf2java.examples.execsnoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.RingBufferReader;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RestoresTracefs;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generated {@link Execsnoop} class and its ring buffer, loaded into the running kernel. */
@RestoresTracefs
class ExecsnoopTest {

    @Test
    void declaresARingBufferTypedWithTheEvent() {
        MapSpec events = Execsnoop.spec().map("events").orElseThrow();
        assertEquals(MapType.RINGBUF, events.type());
        assertEquals(256 * 1024, events.maxEntries());
        assertEquals(Execsnoop.Event.SIZE, events.valueSize(), "the C declaration's __type(value, struct event)");
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void anExecOfTrueArrivesWithItsPidCommAndFile() throws Exception {
        List<Execsnoop.Event> events = new ArrayList<>();
        try (Execsnoop execsnoop = Execsnoop.load();
                RingBufferReader reader = execsnoop.openEvents(events::add)) {
            assertEquals(1, execsnoop.attach().links().size());
            long before = System.nanoTime();
            Process child = new ProcessBuilder("/bin/true").start();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            long after = System.nanoTime();

            Optional<Execsnoop.Event> ours = Optional.empty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ours.isEmpty() && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200));
                // The JDK may start the child through its spawn helper, which is exec'd first with the same pid.
                ours = events.stream().filter(e -> e.pid() == child.pid() && e.comm().equals("true"))
                        .findFirst();
            }
            Execsnoop.Event event = ours.orElseThrow(() -> new AssertionError("no exec of /bin/true with pid "
                    + child.pid() + " among " + events));
            assertEquals("/bin/true", event.filename());
            assertEquals(0, event.uid(), "run by root");
            assertTrue(event.timestampNs() >= before && event.timestampNs() <= after,
                    "the kernel's CLOCK_MONOTONIC time lies between the two System.nanoTime() readings");
        }
    }
}

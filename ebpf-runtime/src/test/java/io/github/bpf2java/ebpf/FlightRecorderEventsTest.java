package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's Flight Recorder events, recorded in-process around real loads, attaches and test runs and read back
 * from the recording file.
 */
class FlightRecorderEventsTest {
    private static final String PREFIX = "io.github.bpf2java.";

    @TempDir
    Path scratch;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    private static String compiler() {
        return BpfFixtures.installedCompilers().get(0);
    }

    private List<RecordedEvent> record(Runnable work) throws Exception {
        Path file = scratch.resolve("bpf.jfr");
        try (Recording recording = new Recording()) {
            for (String name : List.of("ObjectLoad", "MapCreate", "Attach", "Detach", "TestRun", "ReaderStatistics")) {
                recording.enable(PREFIX + name).withoutThreshold();
            }
            recording.start();
            work.run();
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith(PREFIX)).collect(Collectors.toList());
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(PREFIX + name))
                .collect(Collectors.toList());
    }

    @Test
    void loadMapAttachDetachAndTestRunAreRecordedWithTheirFields() throws Exception {
        List<Integer> linkIds = new ArrayList<>();
        int[] mapId = {0};
        List<RecordedEvent> events = record(() -> {
            try (BpfObject counter = BpfObject.load(BpfFixtures.hostSpec("counter", compiler()))) {
                mapId[0] = counter.map("counting_map").id();
            }
            try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("raw_tp_run", compiler()))) {
                BpfLink link = object.program("raw_tp_sum").attach();
                linkIds.add(link.info().id());
                link.close();
            }
            try (BpfObject packets = BpfObject.load(BpfFixtures.hostSpec("packet_programs", compiler()))) {
                packets.program("xdp_drop_udp_port").testRun(TestRun.builder()
                        .data(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 9999).build())
                        .repeat(10).build());
            }
        });
        List<RecordedEvent> loads = named(events, "ObjectLoad");
        assertEquals(3, loads.size(), () -> events.toString());
        RecordedEvent counterLoad = loads.get(0);
        assertTrue(counterLoad.getString("object").startsWith("counter"), counterLoad::toString);
        assertEquals(1, counterLoad.getInt("programs"));
        assertTrue(counterLoad.getInt("maps") >= 1, counterLoad::toString);
        assertTrue(counterLoad.getLong("verifiedInstructions") > 0, counterLoad::toString);
        assertTrue(counterLoad.getLong("translatedBytes") > 0, counterLoad::toString);
        assertTrue(counterLoad.getBoolean("succeeded"));
        assertFalse(counterLoad.getDuration().isNegative());

        assertTrue(named(events, "MapCreate").stream().anyMatch(e -> "counting_map".equals(e.getString("map"))
                && "ARRAY".equals(e.getString("type")) && e.getInt("keySize") == 4 && e.getInt("valueSize") == 8
                && e.getInt("maxEntries") == 1 && e.getInt("mapId") == mapId[0]
                && "counting_map".equals(e.getString("kernelName"))), () -> named(events, "MapCreate").toString());

        List<RecordedEvent> attaches = named(events, "Attach");
        List<RecordedEvent> detaches = named(events, "Detach");
        assertEquals(1, attaches.size(), attaches::toString);
        assertEquals(1, detaches.size(), "closed once, even though the object closes its links again");
        assertTrue(attaches.get(0).getString("link").contains("sys_enter"), attaches.get(0)::toString);
        assertEquals(attaches.get(0).getString("link"), detaches.get(0).getString("link"));
        for (RecordedEvent event : List.of(attaches.get(0), detaches.get(0))) {
            assertEquals("raw_tp_sum", event.getString("program"), event::toString);
            assertEquals(linkIds.get(0), event.getInt("linkId"), "the bpf_link's id, as bpftool lists it");
        }

        RecordedEvent run = named(events, "TestRun").get(0);
        assertEquals(10, run.getInt("repeat"));
        assertEquals(1, run.getInt("returnValue")); // XDP_DROP
    }

    @Test
    void aReaderReportsWhatItHandedOutWhenItCloses() throws Exception {
        List<RecordedEvent> events = record(() -> {
            try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("ring_buffers", compiler()));
                    RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> { })) {
                for (int seq = 0; seq < 5; seq++) {
                    assertEquals(0, TestRuns.rawTracepoint(object.program("emit"), seq, 16, 0, 0));
                }
                assertEquals(5, reader.consume());
            }
        });
        List<RecordedEvent> statistics = named(events, "ReaderStatistics");
        assertEquals(1, statistics.size(), events::toString);
        assertTrue(statistics.get(0).getString("reader").contains("small_ring"), statistics.get(0)::toString);
        assertEquals(5, statistics.get(0).getLong("records"));
        assertEquals(0, statistics.get(0).getLong("lost"));
    }

    @Test
    void aFailedLoadIsRecordedWithItsError() throws Exception {
        List<RecordedEvent> events = record(() -> {
            try {
                BpfObject.load(BpfFixtures.hostSpec("rejected", compiler())).close();
            } catch (BpfException expected) {
                // recorded below
            }
        });
        RecordedEvent load = named(events, "ObjectLoad").get(0);
        assertFalse(load.getBoolean("succeeded"));
        assertTrue(load.getString("error").contains("Exception"), load::toString);
    }

    @Test
    void withoutARecordingNothingIsComputed() {
        // Events are disabled by default: shouldCommit() is false, so no program info is queried on load.
        assertFalse(new io.github.bpf2java.ebpf.internal.events.ObjectLoadEvent().shouldCommit());
        assertFalse(new io.github.bpf2java.ebpf.internal.events.MapCreateEvent().isEnabled());
    }
}

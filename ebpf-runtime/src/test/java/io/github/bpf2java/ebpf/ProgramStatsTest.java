package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Run statistics ({@link BpfStats}, {@link BpfProgram#stats()}) and program/map info from the real kernel. */
class ProgramStatsTest {
    private static final int RUNS = 500;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void statisticsCountEveryTestRunWhileEnabled() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("packet_programs",
                BpfFixtures.installedCompilers().get(0)))) {
            BpfProgram xdp = object.program("xdp_drop_udp_port");
            TestRun run = TestRun.builder().data(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2)
                    .build()).repeat(RUNS).build();
            BpfProgramStats before = xdp.stats();
            try (BpfStats stats = BpfStats.enable()) {
                xdp.testRun(run);
                BpfProgramStats after = xdp.stats();
                assertTrue(after.runCount() - before.runCount() >= RUNS, () -> "counted " + after);
                assertTrue(after.runTimeNs() > before.runTimeNs(), () -> "run time " + after);
                stats.close();
                assertTrue(stats.isClosed());
            }
        }
    }

    @Test
    void programAndMapInfoMatchWhatTheKernelKnows() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("counter",
                BpfFixtures.installedCompilers().get(0)))) {
            BpfProgram program = object.program("count_execve");
            BpfProgramInfo info = program.info();
            assertEquals(program.id(), info.id());
            assertEquals(ProgramType.TRACEPOINT, info.type().orElseThrow());
            assertTrue(info.tag().matches("[0-9a-f]{16}"), info.tag());
            assertTrue(info.verifiedInstructions() > 0, () -> "verified " + info);
            assertTrue(info.translatedBytes() > 0, () -> "xlated " + info);
            assertTrue(info.memlockBytes() > 0, () -> "memlock " + info);
            BpfMap map = object.map("counting_map");
            assertTrue(info.mapIds().contains(map.id()), () -> info.mapIds() + " vs " + map.id());
            BpfMapInfo mapInfo = map.info();
            assertEquals(map.id(), mapInfo.id());
            assertEquals(MapType.ARRAY, mapInfo.type().orElseThrow());
            assertEquals(4, mapInfo.keySize());
            assertEquals(8, mapInfo.valueSize());
            assertEquals("counting_map", mapInfo.name());
            assertTrue(mapInfo.memlockBytes() > 0, () -> "memlock " + mapInfo);
        }
    }
}

package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.Asm;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProgramsTest {
    private static final int XDP_PASS = 2;

    @BeforeEach
    void needsBpf() {
        KernelSupport.assumeBpf();
    }

    @Test
    void xdpProgramReturnsItsConstantOnATestRun() {
        try (Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.XDP, Asm.returning(XDP_PASS), "GPL")
                .name("xdp_pass").build())) {
            TestRunResult result = Programs.testRun(prog, TestRunRequest.packet(new byte[64]).repeated(10));
            assertEquals(XDP_PASS, result.returnValue());
            assertEquals(64, result.dataOut().length, "XDP_PASS leaves the packet as it was");
        }
    }

    @Test
    void socketFilterReturnsItsConstantOnATestRun() {
        try (Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, Asm.returning(1234),
                "GPL").name("sock").build())) {
            assertEquals(1234, Programs.testRun(prog, TestRunRequest.packet(new byte[64])).returnValue());
        }
    }

    @Test
    void exitWithoutSettingR0IsRejectedWithTheVerifierLog() {
        byte[] exitOnly = new Asm().exit().bytes();
        VerifierException e = assertThrows(VerifierException.class, () -> Programs.load(
                ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, exitOnly, "GPL").name("no_r0").build()));
        assertEquals("no_r0", e.programName());
        assertEquals("EACCES", e.errnoName());
        assertTrue(e.log().contains("R0 !read_ok"), e.log());
        assertTrue(e.getMessage().contains("program 'no_r0'"), e.getMessage());
        assertTrue(e.getMessage().contains("R0 !read_ok"), "the message shows the verifier's words: " + e.getMessage());
        assertFalse(e.truncated());
    }

    @Test
    void readingAnUninitialisedRegisterNamesIt() {
        byte[] readsR2 = new Asm().movReg(0, 2).exit().bytes();
        VerifierException e = assertThrows(VerifierException.class, () -> Programs.load(
                ProgramLoadRequest.builder(ProgramType.XDP, readsR2, "GPL").name("reads_r2").build()));
        assertTrue(e.log().contains("R2 !read_ok"), e.log());
    }

    @Test
    void logLargerThanTheFirstBufferIsReadWhole() {
        // At log level 2 every instruction is logged; 6000 of them overflow the first 64 KiB buffer.
        Asm asm = new Asm();
        for (int i = 0; i < 6000; i++) {
            asm.mov(1, i);
        }
        byte[] longProgram = asm.exit().bytes();
        VerifierException e = assertThrows(VerifierException.class, () -> Programs.load(
                ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, longProgram, "GPL").name("long")
                        .logLevel(2).build()));
        assertTrue(e.log().length() > KernelLog.INITIAL_SIZE, "log of " + e.log().length() + " bytes");
        assertTrue(e.log().contains("R0 !read_ok"), "the error at the end is in the log");
        assertTrue(e.log().contains("5999: "), "the instructions before it are too");
        assertFalse(e.truncated());
    }

    @Test
    void unknownHelperIsReportedByTheVerifier() {
        byte[] badCall = new Asm().call(100_000).mov(0, 0).exit().bytes();
        VerifierException e = assertThrows(VerifierException.class, () -> Programs.load(
                ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, badCall, "GPL").name("bad_call").build()));
        assertEquals("EINVAL", e.errnoName());
        assertTrue(e.log().contains("invalid func") || e.log().contains("unknown func"), e.log());
    }

    @Test
    void reportsInfoWithTheMapsAProgramUses() {
        try (MapFd counter = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("cnt").build());
                Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER,
                        Asm.countingInto(counter.fd().raw()), "GPL").name("counting").build())) {
            ProgramInfo info = Programs.info(prog);
            assertEquals(ProgramType.SOCKET_FILTER, info.type().orElseThrow());
            assertEquals("counting", info.name());
            assertEquals(List.of(counter.info().id()), info.mapIds());
            assertEquals(16, info.tag().length());
            assertTrue(info.gplCompatible());
            assertTrue(info.xlatedLength() > 0);

            Programs.testRun(prog, TestRunRequest.packet(new byte[64]).repeated(5));
            byte[] count = new byte[8];
            assertTrue(counter.lookup(MapFdTest.key(0), count));
            assertEquals(5, MapFdTest.asLong(count), "the program ran once per repeat");
        }
    }

    @Test
    void proprietaryLicenseIsNotGplCompatible() {
        try (Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, Asm.returning(0),
                "Proprietary").name("closed").build())) {
            assertFalse(Programs.info(prog).gplCompatible());
        }
    }

    @Test
    void boundMapIsListedInInfo() {
        try (MapFd meta = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 4, 1).name("meta").build());
                Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, Asm.returning(0),
                        "GPL").name("bind").build())) {
            assertTrue(Programs.info(prog).mapIds().isEmpty());
            Programs.bindMap(prog, meta.fd());
            assertEquals(List.of(meta.info().id()), Programs.info(prog).mapIds());
        }
    }

    @Test
    void reopensByIdAndCountsRunsWhileStatisticsAreOn() {
        try (Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, Asm.returning(0),
                "GPL").name("stats").build());
                Fd again = Programs.byId(Programs.info(prog).id())) {
            assertEquals("stats", Programs.info(again).name());
            try (Fd stats = ProgramStats.enable()) {
                assertTrue(stats.raw() > 0, "statistics stay on while the descriptor is open");
                Programs.testRun(again, TestRunRequest.packet(new byte[64]).repeated(3));
            }
            ProgramInfo info = Programs.info(prog);
            assertTrue(info.runCount() >= 3, "runs counted: " + info.runCount());
            assertTrue(info.runTimeNs() > 0, "run time counted: " + info.runTimeNs());
        }
    }

    @Test
    void badFdArrayIsAKernelErrorNotACrash() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 4, 1).name("tmp").build())) {
            Fd closed = map.fd().dup();
            closed.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Programs.load(
                    ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, Asm.returning(0), "GPL")
                            .fdArray(List.of(closed)).build()));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }

    @Test
    void testRunOfAnUnsupportedTypeSaysSo() {
        try (Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.TRACEPOINT, Asm.returning(0), "GPL")
                .name("tp").build())) {
            KernelException e = assertThrows(KernelException.class,
                    () -> Programs.testRun(prog, TestRunRequest.packet(new byte[64])));
            assertTrue(e.getMessage().contains("BPF_PROG_TEST_RUN"), e.getMessage());
        }
    }
}

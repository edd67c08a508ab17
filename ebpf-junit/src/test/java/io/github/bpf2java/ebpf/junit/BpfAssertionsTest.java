package io.github.bpf2java.ebpf.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.run.Verdicts;
import io.github.bpf2java.ebpf.spec.ProgramType;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Failure messages name verdicts and show packets, instead of bare numbers and arrays. */
class BpfAssertionsTest {
    private static final byte[] FRAME = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 9999).build();

    @Test
    void xdpVerdictsAreNamed() {
        TestRunResult passed = new TestRunResult(Verdicts.XDP_PASS, 10, FRAME, new byte[0]);
        BpfAssertions.assertXdpAction(Verdicts.XDP_PASS, passed);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> BpfAssertions.assertXdpAction(Verdicts.XDP_DROP, passed));
        assertTrue(e.getMessage().startsWith("expected XDP_DROP (1) but the program returned XDP_PASS (2)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("destinationPort=9999"), e.getMessage());
    }

    @Test
    void tcVerdictsAreNamed() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> BpfAssertions.assertTcAction(
                Verdicts.TC_ACT_OK, new TestRunResult(Verdicts.TC_ACT_SHOT, 1, new byte[0], new byte[0])));
        assertTrue(e.getMessage().startsWith("expected TC_ACT_OK (0) but the program returned TC_ACT_SHOT (2)"),
                e.getMessage());
    }

    @Test
    void aVerdictOfTheWrongKindOfProgramFails() {
        // XDP_PASS and TC_ACT_SHOT are both 2: without the type, either assertion would pass on the other's result.
        TestRunResult xdp = new TestRunResult(ProgramType.XDP, Verdicts.XDP_PASS, 10, FRAME, new byte[0]);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> BpfAssertions.assertTcAction(Verdicts.TC_ACT_SHOT, xdp));
        assertEquals("assertTcAction reads the return value as a verdict of tc programs, but the program that ran is "
                + "of type XDP (returned 2): use assertXdpAction", e.getMessage());
        TestRunResult tc = new TestRunResult(ProgramType.SCHED_CLS, Verdicts.TC_ACT_SHOT, 10, FRAME, new byte[0]);
        e = assertThrows(AssertionFailedError.class, () -> BpfAssertions.assertXdpAction(Verdicts.XDP_PASS, tc));
        assertTrue(e.getMessage().endsWith("of type SCHED_CLS (returned 2): use assertTcAction"), e.getMessage());
        BpfAssertions.assertTcAction(Verdicts.TC_ACT_SHOT, tc);
        BpfAssertions.assertXdpAction(Verdicts.XDP_PASS, xdp);
    }

    @Test
    void framesDifferAsAHexDiff() {
        byte[] other = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").ttl(63).udp(1, 9999).build();
        BpfAssertions.assertFrameEquals(FRAME, FRAME.clone());
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> BpfAssertions.assertFrameEquals(FRAME, other));
        assertTrue(e.getMessage().contains("2 bytes differ (first at offset 22)"), e.getMessage());
        assertTrue(e.getMessage().contains("ttl=63"), e.getMessage());
    }
}

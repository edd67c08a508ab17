package io.github.bpf2java.ebpf.junit;

import io.github.bpf2java.ebpf.packet.HexDiff;
import io.github.bpf2java.ebpf.packet.ParsedPacket;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.run.Verdicts;
import java.util.Arrays;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on test runs whose failures say what happened: {@code expected XDP_DROP (1) but the program returned
 * XDP_PASS (2)}, and packets as a hex diff of the differing rows with both frames parsed.
 */
public final class BpfAssertions {
    private BpfAssertions() {}

    /** The XDP program returned {@code expected} ({@link Verdicts#XDP_DROP}, ...). */
    public static void assertXdpAction(int expected, TestRunResult result) {
        if (result.returnValue() != expected) {
            throw new AssertionFailedError("expected " + Verdicts.xdp(expected) + " but the program returned "
                    + Verdicts.xdp(result.returnValue()) + withFrame(result), Verdicts.xdp(expected),
                    Verdicts.xdp(result.returnValue()));
        }
    }

    /** The tc program returned {@code expected} ({@link Verdicts#TC_ACT_OK}, ...). */
    public static void assertTcAction(int expected, TestRunResult result) {
        if (result.returnValue() != expected) {
            throw new AssertionFailedError("expected " + Verdicts.tc(expected) + " but the program returned "
                    + Verdicts.tc(result.returnValue()) + withFrame(result), Verdicts.tc(expected),
                    Verdicts.tc(result.returnValue()));
        }
    }

    /** The frames are equal; on failure the message shows where they differ and both parsed. */
    public static void assertFrameEquals(byte[] expected, byte[] actual) {
        if (!Arrays.equals(expected, actual)) {
            throw new AssertionFailedError("frames differ: " + HexDiff.diff(expected, actual) + "\nexpected "
                    + describe(expected) + "\nactual   " + describe(actual), HexDiff.dump(expected),
                    HexDiff.dump(actual));
        }
    }

    private static String withFrame(TestRunResult result) {
        byte[] out = result.dataOut();
        return out.length == 0 ? "" : "\nframe out: " + describe(out) + "\n" + HexDiff.dump(out);
    }

    private static String describe(byte[] frame) {
        try {
            return ParsedPacket.parse(frame).toString();
        } catch (IllegalArgumentException e) {
            return frame.length + " bytes (" + e.getMessage() + ")";
        }
    }
}

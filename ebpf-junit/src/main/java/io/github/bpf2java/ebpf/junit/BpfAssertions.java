package io.github.bpf2java.ebpf.junit;

import io.github.bpf2java.ebpf.packet.HexDiff;
import io.github.bpf2java.ebpf.packet.ParsedPacket;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.run.Verdicts;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on test runs whose failures say what happened: {@code expected XDP_DROP (1) but the program returned
 * XDP_PASS (2)}, and packets as a hex diff of the differing rows with both frames parsed.
 */
public final class BpfAssertions {
    private BpfAssertions() {}

    /**
     * The XDP program returned {@code expected} ({@link Verdicts#XDP_DROP}, ...).
     *
     * @throws AssertionFailedError also when {@code result} is of a program of another type (a tc program's
     *                              {@code TC_ACT_SHOT} is 2, as is {@code XDP_PASS})
     */
    public static void assertXdpAction(int expected, TestRunResult result) {
        requireType(result, "assertXdpAction", EnumSet.of(ProgramType.XDP), "XDP");
        if (result.returnValue() != expected) {
            throw new AssertionFailedError("expected " + Verdicts.xdp(expected) + " but the program returned "
                    + Verdicts.xdp(result.returnValue()) + withFrame(result), Verdicts.xdp(expected),
                    Verdicts.xdp(result.returnValue()));
        }
    }

    /**
     * The tc program returned {@code expected} ({@link Verdicts#TC_ACT_OK}, ...).
     *
     * @throws AssertionFailedError also when {@code result} is of a program of another type than
     *                              {@code SCHED_CLS} or {@code SCHED_ACT} (tc, tcx and netkit programs)
     */
    public static void assertTcAction(int expected, TestRunResult result) {
        requireType(result, "assertTcAction", EnumSet.of(ProgramType.SCHED_CLS, ProgramType.SCHED_ACT), "tc");
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

    // A result built by hand has no type (UNSPEC) and passes; one from a run of the wrong kind of program does not:
    // verdict numbers overlap between kinds, so the comparison alone could pass by accident.
    private static void requireType(TestRunResult result, String assertion, Set<ProgramType> types, String kind) {
        if (result.programType() != ProgramType.UNSPEC && !types.contains(result.programType())) {
            throw new AssertionFailedError(assertion + " reads the return value as a verdict of " + kind
                    + " programs, but the program that ran is of type " + result.programType() + " (returned "
                    + result.returnValue() + ")" + hintFor(result.programType()));
        }
    }

    private static String hintFor(ProgramType type) {
        return switch (type) {
            case XDP -> ": use assertXdpAction";
            case SCHED_CLS, SCHED_ACT -> ": use assertTcAction";
            default -> ": compare result.returnValue() with what the program returns";
        };
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

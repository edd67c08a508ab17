package io.github.bpf2java.ebpf.run;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;

/**
 * What one {@code BPF_PROG_TEST_RUN} gave back.
 *
 * @param programType    the type of the program that ran, so that its return value is read as the right kind of
 *                       verdict; {@link ProgramType#UNSPEC} for a result built by hand without one
 * @param returnValue    what the program returned (of the last run): an XDP action, a tc action, a socket filter's
 *                       byte count, ...
 * @param meanDurationNs the mean time of one run in nanoseconds, as the kernel measured it
 * @param dataOut        the packet as the program left it (empty when no room was asked for)
 * @param contextOut     the context as the program left it (empty when no room was asked for)
 */
public record TestRunResult(ProgramType programType, int returnValue, long meanDurationNs, byte[] dataOut,
        byte[] contextOut) {

    public TestRunResult {
        Objects.requireNonNull(programType, "programType");
        dataOut = dataOut.clone();
        contextOut = contextOut.clone();
    }

    /**
     * A result of a program of unknown type ({@link ProgramType#UNSPEC}): for tests of code that reads results,
     * which build one by hand.
     */
    public TestRunResult(int returnValue, long meanDurationNs, byte[] dataOut, byte[] contextOut) {
        this(ProgramType.UNSPEC, returnValue, meanDurationNs, dataOut, contextOut);
    }

    @Override
    public byte[] dataOut() {
        return dataOut.clone();
    }

    @Override
    public byte[] contextOut() {
        return contextOut.clone();
    }

    /** The mean time of one run. */
    public Duration meanDuration() {
        return Duration.ofNanos(meanDurationNs);
    }

    /**
     * {@link #returnValue()} named as an XDP action with its number, e.g. {@code XDP_DROP (1)}, for messages; compare
     * {@link #returnValue()} with {@link Verdicts#XDP_DROP} and the like in code.
     */
    public String xdpAction() {
        return Verdicts.xdp(returnValue);
    }

    /**
     * {@link #returnValue()} named as a tc action with its number, e.g. {@code TC_ACT_SHOT (2)}, for messages; compare
     * {@link #returnValue()} with {@link Verdicts#TC_ACT_SHOT} and the like in code.
     */
    public String tcAction() {
        return Verdicts.tc(returnValue);
    }

    /**
     * The context out decoded by {@code codec}.
     *
     * @throws IllegalStateException when the kernel gave back fewer bytes than the codec's size (ask for room with
     *                               {@link TestRun.Builder#contextOut(Codec)})
     */
    public <T> T context(Codec<T> codec) {
        if (contextOut.length < codec.size()) {
            throw new IllegalStateException("the context out has " + contextOut.length + " bytes, the codec needs "
                    + codec.size() + ": ask for room with TestRun.builder().contextOut(codec)");
        }
        return codec.decode(ByteBuffer.wrap(contextOut).order(ByteOrder.nativeOrder()), 0);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TestRunResult that && programType == that.programType
                && returnValue == that.returnValue
                && meanDurationNs == that.meanDurationNs && java.util.Arrays.equals(dataOut, that.dataOut)
                && java.util.Arrays.equals(contextOut, that.contextOut);
    }

    @Override
    public int hashCode() {
        return Objects.hash(programType, returnValue, meanDurationNs) * 961
                + 31 * java.util.Arrays.hashCode(dataOut) + java.util.Arrays.hashCode(contextOut);
    }

    @Override
    public String toString() {
        return "TestRunResult[" + programType + " program, returnValue " + returnValue + ", mean " + meanDurationNs + " ns, data out "
                + dataOut.length + " bytes, context out " + contextOut.length + " bytes]";
    }
}

package io.github.bpf2java.ebpf.internal.perf;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link PerfRing} holds: samples as read-only views valid during the call (the sample is from the
 * view's position to its limit; the same buffer object is reused), and counts of samples the kernel lost.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public interface PerfRecordSink {
    /** A sample written on {@code cpu}. */
    void sample(int cpu, ByteBuffer sample);

    /** {@code count} samples of {@code cpu} the kernel dropped because the ring was full (or output paused). */
    void lost(int cpu, long count);
}

package io.github.bpf2java.ebpf.internal.ringbuf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Facts of the BPF ring buffer's shared memory ({@code kernel/bpf/ringbuf.c}, {@code Documentation/bpf/ringbuf.rst},
 * {@code BPF_RINGBUF_*} in {@code linux/bpf.h}), the same for kernel and user producers:
 *
 * <pre>
 * mmap offset 0          consumer page: the consumer position, an unsigned long at its start
 * mmap offset page       producer page: the producer position, an unsigned long at its start
 * mmap offset 2 × page   the data area, size bytes, mapped twice in a row so a record wrapping the end is contiguous
 * </pre>
 *
 * <p>Positions only grow; {@code position & (size - 1)} is the offset in the data area. Each record starts with an
 * 8-byte header, a 32-bit length with {@link #BUSY_BIT} (still being written) and {@link #DISCARD_BIT} (to be
 * skipped) and a 32-bit page offset the kernel uses, and takes {@code round_up(length + 8, 8)} bytes.
 *
 * <p>Internal: part of the ring buffer mechanics, not of the stable API.
 */
public final class RingBufferLayout {
    /** {@code BPF_RINGBUF_BUSY_BIT}: the record is reserved and not yet submitted or discarded. */
    public static final int BUSY_BIT = 1 << 31;
    /** {@code BPF_RINGBUF_DISCARD_BIT}: the record was discarded; consumers skip it. */
    public static final int DISCARD_BIT = 1 << 30;
    /** {@code BPF_RINGBUF_HDR_SZ}. */
    public static final int HEADER_SIZE = 8;
    /**
     * The largest data area this runtime maps: twice it must fit one {@code ByteBuffer}. The kernel allows larger
     * rings, which a Java reader would have to map in pieces.
     */
    public static final int MAX_SIZE = 1 << 29;

    /** Positions: the kernel's {@code unsigned long}, read with acquire and written with release semantics. */
    static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** Record headers' length words. */
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private RingBufferLayout() {}

    /** The bytes a record of {@code length} takes in the ring, header and padding included. */
    public static long footprint(long length) {
        return (length + HEADER_SIZE + 7) & ~7L;
    }

    /** Whether {@code size} is a valid ring buffer size: a power-of-two multiple of {@code pageSize}. */
    public static boolean isValidSize(long size, int pageSize) {
        return size >= pageSize && Long.bitCount(size) == 1 && size % pageSize == 0;
    }

    /**
     * The valid sizes nearest to {@code size}: the largest valid size not above it and the smallest not below it
     * (one value when {@code size} is valid or below the smallest valid size, one page).
     */
    public static long[] nearestValidSizes(long size, int pageSize) {
        if (size <= pageSize) {
            return new long[] {pageSize};
        }
        long below = Long.highestOneBit(size);
        if (below < pageSize) {
            below = pageSize;
        }
        if (below == size) {
            return new long[] {size};
        }
        return new long[] {below, below << 1};
    }
}

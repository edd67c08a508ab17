package io.github.bpf2java.ebpf.internal.ringbuf;

import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.BUSY_BIT;
import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.DISCARD_BIT;
import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.HEADER_SIZE;
import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.INT;
import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.LONG;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.MappedRegion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The producer side of one {@code BPF_MAP_TYPE_USER_RINGBUF}, which programs drain with
 * {@code bpf_user_ringbuf_drain}: the consumer page mapped read-only (the kernel refuses it writable), the producer
 * page and the twice-mapped data area read-write.
 *
 * <p>A sample is reserved by writing its header with {@link RingBufferLayout#BUSY_BIT} and publishing the new
 * producer position with release semantics; it is committed by storing its final length word with release semantics,
 * with {@link RingBufferLayout#DISCARD_BIT} to discard it. The kernel drains samples in order and stops at the first
 * busy one, as {@code __bpf_user_ringbuf_peek} shows. {@link #reserve} must be serialized by the caller;
 * {@link #commit} may run on any thread. {@link #close()} only when neither runs.
 *
 * <p>Internal: part of the ring buffer mechanics, not of the stable API.
 */
public final class RingProducer implements AutoCloseable {
    /** The largest sample the kernel hands to a program: a {@code bpf_dynptr} holds at most 2^24 - 1 bytes. */
    public static final int MAX_SAMPLE = (1 << 24) - 1;

    private final String name;
    private final long mask;
    private final MappedRegion consumerPage;
    private final MappedRegion producerAndData;
    private final ByteBuffer consumerPosition;
    private final ByteBuffer producerPosition;
    private final ByteBuffer data;

    private RingProducer(String name, int size, MappedRegion consumerPage, MappedRegion producerAndData, int page) {
        this.name = name;
        this.mask = size - 1L;
        this.consumerPage = consumerPage;
        this.producerAndData = producerAndData;
        this.consumerPosition = consumerPage.buffer(0, Long.BYTES).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.producerPosition = producerAndData.buffer(0, Long.BYTES);
        this.data = producerAndData.buffer(page, 2 * size);
    }

    /**
     * Maps the user ring buffer behind {@code map}.
     *
     * @param size its {@code max_entries}: the data area's size
     * @throws KernelException when the kernel refuses a mapping
     */
    public static RingProducer map(Fd map, int size, String name) {
        int page = Libc.pageSize();
        if (!RingBufferLayout.isValidSize(size, page) || size > RingBufferLayout.MAX_SIZE) {
            throw new IllegalArgumentException("user ring buffer '" + name + "' has " + size + " bytes; a producer "
                    + "maps power-of-two multiples of the page size (" + page + ") up to " + RingBufferLayout.MAX_SIZE);
        }
        MappedRegion consumer = MappedRegion.map(map, page, false, 0);
        try {
            MappedRegion producer = MappedRegion.map(map, page + 2L * size, true, page);
            return new RingProducer(name, size, consumer, producer, page);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** The largest sample {@link #reserve} accepts: what fits the ring with its header, at most {@link #MAX_SAMPLE}. */
    public int maxSampleSize() {
        return (int) Math.min(MAX_SAMPLE, mask + 1 - HEADER_SIZE);
    }

    /**
     * Reserves room for a sample of {@code length} bytes.
     *
     * @return the sample's position, for {@link #sample} and {@link #commit}; -1 when the ring has no room now
     * @throws IllegalArgumentException when {@code length} exceeds {@link #maxSampleSize()}
     */
    public long reserve(int length) {
        if (length < 0 || length > maxSampleSize()) {
            throw new IllegalArgumentException("user ring buffer '" + name + "': a sample of " + length
                    + " bytes does not fit; at most " + maxSampleSize());
        }
        long footprint = RingBufferLayout.footprint(length);
        long consumer = (long) LONG.getAcquire(consumerPosition, 0);
        long producer = (long) LONG.getOpaque(producerPosition, 0);
        if (footprint > mask + 1 - (producer - consumer)) {
            return -1;
        }
        int offset = (int) (producer & mask);
        data.putInt(offset + 4, 0);
        INT.setOpaque(data, offset, length | BUSY_BIT);
        // Publishes the busy header along with the position: the kernel never sees the sample half-reserved.
        LONG.setRelease(producerPosition, 0, producer + footprint);
        return producer;
    }

    /**
     * The writable bytes of the sample reserved at {@code position}: index 0 is its first byte, in the host's byte
     * order. Valid until it is committed.
     */
    public ByteBuffer sample(long position, int length) {
        int start = (int) (position & mask) + HEADER_SIZE;
        return data.duplicate().limit(start + length).position(start).slice().order(ByteOrder.nativeOrder());
    }

    /** Commits the sample at {@code position}: submitted for the kernel to drain, or discarded (skipped by it). */
    public void commit(long position, int length, boolean discard) {
        INT.setRelease(data, (int) (position & mask), discard ? length | DISCARD_BIT : length);
    }

    /** Free bytes now: what the next reservation may take, header and padding included. */
    public long freeBytes() {
        return mask + 1 - ((long) LONG.getOpaque(producerPosition, 0) - (long) LONG.getAcquire(consumerPosition, 0));
    }

    /** The data area's size in bytes. */
    public int size() {
        return (int) (mask + 1);
    }

    /** Unmaps; nothing may run. Later calls do nothing. */
    @Override
    public void close() {
        producerAndData.close();
        consumerPage.close();
    }

    @Override
    public String toString() {
        return "producer of user ring buffer '" + name + "' (" + size() + " bytes)";
    }
}

package io.github.bpf2java.ebpf.internal.ringbuf;

import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.DISCARD_BIT;
import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.HEADER_SIZE;
import static io.github.bpf2java.ebpf.internal.ringbuf.RingBufferLayout.LONG;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.poll.ConsumerGate;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.MappedLoads;
import io.github.bpf2java.ebpf.internal.syscall.MappedRegion;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The consumer side of one {@code BPF_MAP_TYPE_RINGBUF}: the consumer page mapped read-write, the producer page and
 * the twice-mapped data area read-only (the kernel refuses anything else), and the loop that hands out committed
 * records in order. Not thread-safe: one consumer at a time (the facade's reader guarantees it), and
 * {@link #close()} only when no consume runs.
 *
 * <p>Ordering, as {@code ringbuf.rst} prescribes: the producer position is read with acquire semantics (the space
 * reserved before it is then visible), each record's length word too (the producer publishes it last, with a release
 * or an exchange), and the consumer position is stored with release semantics only after the records before it have
 * been read, so the kernel never reuses space still being read. These are plain loads and stores (the length words
 * through {@link MappedLoads}) with {@link VarHandle#acquireFence()} after the load and
 * {@link VarHandle#releaseFence()} before the store, which give the same ordering; the byte-buffer view
 * {@code VarHandle}s add alignment and bounds checks per access.
 *
 * <p>Internal: part of the ring buffer mechanics, not of the stable API.
 */
public final class RingConsumer implements AutoCloseable {
    private final String name;
    private final long mask;
    private final MappedRegion consumerPage;
    private final MappedRegion producerAndData;
    private final ByteBuffer consumerPosition;
    private final ByteBuffer producerPosition;
    private final ByteBuffer data;
    // The address of data's first byte, for MappedLoads.
    private final long dataAddress;
    private final ByteBuffer view;
    // The consumer position as last stored: stored again only when it moved.
    private long released;
    // consume()'s sink and gate, set at each call: see there.
    private RecordSink sink;
    private ConsumerGate stop;
    private boolean stoppedAtBusyRecord;
    // What the last consume handed out, also when a handler's exception ended it.
    private int handedInLastCall;

    private RingConsumer(String name, int size, MappedRegion consumerPage, MappedRegion producerAndData, int page) {
        this.name = name;
        this.mask = size - 1L;
        this.consumerPage = consumerPage;
        this.producerAndData = producerAndData;
        this.consumerPosition = consumerPage.buffer(0, Long.BYTES);
        this.producerPosition = producerAndData.buffer(0, Long.BYTES).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.data = producerAndData.buffer(page, 2 * size).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.dataAddress = producerAndData.address() + page;
        this.view = data.duplicate().order(ByteOrder.nativeOrder());
    }

    /**
     * Maps the ring buffer behind {@code map}.
     *
     * @param map  the map's descriptor; held only while mapping (the mappings keep the map alive)
     * @param size its {@code max_entries}: the data area's size
     * @param name the map's name, for messages
     * @throws KernelException when the kernel refuses a mapping
     */
    public static RingConsumer map(Fd map, int size, String name) {
        int page = Libc.pageSize();
        if (!RingBufferLayout.isValidSize(size, page) || size > RingBufferLayout.MAX_SIZE) {
            throw new IllegalArgumentException("ring buffer '" + name + "' has " + size + " bytes; a reader maps "
                    + "power-of-two multiples of the page size (" + page + ") up to " + RingBufferLayout.MAX_SIZE);
        }
        MappedRegion consumer = MappedRegion.map(map, page, true, 0);
        try {
            MappedRegion producer = MappedRegion.map(map, page + 2L * size, false, page);
            return new RingConsumer(name, size, consumer, producer, page);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /**
     * Hands out up to {@code max} committed records, in order, skipping discarded ones, and stops at the first
     * record still being written.
     *
     * <p>The consumer position is stored when the loop has caught up with the producer position it read, when it
     * ends (also by an exception from {@code sink}: that record counts as read), and at least every quarter of the
     * ring, so producers get space back while a long backlog drains. Storing it after every record, as libbpf does,
     * costs a fence and a store per record for no benefit to a producer that has room.
     *
     * @param sink receives each record as a view valid during the call
     * @param stop asked after each record; closed ends the loop (the reader was closed from a handler or a thread)
     * @return how many records were handed out
     */
    public int consume(RecordSink sink, int max, ConsumerGate stop) {
        // The loop's speed is set by one chain: a record's position, the load of its header, its length, the next
        // position; libbpf's loop has the same. What C2 cannot keep in a register it spills to the stack or to a
        // vector register, and when the position itself went there (in about one JVM of three, depending on the
        // profile C2 compiled from) that added some six cycles to the chain: 0.66 times libbpf's rate instead of
        // 0.95. So the loop keeps few values live: the position, where to stop, the count left, and the mask,
        // which the chain uses (read from its field it cost 4 %). The rest (the view, the data area's address, the
        // last stored position, and even the sink and the gate, parked in fields for this call) is read from fields;
        // those loads do not wait on the chain. With this, every JVM measured on JDK 17 ran at 0.83 to 0.92 times
        // libbpf's rate; on JDK 25, whose buffer accesses need more registers, parking the sink and the gate took
        // it from 0.61 to 0.70.
        long mask = this.mask;
        this.sink = sink;
        this.stop = stop;
        long consumer = consumerPosition.getLong(0);
        released = consumer;
        // Records are read up to end, then the consumer position is stored and the producer position read again
        // (nextEnd). Positions grow from 0 and never come near 2^63, so < compares.
        long end = consumer;
        int remaining = max;
        boolean busy = false;
        try {
            while (remaining > 0) {
                if (consumer >= end) {
                    end = nextEnd(consumer);
                    if (end == consumer) {
                        break;
                    }
                }
                long offset = consumer & mask;
                // offset < size: within the first of the data area's two mappings.
                int header = MappedLoads.getInt(data, dataAddress, offset);
                // Acquire: the record's bytes, written before the producer's release of its header, are visible.
                VarHandle.acquireFence();
                if (header < 0) { // BUSY_BIT is the sign bit: reserved, not yet committed
                    busy = true;
                    break;
                }
                int length = header & ~DISCARD_BIT;
                if (length > mask + 1 - HEADER_SIZE) {
                    throw corrupt(consumer, length);
                }
                consumer += RingBufferLayout.footprint(length);
                if (length == header) { // not discarded
                    int start = (int) offset + HEADER_SIZE;
                    // The order too: a handler may have changed it for the previous record.
                    view.limit(start + length).position(start).order(ByteOrder.nativeOrder());
                    // Counted before it is handed out: a record whose handler throws was handed out too.
                    remaining--;
                    this.sink.accept(view);
                    if (this.stop.isClosed()) {
                        break;
                    }
                }
            }
        } finally {
            if (consumer != released) {
                release(consumer);
            }
            stoppedAtBusyRecord = busy;
            handedInLastCall = max - remaining;
        }
        return max - remaining;
    }

    /**
     * Stores the consumer position if it moved, then reads the producer position: returns where this pass of reading
     * ends, at most a quarter ring ahead (so producers get space back while a long backlog drains), or
     * {@code consumer} when nothing is committed past it.
     */
    private long nextEnd(long consumer) {
        if (consumer != released) {
            release(consumer);
        }
        long producer = producerPosition.getLong(0);
        // Acquire: the reserved space up to producer, and the headers in it, are visible.
        VarHandle.acquireFence();
        if (consumer > producer) {
            throw new IllegalStateException("ring buffer '" + name + "': the records read end at position "
                    + consumer + ", past the producer position " + producer);
        }
        return Math.min(producer, consumer + (mask + 1) / 4);
    }

    /** Release: frees the space before {@code consumer} for producers only after its records were read. */
    private void release(long consumer) {
        VarHandle.releaseFence();
        consumerPosition.putLong(0, consumer);
        released = consumer;
    }

    private IllegalStateException corrupt(long position, int length) {
        return new IllegalStateException("ring buffer '" + name + "': a record at position " + position
                + " claims " + length + " bytes, more than the ring holds");
    }

    /**
     * How many records the last {@link #consume} handed out: what it returned, or, when a handler's exception ended
     * it, the records handed out before and the one the handler threw on.
     */
    public int handedInLastCall() {
        return handedInLastCall;
    }

    /** Whether the last {@link #consume} stopped at a record the producer has reserved but not yet committed. */
    public boolean stoppedAtBusyRecord() {
        return stoppedAtBusyRecord;
    }

    /** Bytes written by producers and not yet consumed (records, headers, padding, discarded records). */
    public long pendingBytes() {
        return (long) LONG.getAcquire(producerPosition, 0) - (long) LONG.getAcquire(consumerPosition, 0);
    }

    /** The data area's size in bytes. */
    public int size() {
        return (int) (mask + 1);
    }

    /** Unmaps; no consume may run. Later calls do nothing. */
    @Override
    public void close() {
        producerAndData.close();
        consumerPage.close();
    }

    @Override
    public String toString() {
        return "consumer of ring buffer '" + name + "' (" + size() + " bytes)";
    }
}

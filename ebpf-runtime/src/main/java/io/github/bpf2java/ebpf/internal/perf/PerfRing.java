package io.github.bpf2java.ebpf.internal.perf;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.MappedRegion;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * One CPU's perf ring of a {@code PERF_COUNT_SW_BPF_OUTPUT} event, where {@code bpf_perf_event_output} writes: the
 * event's descriptor and its mapping, a metadata page ({@code struct perf_event_mmap_page}) followed by a
 * power-of-two number of data pages, and the loop that reads its records.
 *
 * <p>Forward mode (the default): the kernel advances {@code data_head} and stops writing (counting lost samples)
 * when it would pass {@code data_tail}, which the reader stores with release semantics after each record; the
 * mapping is writable for that. Overwritable mode ({@code write_backward}, a read-only mapping): the kernel writes
 * backwards, decreasing {@code data_head}, and overwrites the oldest records; the reader takes what lies between the
 * current head and the head of its previous read, newest first, while output is paused.
 *
 * <p>Records ({@code struct perf_event_header}: u32 type, u16 misc, u16 size) are 8-byte aligned and may wrap the
 * data area's end; a wrapping record is copied into a scratch buffer to be handed out contiguous. Not thread-safe:
 * one reader at a time, and {@link #close()} only when no read runs.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class PerfRing implements AutoCloseable {
    /** {@code PERF_RECORD_LOST}: {@code u64 id; u64 lost;} after the header. */
    static final int RECORD_LOST = 2;
    /** {@code PERF_RECORD_SAMPLE}: with {@code PERF_SAMPLE_RAW} only, {@code u32 size; char data[size];}. */
    static final int RECORD_SAMPLE = 9;
    /** {@code PERF_RECORD_LOST_SAMPLES}: {@code u64 lost;} after the header. */
    static final int RECORD_LOST_SAMPLES = 13;
    private static final int HEADER_SIZE = 8;
    // struct perf_event_mmap_page: data_head, data_tail, data_offset, data_size (the last two since Linux 4.1).
    private static final int DATA_HEAD = 1024;
    private static final int DATA_TAIL = 1032;
    private static final int DATA_OFFSET = 1040;
    private static final int DATA_SIZE = 1048;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final int cpu;
    private final Fd event;
    private final MappedRegion region;
    private final boolean overwritable;
    private final ByteBuffer meta;
    private final ByteBuffer data;
    private final ByteBuffer dataView;
    private final long mask;
    private final int dataSize;
    private long tail;
    private long previousHead;

    private PerfRing(int cpu, Fd event, MappedRegion region, boolean overwritable, int page, int dataSize) {
        this.cpu = cpu;
        this.event = event;
        this.region = region;
        this.overwritable = overwritable;
        this.meta = region.buffer(0, page);
        long offset = meta.getLong(DATA_OFFSET);
        long size = meta.getLong(DATA_SIZE);
        // Kernels before 4.1 leave both 0: the data follows the metadata page.
        this.dataSize = size != 0 ? (int) size : dataSize;
        this.data = region.buffer(offset != 0 ? offset : page, this.dataSize).asReadOnlyBuffer()
                .order(ByteOrder.nativeOrder());
        this.dataView = data.duplicate().order(ByteOrder.nativeOrder());
        this.mask = this.dataSize - 1L;
        this.tail = overwritable ? 0 : (long) LONG.getAcquire(meta, DATA_TAIL);
        this.previousHead = (long) LONG.getAcquire(meta, DATA_HEAD);
    }

    /**
     * Maps the ring of {@code event} (opened for {@code cpu}) and takes ownership of the event; on failure the event
     * is closed.
     *
     * @param dataSize the data area's size: a power-of-two multiple of {@code page}
     * @throws KernelException when the kernel refuses the mapping (e.g. more than {@code perf_event_mlock_kb})
     */
    public static PerfRing map(Fd event, int cpu, int page, int dataSize, boolean overwritable) {
        try {
            MappedRegion region = MappedRegion.map(event, (long) page + dataSize, !overwritable, 0);
            try {
                return new PerfRing(cpu, event, region, overwritable, page, dataSize);
            } catch (RuntimeException e) {
                region.close();
                throw e;
            }
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }

    /** The CPU whose samples this ring holds. */
    public int cpu() {
        return cpu;
    }

    /** The perf event's descriptor: what the perf event array holds at {@link #cpu()}, and what epoll waits on. */
    public Fd event() {
        return event;
    }

    /** Whether the ring is overwritable (written backwards, read while paused). */
    public boolean overwritable() {
        return overwritable;
    }

    /** Whether records wait to be read (always true for an overwritable ring that has been written to). */
    public boolean hasRecords() {
        return (long) LONG.getAcquire(meta, DATA_HEAD) != (overwritable ? previousHead : tail);
    }

    /**
     * Reads up to {@code max} samples, reporting lost-sample records as they come.
     *
     * @param scratch a direct buffer of at least 65,536 bytes, writable, for records wrapping the end
     * @param scratchView a read-only view of {@code scratch} in the host's byte order
     * @param stop     asked after each sample; true ends the loop
     * @return how many samples were handed out
     */
    public int read(PerfRecordSink sink, int max, ByteBuffer scratch, ByteBuffer scratchView, BooleanSupplier stop) {
        return overwritable ? readBackward(sink, max, scratch, scratchView, stop)
                : readForward(sink, max, scratch, scratchView, stop);
    }

    private int readForward(PerfRecordSink sink, int max, ByteBuffer scratch, ByteBuffer scratchView,
            BooleanSupplier stop) {
        long head = meta.getLong(DATA_HEAD);
        // Acquire: the records up to head are visible (the kernel's smp_rmb() pairing for user readers).
        VarHandle.acquireFence();
        int handed = 0;
        while (tail != head && handed < max) {
            int size = recordSize(tail, head - tail);
            boolean sample;
            try {
                sample = deliver(tail, size, sink, scratch, scratchView);
            } finally {
                tail += size;
                // Release: frees the space for the kernel only after the record was read (or its handler failed).
                VarHandle.releaseFence();
                meta.putLong(DATA_TAIL, tail);
            }
            if (sample) {
                handed++;
                if (stop.getAsBoolean()) {
                    break;
                }
            }
        }
        return handed;
    }

    private int readBackward(PerfRecordSink sink, int max, ByteBuffer scratch, ByteBuffer scratchView,
            BooleanSupplier stop) {
        long head = (long) LONG.getAcquire(meta, DATA_HEAD);
        // New records lie from head up to the previous head; more than the ring holds means the oldest of them
        // were overwritten, and only the newest ring-full is there.
        long span = previousHead - head;
        long readable = Long.compareUnsigned(span, dataSize) > 0 ? dataSize : span;
        previousHead = head;
        int handed = 0;
        long position = head;
        while (position - head < readable && handed < max) {
            int offset = (int) (position & mask);
            int size = data.getShort(offset + 6) & 0xffff;
            // A zero header is space never written; a record running past what is readable was half overwritten.
            if (size < HEADER_SIZE || position - head + size > readable) {
                break;
            }
            if (deliver(position, size, sink, scratch, scratchView)) {
                handed++;
                if (stop.getAsBoolean()) {
                    break;
                }
            }
            position += size;
        }
        return handed;
    }

    private int recordSize(long position, long available) {
        int size = data.getShort((int) (position & mask) + 6) & 0xffff;
        if (size < HEADER_SIZE || size > available || (size & 7) != 0) {
            throw new IllegalStateException("perf ring of CPU " + cpu + ": a record at position " + position
                    + " has size " + size + " (" + available + " bytes written)");
        }
        return size;
    }

    /** Hands out the record at {@code position}; whether it was a sample. */
    private boolean deliver(long position, int size, PerfRecordSink sink, ByteBuffer scratch, ByteBuffer scratchView) {
        int offset = (int) (position & mask);
        ByteBuffer record = data;
        ByteBuffer view = dataView;
        int base = offset;
        if (offset + size > dataSize) {
            int first = dataSize - offset;
            scratch.put(0, data, offset, first);
            scratch.put(first, data, 0, size - first);
            record = scratchView;
            view = scratchView;
            base = 0;
        }
        int type = record.getInt(base);
        switch (type) {
            case RECORD_SAMPLE -> {
                int length = record.getInt(base + HEADER_SIZE);
                int start = base + HEADER_SIZE + Integer.BYTES;
                if (length < 0 || start + length > base + size) {
                    throw new IllegalStateException("perf ring of CPU " + cpu + ": a sample claims " + length
                            + " bytes in a " + size + "-byte record");
                }
                view.limit(start + length).position(start);
                view.order(ByteOrder.nativeOrder());
                sink.sample(cpu, view);
                return true;
            }
            case RECORD_LOST -> sink.lost(cpu, record.getLong(base + HEADER_SIZE + Long.BYTES));
            case RECORD_LOST_SAMPLES -> sink.lost(cpu, record.getLong(base + HEADER_SIZE));
            default -> {
                // Other record types (throttling, ...) carry nothing for a BPF output reader.
            }
        }
        return false;
    }

    /** Unmaps and closes the event; no read may run. Later calls do nothing. */
    @Override
    public void close() {
        region.close();
        event.close();
    }

    @Override
    public String toString() {
        return "perf ring of CPU " + cpu + " (" + dataSize + " bytes" + (overwritable ? ", overwritable)" : ")");
    }
}

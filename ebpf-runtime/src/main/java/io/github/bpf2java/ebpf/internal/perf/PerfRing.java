package io.github.bpf2java.ebpf.internal.perf;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.poll.ConsumerGate;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.MappedLoads;
import io.github.bpf2java.ebpf.internal.syscall.MappedRegion;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * One CPU's perf ring of a {@code PERF_COUNT_SW_BPF_OUTPUT} event, where {@code bpf_perf_event_output} writes: the
 * event's descriptor and its mapping, a metadata page ({@code struct perf_event_mmap_page}) followed by a
 * power-of-two number of data pages, and the loop that reads its records.
 *
 * <p>Forward mode (the default): the kernel advances {@code data_head} and stops writing (counting lost samples)
 * when it would pass {@code data_tail}, which the reader stores with release semantics once the records before it
 * are read (see {@code readForward}); the mapping is writable for that. Overwritable mode ({@code write_backward},
 * a read-only mapping): the kernel writes backwards, decreasing {@code data_head}, and overwrites the oldest
 * records; the reader takes what lies between the current head and the head of its previous read, newest first,
 * while output is paused.
 *
 * <p>Records ({@code struct perf_event_header}: u32 type, u16 misc, u16 size) are 8-byte aligned and may wrap the
 * data area's end; a wrapping record is copied into a buffer of the ring's, to be handed out contiguous. Not
 * thread-safe: one reader at a time, and {@link #close()} only when no read runs.
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
    // A record's size is a u16.
    private static final int MAX_RECORD = 0xffff;
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final int cpu;
    private final Fd event;
    // Whether the event was opened with PERF_FORMAT_LOST; set once, before the ring is handed out.
    private boolean countsLost;
    private final MappedRegion region;
    private final boolean overwritable;
    private final ByteBuffer meta;
    private final ByteBuffer data;
    // The address of data's first byte, for MappedLoads.
    private final long dataAddress;
    private final ByteBuffer dataView;
    private final long mask;
    private final int dataSize;
    private long tail;
    // data_tail as last stored: stored again only when the tail moved.
    private long released;
    private long previousHead;
    // Where a record wrapping the data area's end is copied to be handed out contiguous, and its read-only view;
    // allocated at the first such record (a record is at most 65,535 bytes and at most the data area).
    private ByteBuffer wrapped;
    private ByteBuffer wrappedView;
    // What the last read handed out, also when a handler's exception ended it.
    private int handedInLastRead;

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
        long dataOffset = offset != 0 ? offset : page;
        this.data = region.buffer(dataOffset, this.dataSize).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.dataAddress = region.address() + dataOffset;
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
        return map(event, cpu, page, dataSize, overwritable, false);
    }

    /**
     * As {@link #map(Fd, int, int, int, boolean)}, for an event opened with {@code read_format}
     * {@link PerfEventAttr#FORMAT_LOST} when {@code countsLost}: then {@link #lostByKernel()} reads its count.
     */
    public static PerfRing map(Fd event, int cpu, int page, int dataSize, boolean overwritable, boolean countsLost) {
        try {
            MappedRegion region = MappedRegion.map(event, (long) page + dataSize, !overwritable, 0);
            try {
                PerfRing ring = new PerfRing(cpu, event, region, overwritable, page, dataSize);
                ring.countsLost = countsLost;
                return ring;
            } catch (RuntimeException e) {
                region.close();
                throw e;
            }
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }

    /**
     * The samples the kernel has dropped on this ring's CPU for lack of room, counted as they are dropped (the
     * event's {@code PERF_FORMAT_LOST} count, Linux 6.0+), whether or not a lost-sample record has been written or
     * read yet; empty when the event was opened without that format.
     *
     * @throws IllegalStateException when the ring is closed
     */
    public OptionalLong lostByKernel() {
        return countsLost ? OptionalLong.of(event.readWords(2)[1]) : OptionalLong.empty();
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
     * Reads up to {@code max} samples, reporting lost-sample records as they come; an overwritable ring with its
     * output paused meanwhile.
     *
     * @param stop asked after each sample; closed ends the loop
     * @return how many samples were handed out
     */
    public int read(PerfRecordSink sink, int max, ConsumerGate stop) {
        handedInLastRead = 0;
        return overwritable ? readBackward(sink, max, stop) : readForward(sink, max, stop);
    }

    private int readForward(PerfRecordSink sink, int max, ConsumerGate stop) {
        // Few locals: what does not fit in registers C2 spills to the stack, loaded and stored on every record (one
        // live value fewer took the ring buffer reader from 0.6 to 0.95 times libbpf's rate). So values the sample
        // path needs rarely or never are read from their fields: the data area's size and address, the mask, the
        // last stored tail. Samples lying whole in the ring go straight to handSample(), everything else (records
        // wrapping the end, lost-sample records) through deliver().
        ByteBuffer view = dataView;
        long tail = this.tail;
        released = tail;
        // Records are read up to end, then data_tail is stored and data_head read again; end is at most a quarter
        // ring ahead, so the kernel gets space back while a long backlog drains. (libbpf stores data_tail once per
        // read; storing it per record would cost a fence and a store each.) Positions grow from 0, never near 2^63.
        long end = tail;
        long head = tail;
        int remaining = max;
        try {
            while (remaining > 0) {
                if (tail >= end) {
                    head = nextHead(tail);
                    if (head == tail) {
                        break;
                    }
                    end = Math.min(head, tail + dataSize / 4);
                }
                int offset = (int) (tail & mask);
                // The header (u32 type, u16 misc, u16 size) never wraps: records are 8-byte aligned.
                int type = MappedLoads.getInt(data, dataAddress, offset);
                int size = MappedLoads.getShort(data, dataAddress, offset + 6) & 0xffff;
                if (size < HEADER_SIZE || size > head - tail || (size & 7) != 0) {
                    throw corrupt(tail, size, head - tail);
                }
                long position = tail;
                // Advanced before the handler runs: a record whose handler throws counts as read.
                tail += size;
                // A sample lying whole in the ring, with room for its u32 size (sizes are multiples of 8).
                if (type == RECORD_SAMPLE && offset + size <= dataSize && size > HEADER_SIZE) {
                    // Counted before it is handed out: a sample whose handler throws was handed out too.
                    remaining--;
                    handSample(sink, view, offset, size, MappedLoads.getInt(data, dataAddress, offset + HEADER_SIZE));
                } else if (type == RECORD_SAMPLE) {
                    remaining--; // a sample wrapping the data area's end: deliver() hands out a contiguous copy
                    deliver(position, size, sink);
                } else {
                    deliver(position, size, sink); // a lost-sample or other record: not a sample
                    continue;
                }
                if (stop.isClosed()) {
                    break;
                }
            }
        } finally {
            this.tail = tail;
            if (tail != released) {
                releaseTail(tail);
            }
            handedInLastRead = max - remaining;
        }
        return max - remaining;
    }

    /**
     * How many samples the last {@link #read} handed out: what it returned, or, when a handler's exception ended
     * it, the samples handed out before and the one the handler threw on.
     */
    public int handedInLastRead() {
        return handedInLastRead;
    }

    /**
     * Stores data_tail if the tail moved, then reads data_head: how far records are written. Throws when the tail is
     * past it, which only a corrupt record size could cause.
     */
    private long nextHead(long tail) {
        if (tail != released) {
            releaseTail(tail);
        }
        long head = meta.getLong(DATA_HEAD);
        // Acquire: the records up to head are visible (the kernel's smp_rmb() pairing for user readers).
        VarHandle.acquireFence();
        if (tail > head) {
            throw new IllegalStateException("perf ring of CPU " + cpu + ": the records read end at position " + tail
                    + ", past data_head " + head);
        }
        return head;
    }

    /** Release: frees the space before {@code tail} for the kernel only after its records were read. */
    private void releaseTail(long tail) {
        VarHandle.releaseFence();
        meta.putLong(DATA_TAIL, tail);
        released = tail;
    }

    private IllegalStateException corrupt(long position, int size, long available) {
        return new IllegalStateException("perf ring of CPU " + cpu + ": a record at position " + position
                + " has size " + size + " (" + available + " bytes written)");
    }

    private IllegalStateException corruptSample(int length, int size) {
        return new IllegalStateException("perf ring of CPU " + cpu + ": a sample claims " + length
                + " bytes in a " + size + "-byte record");
    }

    private int readBackward(PerfRecordSink sink, int max, ConsumerGate stop) {
        // The kernel keeps writing backwards over what is being read unless its output is paused.
        PerfEvents.pauseOutput(event, true);
        int handed = 0;
        try {
            long head = (long) LONG.getAcquire(meta, DATA_HEAD);
            // New records lie from head up to the previous head; more than the ring holds means the oldest of them
            // were overwritten, and only the newest ring-full is there.
            long span = previousHead - head;
            long readable = Long.compareUnsigned(span, dataSize) > 0 ? dataSize : span;
            previousHead = head;
            long position = head;
            while (position - head < readable && handed < max) {
                int offset = (int) (position & mask);
                int size = MappedLoads.getShort(data, dataAddress, offset + 6) & 0xffff;
                // A zero header is space never written; a record running past what is readable was half
                // overwritten.
                if (size < HEADER_SIZE || position - head + size > readable) {
                    break;
                }
                // The header never wraps (records are 8-byte aligned); a sample is counted before it is handed out.
                boolean sample = MappedLoads.getInt(data, dataAddress, offset) == RECORD_SAMPLE;
                if (sample) {
                    handed++;
                }
                deliver(position, size, sink);
                if (sample && stop.isClosed()) {
                    break;
                }
                position += size;
            }
        } finally {
            handedInLastRead = handed;
            PerfEvents.pauseOutput(event, false);
        }
        return handed;
    }

    /** Hands out the record at {@code position}: a sample to the sink, a lost-sample count to its report. */
    private void deliver(long position, int size, PerfRecordSink sink) {
        int offset = (int) (position & mask);
        ByteBuffer record = data;
        ByteBuffer view = dataView;
        int base = offset;
        if (offset + size > dataSize) {
            if (size > dataSize) {
                throw new IllegalStateException("perf ring of CPU " + cpu + ": a record at position " + position
                        + " has size " + size + ", more than the ring's " + dataSize + " bytes");
            }
            if (wrapped == null) {
                wrapped = ByteBuffer.allocateDirect(Math.min(dataSize, MAX_RECORD)).order(ByteOrder.nativeOrder());
                wrappedView = wrapped.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
            }
            int first = dataSize - offset;
            wrapped.put(0, data, offset, first);
            wrapped.put(first, data, 0, size - first);
            record = wrappedView;
            view = wrappedView;
            base = 0;
        }
        int type = record.getInt(base);
        switch (type) {
            case RECORD_SAMPLE -> {
                if (size <= HEADER_SIZE) {
                    throw new IllegalStateException("perf ring of CPU " + cpu + ": a sample record of " + size
                            + " bytes has no room for the sample's size");
                }
                handSample(sink, view, base, size, record.getInt(base + HEADER_SIZE));
            }
            case RECORD_LOST -> sink.lost(cpu, record.getLong(base + HEADER_SIZE + Long.BYTES));
            case RECORD_LOST_SAMPLES -> sink.lost(cpu, record.getLong(base + HEADER_SIZE));
            default -> {
                // Other record types (throttling, ...) carry nothing for a BPF output reader.
            }
        }
    }

    /**
     * Hands out, through {@code view}, the sample of {@code length} bytes whose {@code size}-byte record starts at
     * {@code base}.
     */
    private void handSample(PerfRecordSink sink, ByteBuffer view, int base, int size, int length) {
        int start = base + HEADER_SIZE + Integer.BYTES;
        if (length < 0 || length > size - HEADER_SIZE - Integer.BYTES) {
            throw corruptSample(length, size);
        }
        // The order too: a handler may have changed it for the previous record.
        view.limit(start + length).position(start).order(ByteOrder.nativeOrder());
        sink.sample(cpu, view);
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

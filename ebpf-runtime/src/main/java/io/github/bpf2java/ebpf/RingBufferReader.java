package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.poll.MapClaims;
import io.github.bpf2java.ebpf.internal.poll.PollLoop;
import io.github.bpf2java.ebpf.internal.ringbuf.RecordSink;
import io.github.bpf2java.ebpf.internal.ringbuf.RingConsumer;
import io.github.bpf2java.ebpf.internal.syscall.Epoll;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * Reads the records BPF programs write to ring buffers ({@code BPF_MAP_TYPE_RINGBUF}, with
 * {@code bpf_ringbuf_output} or {@code bpf_ringbuf_reserve}/{@code bpf_ringbuf_submit}), in the order they were
 * committed, straight from the ring's shared memory.
 *
 * <pre>{@code
 * try (RingBufferReader reader = RingBufferReader.open(object.map("events"), Event.CODEC, System.out::println)) {
 *     while (running) {
 *         reader.poll(Duration.ofMillis(100));   // waits at most 100 ms, then hands out what came
 *     }
 * }
 * }</pre>
 *
 * <p>Each ring has its {@link RecordHandler}, called on the polling thread once per record with a view that is valid
 * until the handler returns (zero-copy), or with a copy or a decoded value through {@link RecordHandler#copying},
 * {@link RecordHandler#decoding}. Several rings can share one reader ({@link #builder()}): one wait covers them all.
 * Discarded records are skipped; a record still being written stops the ring there until it is committed.
 *
 * <p>Threads: one thread polls at a time (a second waits for the first); {@link #close()} may be called from any
 * thread, and a poll blocked in another thread then returns at once. A poll on a virtual thread (Java 21+) waits
 * parked, not in {@code epoll_wait}, so its carrier runs other virtual threads meanwhile: one platform daemon thread
 * of the runtime waits on the rings of every such reader and wakes it. After closing, every method but
 * {@link #close()} and {@link #isClosed()} throws {@link IllegalStateException}. The reader holds its own
 * descriptor of each map, so it keeps working when the {@link BpfObject} is closed first.
 *
 * <p>One reader per ring buffer: two would each move the one consumer position and skip or repeat each other's
 * records, so building a reader of a ring that another reader of this process still reads fails with a
 * {@link io.github.bpf2java.ebpf.error.BusyException}, whichever {@link BpfMap} object each was given for it (the
 * generated class's or {@link BpfMap#openPinned}'s); closing the first frees the ring. A reader in another process
 * cannot be detected, and must not be run alongside.
 */
public final class RingBufferReader implements AutoCloseable {
    // An array: the drain loop allocates nothing per record or per call.
    private final Ring[] rings;
    private final PollLoop loop;
    private final String description;
    private boolean stalled;
    // Written once per drain by the polling thread; volatile so that statistics read it from any thread.
    private volatile long recordsRead;
    // Statistics read the rings' positions while a drain runs; the write lock keeps them from an unmapped ring.
    private final ReentrantReadWriteLock mappings = new ReentrantReadWriteLock();
    private boolean unmapped; // guarded by mappings

    private RingBufferReader(List<Ring> rings, Epoll epoll, String description) {
        this.rings = rings.toArray(new Ring[0]);
        this.description = description;
        this.loop = new PollLoop(epoll, new PollLoop.Source() {
            @Override
            public int drain(int max) {
                return drainRings(max);
            }

            @Override
            public boolean stalled() {
                return stalled;
            }
        }, () -> {
            mappings.writeLock().lock();
            try {
                unmapped = true;
                rings.forEach(Ring::close);
            } finally {
                mappings.writeLock().unlock();
            }
            RuntimeEvents.readerClosed(description, recordsRead, 0);
        }, description);
    }

    /**
     * Opens a reader of one ring buffer whose records go to {@code handler}.
     *
     * @throws IllegalArgumentException when {@code ringBuffer} is not a {@code RINGBUF} map
     * @throws KernelException          when the ring cannot be mapped or polled
     */
    public static RingBufferReader open(BpfMap ringBuffer, RecordHandler handler) {
        return builder().add(ringBuffer, handler).build();
    }

    /**
     * Opens a reader of one ring buffer whose records are decoded by {@code codec} (e.g. a generated record's
     * {@code CODEC}) and given to {@code consumer}.
     */
    public static <T> RingBufferReader open(BpfMap ringBuffer, Codec<T> codec, Consumer<? super T> consumer) {
        return builder().add(ringBuffer, codec, consumer).build();
    }

    /** Starts a reader of several ring buffers, each with its own handler, waited on together. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Hands out the records there are; if there are none, waits up to {@code timeout} for some and hands them out.
     * Returns early, with what it has handed out, when the reader is closed from another thread.
     *
     * @return how many records were handed out (0 when none came in time)
     * @throws InterruptedException  when the thread is interrupted while waiting (noticed within 250 ms on a platform
     *                               thread, at once on a virtual one)
     * @throws IllegalStateException when closed, or called from one of this reader's handlers
     */
    public int poll(Duration timeout) throws InterruptedException {
        return loop.poll(timeout, Integer.MAX_VALUE);
    }

    /** {@link #poll(Duration)}, handing out at most {@code maxRecords}; the rest stay for the next call. */
    public int poll(Duration timeout, int maxRecords) throws InterruptedException {
        return loop.poll(timeout, maxRecords);
    }

    /**
     * Reads until the reader is closed: hands out records as they come, and returns once {@link #close()} is called,
     * from another thread or from a handler (at once when it was closed before). The whole body of a thread that
     * only reads:
     *
     * <pre>{@code
     * Thread poller = new Thread(() -> {
     *     try {
     *         reader.pollUntilClosed();
     *     } catch (InterruptedException e) {
     *         Thread.currentThread().interrupt();   // interrupted: the reader stays open
     *     }
     * }, "events");
     * poller.start();
     * ...
     * reader.close();                               // the poller returns at once
     * poller.join();
     * }</pre>
     *
     * <p>It waits in slices of at most a second and lets other threads' calls ({@link #consume()},
     * {@link #pendingBytes()}) in between.
     *
     * @return how many records were handed out
     * @throws InterruptedException  when the thread is interrupted while waiting; the reader stays open
     * @throws IllegalStateException when called from one of this reader's handlers
     */
    public long pollUntilClosed() throws InterruptedException {
        return loop.pollUntilClosed();
    }

    /** Hands out the records there are now, without waiting. */
    public int consume() {
        return loop.consume(Integer.MAX_VALUE);
    }

    /** Hands out at most {@code maxRecords} of the records there are now, without waiting. */
    public int consume(int maxRecords) {
        return loop.consume(maxRecords);
    }

    /**
     * Bytes written to the rings and not yet released by the reader: records with their 8-byte headers and padding,
     * and discarded records. Readable from any thread at any time, also while a handler runs (the reader releases
     * what it read at the end of each batch and at least every quarter of the ring, so records of a batch being
     * handled may still count).
     *
     * @throws IllegalStateException when the reader is closed
     */
    public long pendingBytes() {
        mappings.readLock().lock();
        try {
            if (unmapped || isClosed()) {
                throw new IllegalStateException(description + " is closed");
            }
            long total = 0;
            for (Ring ring : rings) {
                total += ring.consumer.pendingBytes();
            }
            return total;
        } finally {
            mappings.readLock().unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return loop.isClosed();
    }

    /**
     * The records handed to the handlers since the reader was opened, a record whose handler threw included;
     * readable from any thread, also after close. Counted at the end of each batch a poll or consume hands out (at
     * most its {@code maxRecords}), so while a slow handler works through a batch the count is behind by that batch.
     */
    public long recordsRead() {
        return recordsRead;
    }

    /**
     * Closes the reader: a poll in another thread returns at once, and the rings are unmapped as soon as no handler
     * runs. Idempotent; may be called from any thread, also from a handler.
     */
    @Override
    public void close() {
        loop.close();
    }

    @Override
    public String toString() {
        return description + (isClosed() ? " (closed)" : "");
    }

    private int drainRings(int max) {
        int handed = 0;
        boolean anyStalled = false;
        try {
            for (int i = 0; i < rings.length && handed < max; i++) {
                Ring ring = rings[i];
                try {
                    ring.consumer.consume(ring.sink, max - handed, loop.gate());
                } finally {
                    // Also when a handler threw: what was handed out before it, and the record it threw on.
                    handed += ring.consumer.handedInLastCall();
                }
                anyStalled |= ring.consumer.stoppedAtBusyRecord();
                if (loop.isClosed()) {
                    break;
                }
            }
            stalled = anyStalled && handed == 0;
        } finally {
            if (handed > 0) {
                recordsRead += handed; // only the polling thread writes it (PollLoop lets one drain at a time)
            }
        }
        return handed;
    }

    /** The rings a reader reads, each with its handler. */
    public static final class Builder {
        private final List<BpfMap> maps = new ArrayList<>();
        private final List<RecordHandler> handlers = new ArrayList<>();

        private Builder() {}

        /**
         * Adds a ring buffer whose records go to {@code handler}.
         *
         * @throws IllegalArgumentException when {@code ringBuffer} is not a {@code RINGBUF} map or added already
         */
        public Builder add(BpfMap ringBuffer, RecordHandler handler) {
            Objects.requireNonNull(ringBuffer, "ringBuffer");
            Objects.requireNonNull(handler, "handler");
            if (ringBuffer.type() != MapType.RINGBUF) {
                throw new IllegalArgumentException("map '" + ringBuffer.name() + "' has type " + ringBuffer.type()
                        + ", not a ring buffer (RINGBUF)" + (ringBuffer.type() == MapType.USER_RINGBUF
                                ? "; user ring buffers are written with UserRingBuffer"
                                : ringBuffer.type() == MapType.PERF_EVENT_ARRAY ? "; read it with PerfEventReader"
                                        : ""));
            }
            if (maps.contains(ringBuffer)) {
                throw new IllegalArgumentException("ring buffer '" + ringBuffer.name() + "' is added twice");
            }
            maps.add(ringBuffer);
            handlers.add(handler);
            return this;
        }

        /** Adds a ring buffer whose records are decoded by {@code codec} and given to {@code consumer}. */
        public <T> Builder add(BpfMap ringBuffer, Codec<T> codec, Consumer<? super T> consumer) {
            return add(ringBuffer, RecordHandler.decoding(codec, consumer));
        }

        /**
         * Maps every ring and opens the reader.
         *
         * @throws KernelException when a ring cannot be mapped or polled; nothing stays open then
         * @throws BpfException    when no ring was added
         * @throws io.github.bpf2java.ebpf.error.BusyException when another reader of this process reads one of the
         *     rings; close it first
         */
        public RingBufferReader build() {
            if (maps.isEmpty()) {
                throw new BpfException("a ring buffer reader needs a ring buffer", "call add(map, handler)", null);
            }
            List<String> names = maps.stream().map(BpfMap::name).toList();
            String description = "ring buffer reader of " + (names.size() == 1 ? "'" + names.get(0) + "'" : names);
            List<Ring> rings = new ArrayList<>();
            Epoll epoll = null;
            List<Integer> ids = new ArrayList<>();
            try {
                epoll = Epoll.create(maps.size(), description);
                for (int i = 0; i < maps.size(); i++) {
                    BpfMap map = maps.get(i);
                    int id = map.id();
                    if (ids.contains(id)) {
                        throw new IllegalArgumentException("ring buffer '" + map.name() + "' (map id " + id
                                + ") is added twice, through two BpfMap objects");
                    }
                    ids.add(id);
                    MapClaims.Claim claim = MapClaims.claim(id, "ring buffer '" + map.name() + "'", description,
                            "RingBufferReader.build", "two readers would move the one consumer position under each "
                                    + "other and lose or repeat records", "close the other reader first (one reader "
                                    + "per ring buffer; its handler can pass records on to several consumers)");
                    Fd own = null;
                    RingConsumer consumer;
                    try {
                        own = map.handle().fd().dup();
                        consumer = RingConsumer.map(own, map.maxEntries(), map.name());
                    } catch (RuntimeException e) {
                        if (own != null) {
                            own.close();
                        }
                        claim.close();
                        throw e;
                    }
                    RecordHandler handler = handlers.get(i);
                    Ring ring = new Ring(own, consumer, handler::onRecord, claim);
                    rings.add(ring);
                    epoll.add(own, Epoll.IN, i);
                }
                return new RingBufferReader(List.copyOf(rings), epoll, description);
            } catch (RuntimeException e) {
                rings.forEach(Ring::close);
                if (epoll != null) {
                    epoll.close();
                }
                throw e;
            }
        }
    }

    /**
     * One mapped ring: the reader's own descriptor of the map, its mapping, the handler of its records and the
     * claim that keeps other readers of this process off it.
     */
    private record Ring(Fd fd, RingConsumer consumer, RecordSink sink, MapClaims.Claim claim) {
        /** Unmaps and closes, then gives the claim back: a new reader maps the ring only after this one let go. */
        void close() {
            consumer.close();
            fd.close();
            claim.close();
        }
    }
}

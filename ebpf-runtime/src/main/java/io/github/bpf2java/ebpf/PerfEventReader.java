package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.perf.PerfOutputBuffers;
import io.github.bpf2java.ebpf.internal.perf.PerfRecordSink;
import io.github.bpf2java.ebpf.internal.perf.PerfRing;
import io.github.bpf2java.ebpf.internal.poll.MapClaims;
import io.github.bpf2java.ebpf.internal.poll.PollLoop;
import io.github.bpf2java.ebpf.internal.syscall.Epoll;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.spec.MapType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Reads the samples BPF programs write to a perf event array ({@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}, with
 * {@code bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, data, size)}): one ring per CPU, read straight from
 * shared memory, with the samples the kernel had to drop counted.
 *
 * <pre>{@code
 * try (PerfEventReader reader = PerfEventReader.builder(object.map("events"))
 *         .bufferSize(64 * 1024)
 *         .onSample((cpu, sample) -> ...)
 *         .onLost((cpu, count) -> System.err.println(count + " samples lost on CPU " + cpu))
 *         .build()) {
 *     while (running) {
 *         reader.poll(Duration.ofMillis(100));
 *     }
 * }
 * }</pre>
 *
 * <p>Opening creates a {@code PERF_COUNT_SW_BPF_OUTPUT} event per online CPU (CPUs beyond the array's
 * {@code max_entries} are left out, as libbpf does), maps its ring, and stores the event in the array at the CPU's
 * index, where the program's {@code BPF_F_CURRENT_CPU} finds it. A sample is the bytes the program gave, followed
 * by up to 7 bytes of padding the kernel adds to keep records 8-byte aligned. Samples are in order per CPU, not
 * across CPUs. A sample that wraps a ring's end is copied into a buffer of the reader, so handlers always see it
 * contiguous. When a ring is full the kernel drops samples and later writes how many; the reader passes that to
 * {@link Builder#onLost} and adds it to {@link #lostSamples()}.
 *
 * <p>Threads, closing and handler views are as for {@link RingBufferReader}: one thread polls at a time (on a
 * virtual thread, parked, leaving its carrier to others), {@link #close()} from any thread wakes it, a view is valid until the handler returns. Closing removes the events
 * from the array again.
 *
 * <p>One reader per array: a second reader would take over the CPU slots and the first would receive nothing, so
 * building a reader of an array that another reader of this process still reads fails with a
 * {@link io.github.bpf2java.ebpf.error.BusyException}, whichever {@link BpfMap} object each was given for it (the
 * generated class's or {@link BpfMap#openPinned}'s); closing the first frees the array. A reader in another process
 * cannot be detected: the last one to store its events in the array receives the samples.
 */
public final class PerfEventReader implements AutoCloseable {
    /** The default ring size per CPU: 64 KiB. */
    public static final int DEFAULT_BUFFER_SIZE = 64 * 1024;

    private final String name;
    private final MapFd map;
    private final MapClaims.Claim claim;
    private final PerfRing[] rings;
    private final PollLoop loop;
    private final Sink sink;
    private final AtomicLong lost = new AtomicLong();
    // Written once per drain by the polling thread; volatile so that statistics read it from any thread.
    private volatile long samplesRead;
    // kernelLostSamples() as the rings were released: what it returns after close. Null while they are open.
    private volatile OptionalLong kernelLostAtClose;
    private boolean paused;

    private PerfEventReader(String name, MapFd map, MapClaims.Claim claim, List<PerfRing> rings, Epoll epoll,
            SampleHandler samples, LostHandler lostHandler) {
        this.name = name;
        this.map = map;
        this.claim = claim;
        this.rings = rings.toArray(new PerfRing[0]);
        this.sink = new Sink(samples, lostHandler, lost);
        this.loop = new PollLoop(epoll, new PollLoop.Source() {
            @Override
            public int drain(int max) {
                return drainRings(max);
            }

            @Override
            public boolean stalled() {
                return false;
            }
        }, this::release, "perf event reader of '" + name + "'");
    }

    /**
     * Opens a reader of {@code perfEventArray} with the default settings ({@link #DEFAULT_BUFFER_SIZE} per CPU, a
     * wake-up per sample), its samples going to {@code handler}; lost samples are only counted.
     *
     * @throws KernelException when an event cannot be opened or mapped
     */
    public static PerfEventReader open(BpfMap perfEventArray, RecordHandler handler) {
        return builder(perfEventArray).onSample(handler).build();
    }

    /**
     * Opens a reader of {@code perfEventArray} with the default settings, whose samples are decoded by {@code codec}
     * (e.g. a generated record's {@code CODEC}) and given to {@code consumer}: the form for an array declared without
     * a value type, as libbpf-tools declare theirs, whose record the plugin's {@code <types>} generates. A sample's
     * padding after the record (the kernel rounds each sample up to 8 bytes) is left unread.
     *
     * @throws KernelException when an event cannot be opened or mapped
     */
    public static <T> PerfEventReader open(BpfMap perfEventArray, Codec<T> codec, Consumer<? super T> consumer) {
        return builder(perfEventArray).onSample(codec, consumer).build();
    }

    /** Starts configuring a reader of {@code perfEventArray}. */
    public static Builder builder(BpfMap perfEventArray) {
        return new Builder(perfEventArray);
    }

    /**
     * Hands out the samples there are; if there are none, waits up to {@code timeout} for some and hands them out.
     * When samples arrive without waking the reader ({@link Builder#wakeupEvents} above 1, overwritable rings),
     * they are handed out when the time is up.
     *
     * @return how many samples were handed out
     * @throws InterruptedException  when the thread is interrupted while waiting (noticed within 250 ms on a platform
     *                               thread, at once on a virtual one)
     * @throws IllegalStateException when closed, or called from one of this reader's handlers
     */
    public int poll(Duration timeout) throws InterruptedException {
        return loop.poll(timeout, Integer.MAX_VALUE);
    }

    /** {@link #poll(Duration)}, handing out at most {@code maxSamples}; the rest stay for the next call. */
    public int poll(Duration timeout, int maxSamples) throws InterruptedException {
        return loop.poll(timeout, maxSamples);
    }

    /**
     * Reads until the reader is closed: hands out samples as they come, and returns once {@link #close()} is called,
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
     * {@link #pause()}) in between. Samples that arrive without waking the reader ({@link Builder#wakeupEvents}
     * above 1, overwritable rings) are handed out within a second.
     *
     * @return how many samples were handed out
     * @throws InterruptedException  when the thread is interrupted while waiting; the reader stays open
     * @throws IllegalStateException when called from one of this reader's handlers
     */
    public long pollUntilClosed() throws InterruptedException {
        return loop.pollUntilClosed();
    }

    /** Hands out the samples there are now, without waiting. */
    public int consume() {
        return loop.consume(Integer.MAX_VALUE);
    }

    /** Hands out at most {@code maxSamples} of the samples there are now, without waiting. */
    public int consume(int maxSamples) {
        return loop.consume(maxSamples);
    }

    /**
     * The samples handed to the handler since the reader was opened, a sample whose handler threw included;
     * readable from any thread, also after close.
     */
    public long samplesRead() {
        return samplesRead;
    }

    /**
     * The samples the kernel reported lost so far, on all CPUs (as they are read, in order with the samples). The
     * kernel writes a CPU's count into its ring at that CPU's next sample that fits, so drops not followed by one
     * are not in it yet: {@link #kernelLostSamples()} has them.
     */
    public long lostSamples() {
        return lost.get();
    }

    /**
     * The samples the kernel has dropped so far on all CPUs for lack of room, counted as they are dropped: it
     * includes drops whose lost-sample record has not been written or read yet, so after a burst it can be ahead of
     * {@link #lostSamples()}, which catches up as the records are read. Each call reads every CPU's event
     * ({@code PERF_FORMAT_LOST}, Linux 6.0+); readable from any thread, also after close, when it is the count the
     * events had as the reader released them.
     *
     * @return the count, or empty on kernels before 6.0, which do not count them
     */
    public OptionalLong kernelLostSamples() {
        OptionalLong atClose = kernelLostAtClose;
        if (atClose != null) {
            return atClose;
        }
        try {
            return countKernelLost();
        } catch (IllegalStateException e) {
            // The rings were released while this thread read them; the count was taken just before.
            atClose = kernelLostAtClose;
            if (atClose != null) {
                return atClose;
            }
            throw e;
        }
    }

    private OptionalLong countKernelLost() {
        long sum = 0;
        for (PerfRing ring : rings) {
            OptionalLong n = ring.lostByKernel();
            if (n.isEmpty()) {
                return OptionalLong.empty();
            }
            sum += n.getAsLong();
        }
        return OptionalLong.of(sum);
    }

    /** The CPUs with a ring, ascending. */
    public List<Integer> cpus() {
        List<Integer> cpus = new ArrayList<>();
        for (PerfRing ring : rings) {
            cpus.add(ring.cpu());
        }
        return cpus;
    }

    /**
     * Stops the program's output to this reader: the events are taken out of the array, so
     * {@code bpf_perf_event_output} finds none and returns {@code -ENOENT}; such samples are not counted as lost.
     * What the rings hold can still be read.
     */
    public void pause() {
        loop.exclusively(() -> {
            for (PerfRing ring : rings) {
                map.delete(MapFd.int32(ring.cpu()));
            }
            paused = true;
        });
    }

    /** Puts the events back into the array after {@link #pause()}. */
    public void resume() {
        loop.exclusively(() -> {
            for (PerfRing ring : rings) {
                register(map, ring);
            }
            paused = false;
        });
    }

    /** Whether the reader is {@linkplain #pause() paused}. */
    public boolean isPaused() {
        return paused;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return loop.isClosed();
    }

    /**
     * Closes the reader: a poll in another thread returns at once; the events leave the array, and the rings are
     * unmapped and closed as soon as no handler runs. Idempotent; may be called from any thread, also a handler.
     */
    @Override
    public void close() {
        loop.close();
    }

    @Override
    public String toString() {
        return "PerfEventReader['" + name + "', CPUs " + cpus() + (isClosed() ? ", closed]" : "]");
    }

    private int drainRings(int max) {
        int handed = 0;
        try {
            for (int i = 0; i < rings.length && handed < max; i++) {
                PerfRing ring = rings[i];
                if (!ring.hasRecords()) {
                    continue;
                }
                try {
                    ring.read(sink, max - handed, loop.gate());
                } finally {
                    // Also when a handler threw: what was handed out before it, and the sample it threw on.
                    handed += ring.handedInLastRead();
                }
                if (loop.isClosed()) {
                    break;
                }
            }
        } finally {
            if (handed > 0) {
                samplesRead += handed; // only the polling thread writes it (PollLoop lets one drain at a time)
            }
        }
        return handed;
    }

    private void release() {
        try {
            for (PerfRing ring : rings) {
                try {
                    map.delete(MapFd.int32(ring.cpu()));
                } catch (RuntimeException ignored) {
                    // Nothing to undo when the slot was emptied or refilled by someone else; the ring closes anyway.
                }
            }
        } finally {
            try {
                kernelLostAtClose = countKernelLost();
            } catch (RuntimeException e) {
                kernelLostAtClose = OptionalLong.empty(); // an event that cannot be read has no count to keep
            }
            for (PerfRing ring : rings) {
                ring.close();
            }
            map.close();
            // Last: a new reader of the array may store its events only once this one's are out.
            claim.close();
            RuntimeEvents.readerClosed("perf event reader of '" + name + "'", samplesRead, lost.get());
        }
    }

    private static void register(MapFd map, PerfRing ring) {
        map.updateDescriptor(MapFd.int32(ring.cpu()), ring.event());
    }

    /** Receives each sample: the CPU it was written on, and a view valid until this returns. */
    @FunctionalInterface
    public interface SampleHandler {
        /**
         * Called once per sample on the polling thread; {@code sample}'s bytes from its position to its limit are
         * the sample, as for {@link RecordHandler}.
         */
        void onSample(int cpu, ByteBuffer sample);
    }

    /** Told how many samples the kernel dropped on a CPU because its ring was full. */
    @FunctionalInterface
    public interface LostHandler {
        void onLost(int cpu, long count);
    }

    /** Settings of a {@link PerfEventReader}. */
    public static final class Builder {
        private final BpfMap map;
        private int bufferSize = DEFAULT_BUFFER_SIZE;
        private int wakeup = 1;
        private boolean wakeupByBytes;
        private boolean overwritable;
        private SampleHandler samples;
        private LostHandler lostHandler = (cpu, count) -> { };

        private Builder(BpfMap map) {
            this.map = Objects.requireNonNull(map, "perfEventArray");
            if (map.type() != MapType.PERF_EVENT_ARRAY) {
                throw new IllegalArgumentException("map '" + map.name() + "' has type " + map.type()
                        + ", not a perf event array (PERF_EVENT_ARRAY)"
                        + (map.type() == MapType.RINGBUF ? "; read it with RingBufferReader" : ""));
            }
        }

        /**
         * Bytes of each CPU's ring (default {@link #DEFAULT_BUFFER_SIZE}): a power-of-two multiple of the page
         * size. Larger rings lose fewer samples when the reader falls behind; each takes locked memory.
         */
        public Builder bufferSize(int bytesPerCpu) {
            int page = Libc.pageSize();
            if (bytesPerCpu < page || Integer.bitCount(bytesPerCpu) != 1) {
                throw new IllegalArgumentException("perf buffer size " + bytesPerCpu + " of '" + map.name()
                        + "' must be a power-of-two multiple of the page size (" + page + "), e.g. "
                        + Math.max(page, Integer.highestOneBit(Math.max(1, bytesPerCpu))));
            }
            this.bufferSize = bytesPerCpu;
            return this;
        }

        /** Wakes a waiting poll after this many samples on a CPU (default 1); fewer are read when a poll times out. */
        public Builder wakeupEvents(int samples) {
            if (samples <= 0) {
                throw new IllegalArgumentException("wakeupEvents must be positive: " + samples);
            }
            this.wakeup = samples;
            this.wakeupByBytes = false;
            return this;
        }

        /** Wakes a waiting poll once a CPU's ring holds this many bytes ({@code wakeup_watermark}). */
        public Builder wakeupBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("wakeupBytes must be positive: " + bytes);
            }
            this.wakeup = bytes;
            this.wakeupByBytes = true;
            return this;
        }

        /**
         * Overwritable rings ({@code write_backward}): when a ring is full the kernel overwrites its oldest samples
         * instead of dropping new ones, so the reader sees the latest; a read hands out the samples written since
         * the previous read, newest first, pausing that CPU's output while it reads. Nothing is reported lost.
         */
        public Builder overwritable() {
            this.overwritable = true;
            return this;
        }

        /** Where samples go, with the CPU they were written on. Required (or one of the other forms). */
        public Builder onSample(SampleHandler handler) {
            this.samples = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Where samples go, without their CPU. */
        public Builder onSample(RecordHandler handler) {
            Objects.requireNonNull(handler, "handler");
            return onSample((cpu, sample) -> handler.onRecord(sample));
        }

        /** Samples decoded by {@code codec} and given to {@code consumer}. */
        public <T> Builder onSample(Codec<T> codec, Consumer<? super T> consumer) {
            return onSample(RecordHandler.decoding(codec, consumer));
        }

        /** Told of samples the kernel dropped (they are counted in {@link #lostSamples()} either way). */
        public Builder onLost(LostHandler handler) {
            this.lostHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Opens an event and ring per online CPU and stores them in the array.
         *
         * @throws KernelException when an event cannot be opened or mapped (a {@code PermissionException} names
         *     {@code kernel.perf_event_paranoid}); nothing stays open then
         * @throws io.github.bpf2java.ebpf.error.BusyException when another reader of this process reads the array;
         *     close it first
         */
        public PerfEventReader build() {
            if (samples == null) {
                throw new IllegalStateException("perf event reader of '" + map.name() + "': no sample handler; "
                        + "call onSample(...)");
            }
            int slots = map.maxEntries();
            List<Integer> cpus = new ArrayList<>();
            for (int cpu : CpuList.online().cpus()) {
                if (cpu < slots) {
                    cpus.add(cpu);
                }
            }
            String reader = "perf event reader of '" + map.name() + "'";
            MapClaims.Claim claim = MapClaims.claim(map.id(), "perf event array '" + map.name() + "'", reader,
                    "PerfEventReader.build", "a second reader would take over its CPU slots and the first would "
                            + "receive nothing", "close the other reader first (one reader per array; its handler "
                            + "can pass samples on to several consumers)");
            MapFd own;
            try {
                own = MapFd.adopt(map.handle().fd().dup());
            } catch (RuntimeException e) {
                claim.close();
                throw e;
            }
            List<PerfRing> rings = List.of();
            Epoll epoll = null;
            try {
                rings = PerfOutputBuffers.open(cpus, new PerfOutputBuffers.Settings(bufferSize, wakeup,
                        wakeupByBytes, overwritable), map.name());
                epoll = Epoll.create(Math.max(1, rings.size()), reader);
                for (PerfRing ring : rings) {
                    epoll.add(ring.event(), Epoll.IN, ring.cpu());
                    register(own, ring);
                }
                return new PerfEventReader(map.name(), own, claim, rings, epoll, samples, lostHandler);
            } catch (RuntimeException e) {
                for (PerfRing ring : rings) {
                    try {
                        own.delete(MapFd.int32(ring.cpu()));
                    } catch (RuntimeException ignored) {
                        // not stored yet
                    }
                    ring.close();
                }
                if (epoll != null) {
                    epoll.close();
                }
                own.close();
                claim.close();
                throw e;
            }
        }
    }

    /** Forwards samples and lost counts to the user's handlers; one instance per reader, so nothing is allocated. */
    private static final class Sink implements PerfRecordSink {
        private final SampleHandler samples;
        private final LostHandler lostHandler;
        private final AtomicLong lost;

        Sink(SampleHandler samples, LostHandler lostHandler, AtomicLong lost) {
            this.samples = samples;
            this.lostHandler = lostHandler;
            this.lost = lost;
        }

        @Override
        public void sample(int cpu, ByteBuffer sample) {
            samples.onSample(cpu, sample);
        }

        @Override
        public void lost(int cpu, long count) {
            lost.addAndGet(count);
            lostHandler.onLost(cpu, count);
        }
    }
}

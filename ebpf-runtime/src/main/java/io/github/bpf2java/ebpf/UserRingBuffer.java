package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.poll.MapClaims;
import io.github.bpf2java.ebpf.internal.poll.PollLoop;
import io.github.bpf2java.ebpf.internal.poll.Timeouts;
import io.github.bpf2java.ebpf.internal.ringbuf.RingProducer;
import io.github.bpf2java.ebpf.internal.syscall.Epoll;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Writes samples into a user ring buffer ({@code BPF_MAP_TYPE_USER_RINGBUF}, Linux 6.1+), where BPF programs read
 * them with {@code bpf_user_ringbuf_drain(&map, callback, ctx, 0)}, in the order they were reserved.
 *
 * <pre>{@code
 * try (UserRingBuffer commands = UserRingBuffer.open(object.map("commands"))) {
 *     commands.write(Command.CODEC, new Command(42, "stop"));   // false when the ring is full
 *     commands.reserve(16, Duration.ofSeconds(1)).ifPresent(sample -> {
 *         sample.buffer().putLong(0, 7).putLong(8, 9);
 *         sample.submit();
 *     });
 * }
 * }</pre>
 *
 * <p>A reserved {@link Sample} is written in place (no copy) and then submitted or discarded; until then it holds
 * back every sample reserved after it, since the kernel drains in order and stops at the first one not committed.
 * Samples take their length rounded up to 8 plus an 8-byte header; an empty one (a command with no payload) is
 * allowed, and reaches the program's callback as a dynptr of size 0. Reserving is serialized (one thread at a time);
 * submitting and discarding may happen on any thread. {@link #close()} from another thread ends a
 * {@link #reserve(int, Duration)} that waits for room at once; afterwards every method but {@link #close()} throws
 * {@link IllegalStateException}, also {@link Sample#submit()} of a sample reserved before.
 *
 * <p>One producer per ring: the kernel leaves the producer position to user space and does not serialize writers
 * (libbpf's producer is not safe for several either), so two would reserve the same room and overwrite each other's
 * samples. Opening a ring that another {@code UserRingBuffer} of this process still has open fails with a
 * {@link io.github.bpf2java.ebpf.error.BusyException}, whichever {@link BpfMap} object each was given for it; closing
 * the first frees the ring. Share one instance between threads instead: it serializes reserving. A producer in
 * another process cannot be detected, and must not be run alongside.
 */
public final class UserRingBuffer implements AutoCloseable {
    private final String name;
    private final RingProducer producer;
    private final PollLoop loop;
    // Commits hold the read lock, unmapping takes the write lock: a commit never writes to unmapped memory.
    private final ReentrantReadWriteLock mapping = new ReentrantReadWriteLock();
    private volatile boolean unmapped;
    // The room a waiting reserve needs, header and padding included: the wait ends when the ring has it.
    private long wanted;

    private UserRingBuffer(String name, Fd fd, RingProducer producer, Epoll epoll, MapClaims.Claim claim) {
        this.name = name;
        this.producer = producer;
        // What the loop "drains" is room: a wait for it ends once the ring has what the waiting reserve needs.
        this.loop = new PollLoop(epoll, new PollLoop.Source() {
            @Override
            public int drain(int max) {
                return producer.freeBytes() >= wanted ? 1 : 0;
            }

            @Override
            public boolean stalled() {
                return false;
            }
        }, () -> {
            mapping.writeLock().lock();
            try {
                unmapped = true;
                producer.close();
                fd.close();
            } finally {
                mapping.writeLock().unlock();
                claim.close();
            }
        }, "user ring buffer '" + name + "'");
    }

    /**
     * Maps the user ring buffer {@code map} for writing.
     *
     * @throws IllegalArgumentException when {@code map} is not a {@code USER_RINGBUF} map
     * @throws KernelException          when the kernel refuses the mapping
     * @throws io.github.bpf2java.ebpf.error.BusyException when another {@code UserRingBuffer} of this process has
     *     the ring open; close it first, or share it
     */
    public static UserRingBuffer open(BpfMap map) {
        Objects.requireNonNull(map, "map");
        if (map.type() != MapType.USER_RINGBUF) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a map of type " + map.type()
                    + ", not a user ring buffer (USER_RINGBUF)" + (map.type() == MapType.RINGBUF
                            ? "; programs write RINGBUF maps, read them with RingBufferReader" : ""));
        }
        MapClaims.Claim claim = MapClaims.claim(map.id(), "user ring buffer '" + map.name() + "'",
                "UserRingBuffer opened on '" + map.name() + "' before", "UserRingBuffer.open", "two producers would "
                        + "reserve the same room and overwrite each other's samples", "close the other UserRingBuffer "
                        + "first, or share it between threads (reserving is serialized)");
        Fd own;
        try {
            own = map.handle().fd().dup();
        } catch (RuntimeException e) {
            claim.close();
            throw e;
        }
        RingProducer producer = null;
        try {
            producer = RingProducer.map(own, map.maxEntries(), map.name());
            Epoll epoll = Epoll.create(1, "user ring buffer '" + map.name() + "'");
            try {
                // Edge-triggered: the kernel wakes writers after each drain; level-triggered would report "writable"
                // as long as any byte is free, however large the sample waiting for room.
                epoll.add(own, Epoll.OUT | Epoll.EDGE_TRIGGERED, 0);
            } catch (RuntimeException e) {
                epoll.close();
                throw e;
            }
            return new UserRingBuffer(map.name(), own, producer, epoll, claim);
        } catch (RuntimeException e) {
            if (producer != null) {
                producer.close();
            }
            own.close();
            claim.close();
            throw e;
        }
    }

    /**
     * Reserves room for a sample of {@code size} bytes, if there is room now.
     *
     * @return the sample to fill and submit, or empty when the ring is full
     * @throws IllegalArgumentException when {@code size} exceeds {@link #maxSampleSize()}
     */
    public Optional<Sample> reserve(int size) {
        Sample[] reserved = new Sample[1];
        loop.exclusively(() -> reserved[0] = tryReserve(size));
        return Optional.ofNullable(reserved[0]);
    }

    /**
     * Reserves room for a sample of {@code size} bytes, waiting up to {@code timeout} for programs to drain enough.
     * On a virtual thread the wait parks, as a reader's poll does, leaving the carrier to other virtual threads.
     *
     * @return the sample, or empty when no room came in time or the buffer was closed meanwhile
     * @throws InterruptedException when the thread is interrupted while waiting (noticed within 250 ms on a platform
     *                              thread, at once on a virtual one)
     */
    public Optional<Sample> reserve(int size, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Sample[] reserved = new Sample[1];
        long start = System.nanoTime();
        long budget = Timeouts.budgetNanos(timeout);
        while (true) {
            loop.exclusively(() -> reserved[0] = tryReserve(size));
            if (reserved[0] != null) {
                return Optional.of(reserved[0]);
            }
            long remaining = budget - (System.nanoTime() - start);
            if (remaining <= 0 || loop.isClosed()) {
                return Optional.empty();
            }
            // Waits for the kernel's wake-up after a drain (or the close); an old wake-up only costs one more try.
            wanted = (size + 8L + 7) & ~7L;
            loop.poll(Duration.ofNanos(remaining), 1);
            if (loop.isClosed()) {
                return Optional.empty();
            }
        }
    }

    /** Writes {@code sample} (all of it) as one sample; false when the ring is full. */
    public boolean write(byte[] sample) {
        return write(ByteBuffer.wrap(sample));
    }

    /** Writes the remaining bytes of {@code sample} as one sample (its position is not changed); false when full. */
    public boolean write(ByteBuffer sample) {
        Optional<Sample> reserved = reserve(sample.remaining());
        reserved.ifPresent(s -> {
            s.buffer().put(0, sample, sample.position(), sample.remaining());
            s.submit();
        });
        return reserved.isPresent();
    }

    /** Writes {@code value} encoded by {@code codec} as one sample; false when the ring is full. */
    public <T> boolean write(Codec<T> codec, T value) {
        Optional<Sample> reserved = reserve(codec.size());
        reserved.ifPresent(s -> {
            try {
                codec.encode(value, s.buffer(), 0);
            } catch (RuntimeException e) {
                s.discard();
                throw e;
            }
            s.submit();
        });
        return reserved.isPresent();
    }

    /** The largest sample this ring takes: its size less the 8-byte header, at most 16 MiB - 1. */
    public int maxSampleSize() {
        return producer.maxSampleSize();
    }

    /** Bytes free now, headers and padding included. */
    public long freeBytes() {
        long[] free = new long[1];
        loop.exclusively(() -> free[0] = producer.freeBytes());
        return free[0];
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return loop.isClosed();
    }

    /**
     * Unmaps the ring; samples not submitted by then are never drained. Idempotent; may be called from any thread.
     */
    @Override
    public void close() {
        loop.close();
    }

    @Override
    public String toString() {
        return "UserRingBuffer['" + name + "', " + producer.size() + " bytes" + (isClosed() ? ", closed]" : "]");
    }

    private Sample tryReserve(int size) {
        long position = producer.reserve(size);
        return position < 0 ? null : new Sample(position, size, producer.sample(position, size));
    }

    private void commit(long position, int size, boolean discard) {
        mapping.readLock().lock();
        try {
            if (unmapped) {
                throw new IllegalStateException("user ring buffer '" + name + "' is closed; the sample was dropped");
            }
            producer.commit(position, size, discard);
        } finally {
            mapping.readLock().unlock();
        }
    }

    /**
     * A reserved sample: write it through {@link #buffer()}, then {@link #submit()} or {@link #discard()} it, once.
     */
    public final class Sample {
        private final long position;
        private final int size;
        private final ByteBuffer buffer;
        private boolean committed;

        private Sample(long position, int size, ByteBuffer buffer) {
            this.position = position;
            this.size = size;
            this.buffer = buffer;
        }

        /**
         * The sample's bytes in the ring, index 0 first, in the host's byte order; do not use it after
         * {@link #submit()}, {@link #discard()} or closing the ring buffer.
         */
        public ByteBuffer buffer() {
            return buffer;
        }

        /** The sample's size in bytes. */
        public int size() {
            return size;
        }

        /**
         * Hands the sample to the kernel: the next {@code bpf_user_ringbuf_drain} that reaches it passes it to its
         * callback.
         *
         * @throws IllegalStateException when already committed or the ring buffer is closed
         */
        public synchronized void submit() {
            commitOnce(false);
        }

        /** Gives the room back without the kernel ever seeing the sample. */
        public synchronized void discard() {
            commitOnce(true);
        }

        private void commitOnce(boolean discard) {
            if (committed) {
                throw new IllegalStateException("sample at position " + position + " of user ring buffer '" + name
                        + "' was already submitted or discarded");
            }
            committed = true;
            commit(position, size, discard);
        }
    }
}

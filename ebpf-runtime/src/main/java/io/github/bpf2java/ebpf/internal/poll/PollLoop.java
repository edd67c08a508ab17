package io.github.bpf2java.ebpf.internal.poll;

import io.github.bpf2java.ebpf.internal.syscall.Epoll;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait-then-drain loop of a reader: hand out what is there; if nothing was, wait on the epoll set until a
 * descriptor is ready, the time is up or the reader is closed, and drain again. Never a spin: the only case where
 * epoll would report readiness at once without anything to hand out (a ring buffer record reserved but not yet
 * committed) is waited out with a short, growing sleep instead. Waits are cut into slices so that a thread
 * interrupt is noticed.
 *
 * <p>Closing from any thread wakes a waiting consumer at once ({@link Epoll#wakeUp()}) and frees the resources when
 * it has left ({@link ConsumerGate}). A consumer on a virtual thread waits parked ({@link VirtualThreadWaits}), so
 * its carrier runs other virtual threads meanwhile.
 *
 * <p>Internal: part of the readers' mechanics, not of the stable API.
 */
public final class PollLoop {
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SLICE_MILLIS = 250;
    private static final long UNTIL_CLOSED_SLICE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What the reader drains. */
    public interface Source {
        /** Hands out up to {@code max} records there are now; stops early once the loop is closed. */
        int drain(int max);

        /** Whether the last drain stopped at a record still being written, which epoll reports as readable. */
        boolean stalled();
    }

    private final Epoll epoll;
    private final Source source;
    private final ConsumerGate gate;
    private final String description;

    /**
     * @param epoll   the set the source's descriptors are in; closed with the loop
     * @param release frees the source's resources, once, when no consumer is inside
     */
    public PollLoop(Epoll epoll, Source source, Runnable release, String description) {
        this.epoll = epoll;
        this.description = description;
        this.source = source;
        this.gate = new ConsumerGate(() -> {
            try {
                release.run();
            } finally {
                epoll.close();
            }
        }, description);
    }

    /**
     * Drains what is there; if nothing, waits up to {@code timeout} for records and drains them.
     *
     * @return how many records were handed out; 0 when none came in time or the loop was closed meanwhile
     * @throws InterruptedException when the thread is interrupted while waiting
     * @throws IllegalStateException when closed before the call, or called from a record handler
     */
    public int poll(Duration timeout, int max) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        checkMax(max);
        long budget = Timeouts.budgetNanos(timeout);
        gate.enter();
        try {
            return drainOrWait(budget, max);
        } finally {
            gate.exit();
        }
    }

    /**
     * Drains and waits, again and again, until the loop is closed; returns at once when it is closed already.
     * Leaves the gate between waits of at most {@link #UNTIL_CLOSED_SLICE_NANOS}, so that another thread's
     * {@link #consume}, {@link #exclusively} or {@link #close()}-and-free gets its turn.
     *
     * @return how many records were handed out
     * @throws InterruptedException when the thread is interrupted while waiting; the loop stays open
     * @throws IllegalStateException when called from a record handler
     */
    public long pollUntilClosed() throws InterruptedException {
        long handed = 0;
        while (gate.tryEnter()) {
            try {
                handed += drainOrWait(UNTIL_CLOSED_SLICE_NANOS, Integer.MAX_VALUE);
            } finally {
                gate.exit();
            }
        }
        return handed;
    }

    /** Inside the gate: drains; if nothing was there, waits up to {@code budget} ns for records and drains them. */
    private int drainOrWait(long budget, int max) throws InterruptedException {
        long start = System.nanoTime();
        int handed = source.drain(max);
        long backoff = FIRST_BACKOFF_NANOS;
        while (handed == 0 && !gate.isClosed()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting on " + description);
            }
            long remaining = budget - (System.nanoTime() - start);
            if (remaining <= 0) {
                break;
            }
            if (source.stalled()) {
                LockSupport.parkNanos(Math.min(backoff, remaining));
                backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            } else {
                // Rounded up: epoll counts milliseconds, and a wait cut short would only be repeated.
                int millis = remaining >= TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS) ? SLICE_MILLIS
                        : (int) Math.max(1, (remaining + 999_999) / 1_000_000);
                if (VirtualThreadWaits.onVirtualThread()) {
                    VirtualThreadWaits.await(epoll, millis); // parked: the carrier runs other virtual threads
                } else {
                    epoll.await(millis);
                }
                backoff = FIRST_BACKOFF_NANOS;
            }
            if (!gate.isClosed()) {
                handed = source.drain(max);
            }
        }
        return handed;
    }

    /** Drains up to {@code max} records there are now, without waiting. */
    public int consume(int max) {
        checkMax(max);
        gate.enter();
        try {
            return source.drain(max);
        } finally {
            gate.exit();
        }
    }

    /**
     * Runs {@code action} as the consumer (no drain runs meanwhile).
     *
     * @throws IllegalStateException when closed
     */
    public void exclusively(Runnable action) {
        gate.enter();
        try {
            action.run();
        } finally {
            gate.exit();
        }
    }

    /** The gate; drains ask its {@link ConsumerGate#isClosed()} after every record. */
    public ConsumerGate gate() {
        return gate;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return gate.isClosed();
    }

    /** Closes: a waiting consumer returns at once, resources are freed once it has left. Idempotent. */
    public void close() {
        gate.close(epoll::wakeUp);
    }

    private static void checkMax(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("the number of records to hand out must be positive: " + max);
        }
    }
}

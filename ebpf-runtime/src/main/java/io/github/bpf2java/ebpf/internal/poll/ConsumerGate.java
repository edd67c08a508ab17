package io.github.bpf2java.ebpf.internal.poll;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets one consumer at a time into a reader of shared memory (a ring buffer, perf rings), and lets any thread close
 * the reader without pulling the memory from under a consumer: {@link #close(Runnable)} marks the reader closed,
 * wakes a consumer that waits, and frees the resources only when no consumer is inside; otherwise the consumer
 * frees them as it leaves. A mapping unmapped while a consumer reads it would crash the JVM, not throw.
 *
 * <pre>{@code
 * gate.enter();            // IllegalStateException when closed
 * try { ... read, wait, read ... if (gate.isClosed()) stop; } finally { gate.exit(); }
 * }</pre>
 *
 * <p>Internal: part of the readers' mechanics, not of the stable API.
 */
public final class ConsumerGate {
    // Fair: a thread polling in a loop leaves and re-enters at once, and an unfair lock would let it in again ahead
    // of a thread waiting to consume or to read statistics. Taken once per poll or consume, not per record.
    private final ReentrantLock consumer = new ReentrantLock(true);
    private final AtomicBoolean released = new AtomicBoolean();
    private final Runnable release;
    private final String description;
    private volatile boolean closed;

    /**
     * @param release     frees the resources (unmaps, closes descriptors); run exactly once
     * @param description what the gate guards, for messages, e.g. {@code ring buffer reader of 'events'}
     */
    public ConsumerGate(Runnable release, String description) {
        this.release = release;
        this.description = description;
    }

    /**
     * Enters as the consumer, waiting for another thread's consumer to leave first.
     *
     * @throws IllegalStateException when closed, or when called from the current consumer (a record handler that
     *     reads from its own reader)
     */
    public void enter() {
        if (!tryEnter()) {
            throw closedException();
        }
    }

    /**
     * Enters as the consumer as {@link #enter()} does, or returns false when closed.
     *
     * @throws IllegalStateException when called from the current consumer
     */
    public boolean tryEnter() {
        if (consumer.isHeldByCurrentThread()) {
            throw new IllegalStateException(description + " was used from within its own callback");
        }
        consumer.lock();
        if (closed) {
            consumer.unlock();
            releaseIfIdle();
            return false;
        }
        return true;
    }

    /** Leaves; frees the resources when the reader was closed meanwhile. */
    public void exit() {
        consumer.unlock();
        // Read after the unlock: a close() that found the lock taken has set the flag before it tried, so either it
        // or this thread sees the other and frees.
        if (closed) {
            releaseIfIdle();
        }
    }

    /** Whether {@link #close} has been called: a consumer inside should stop and leave. */
    public boolean isClosed() {
        return closed;
    }

    /** Throws the closed exception when closed. */
    public void checkOpen() {
        if (closed) {
            throw closedException();
        }
    }

    /**
     * Closes: later {@link #enter()}s fail, {@code wakeUp} releases a consumer waiting inside, and the resources
     * are freed now or when that consumer leaves. Idempotent, safe from any thread and from the consumer itself.
     */
    public void close(Runnable wakeUp) {
        if (closed) {
            return;
        }
        closed = true;
        wakeUp.run();
        releaseIfIdle();
    }

    private void releaseIfIdle() {
        // A close from a record handler: the consumer loop around it still uses the memory and frees on its exit.
        if (consumer.isHeldByCurrentThread()) {
            return;
        }
        if (consumer.tryLock()) {
            try {
                if (released.compareAndSet(false, true)) {
                    release.run();
                }
            } finally {
                consumer.unlock();
            }
        }
    }

    private IllegalStateException closedException() {
        return new IllegalStateException(description + " is closed");
    }
}

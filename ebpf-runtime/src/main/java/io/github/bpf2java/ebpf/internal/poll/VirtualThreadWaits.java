package io.github.bpf2java.ebpf.internal.poll;

import io.github.bpf2java.ebpf.internal.syscall.Epoll;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits on a reader's epoll set from a virtual thread without holding its carrier. {@code epoll_wait} blocks in
 * native code, and a virtual thread in native code keeps its carrier for the whole wait: the scheduler cannot run
 * other virtual threads on it, and with as many waiting readers as carriers (one, with
 * {@code -Djdk.virtualThreadScheduler.parallelism=1}) no other virtual thread runs at all. So a virtual thread
 * parks instead, which frees its carrier, while the reader's set, an epoll descriptor and itself pollable, sits in
 * the set of one platform daemon thread that blocks in {@code epoll_wait} for every such waiter and unparks the
 * one whose set became ready.
 *
 * <p>Each wait registers the reader's set once and removes it again: whichever of the two threads takes the
 * registration out of the table removes the descriptor, so it happens once, and a wait returns only once it has
 * happened; a descriptor closed meanwhile is gone from every set anyway, and its {@link Fd} refuses to be held.
 *
 * <p>Internal: part of the readers' mechanics, not of the stable API.
 */
final class VirtualThreadWaits {
    private static final System.Logger LOG = System.getLogger(VirtualThreadWaits.class.getName());
    // Thread.isVirtual(), Java 21+; null before, where no thread is virtual.
    private static final MethodHandle IS_VIRTUAL = isVirtualMethod();
    private static final AtomicLong TOKENS = new AtomicLong();

    private VirtualThreadWaits() {}

    /** Whether the calling thread is a virtual thread. */
    static boolean onVirtualThread() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * Waits at most {@code millis} until {@code set} has a ready descriptor or is woken up, parked; then reads the
     * set's events without waiting, as {@link Epoll#await} would have. Returns early when the thread is interrupted,
     * leaving its interrupt status set.
     */
    static void await(Epoll set, int millis) {
        if (set.await(0) > 0 || set.isWokenUp()) {
            return;
        }
        Waiter w = WaiterHolder.WAITER;
        long token = TOKENS.incrementAndGet();
        Registration registration = new Registration(Thread.currentThread(), set.descriptor());
        w.registrations.put(token, registration);
        try {
            w.set.add(set.descriptor(), Epoll.IN, token);
        } catch (RuntimeException e) {
            w.registrations.remove(token);
            throw e;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!registration.ready && !Thread.currentThread().isInterrupted()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(registration, left);
            }
        } finally {
            if (w.registrations.remove(token) != null) {
                w.remove(registration.descriptor);
            } else {
                // The waiter took it, as the time ran out: it removes the descriptor, then marks the registration
                // ready, within microseconds. Wait for that, or the next wait could add the descriptor before the
                // waiter removed it.
                while (!registration.ready) {
                    Thread.onSpinWait();
                }
            }
        }
        set.await(0);
    }

    /** The waiting thread, started when a virtual thread first waits (class initialisation is lazy and once). */
    private static final class WaiterHolder {
        static final Waiter WAITER = start();

        private static Waiter start() {
            Waiter w = new Waiter();
            // new Thread(...) makes a platform thread, also when called from a virtual one.
            Thread thread = new Thread(w, "bpf2java-epoll-for-virtual-threads");
            thread.setDaemon(true);
            thread.start();
            return w;
        }
    }

    private static final class Registration {
        final Thread thread;
        final Fd descriptor;
        volatile boolean ready;

        Registration(Thread thread, Fd descriptor) {
            this.thread = thread;
            this.descriptor = descriptor;
        }
    }

    /** The platform thread's loop: wait for any registered set, wake its virtual thread. */
    private static final class Waiter implements Runnable {
        final Epoll set = Epoll.create(64, "epoll set for readers on virtual threads");
        final Map<Long, Registration> registrations = new ConcurrentHashMap<>();

        @Override
        public void run() {
            while (true) {
                try {
                    int ready = set.await(-1);
                    for (int i = 0; i < ready; i++) {
                        Registration r = registrations.remove(set.token(i));
                        if (r != null) {
                            try {
                                remove(r.descriptor);
                            } finally {
                                r.ready = true;
                                LockSupport.unpark(r.thread);
                            }
                        }
                    }
                } catch (RuntimeException | Error e) {
                    // Waiting threads time out of their slice and register again; keep serving them.
                    LOG.log(Level.WARNING, "waiting for readers on virtual threads failed; retrying", e);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                }
            }
        }

        void remove(Fd descriptor) {
            try {
                set.remove(descriptor);
            } catch (IllegalStateException closed) {
                // Closed meanwhile: the kernel took it out of the set with its last reference.
            }
        }
    }

    private static MethodHandle isVirtualMethod() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual",
                    MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException e) {
            return null; // before Java 21
        }
    }
}

package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns one kernel file descriptor: a map, program, link, BTF object, perf event or pinned-object handle. Closing is
 * idempotent and thread-safe: the descriptor is closed exactly once, by whichever thread gets there first.
 *
 * <p>A descriptor number is reused by the kernel the moment it is closed, so a system call must hold the descriptor
 * for its whole duration: {@link #acquire()} before reading the number, {@link #release()} after the call returns
 * (or {@link #hold()} in a try-with-resources). {@link #close()} on another thread meanwhile only marks the
 * descriptor closed; the last release closes it. So an operation in flight acts on the object it started with,
 * never on a new object that got the same number, and every use after close fails with the same
 * {@link IllegalStateException}.
 *
 * <p>Descriptor 0 is never kept: many {@code bpf_attr} members read 0 as "no descriptor", so a descriptor numbered
 * 0 (possible when the process closed its standard input) is moved to a higher number when adopted.
 */
public final class Fd implements AutoCloseable {
    // state = the number of calls in flight, plus CLOSING once close() has been called.
    private static final int CLOSING = 1 << 30;
    private static final int IN_FLIGHT = CLOSING - 1;

    private final int raw;
    private final AtomicInteger state = new AtomicInteger();
    private final String description;

    private Fd(int raw, String description) {
        this.raw = raw;
        this.description = description;
    }

    /**
     * Takes ownership of a descriptor the kernel just returned.
     *
     * @param raw         the descriptor, at least 0
     * @param description what it refers to, for messages, e.g. {@code map 'counts'}
     */
    public static Fd adopt(int raw, String description) {
        if (raw < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + raw + " (" + description + ")");
        }
        if (raw == 0) {
            long moved = Libc.dupCloexec(0, 1);
            Libc.close(0);
            if (moved < 0) {
                throw KernelErrors.forErrno("fcntl(F_DUPFD_CLOEXEC)", (int) -moved, description);
            }
            raw = (int) moved;
        }
        return new Fd(raw, description);
    }

    /**
     * A new, owned, close-on-exec descriptor for an open descriptor this process does not own (e.g. the socket of a
     * Java channel), so it stays valid whatever the owner of {@code raw} does meanwhile.
     *
     * @throws KernelException ({@code EBADF}) when {@code raw} is not open
     */
    public static Fd duplicate(int raw, String description) {
        long copy = Libc.dupCloexec(raw, 1);
        if (copy < 0) {
            throw KernelErrors.forErrno("fcntl(F_DUPFD_CLOEXEC)", (int) -copy, description);
        }
        return new Fd((int) copy, description);
    }

    /**
     * Opens a file or directory read-only and close-on-exec: a cgroup directory to attach to, a network namespace
     * ({@code /proc/self/ns/net}), a bpffs root for a token.
     *
     * @throws KernelException naming the path, e.g. {@code NotFoundException} when it does not exist
     */
    public static Fd open(Path path) {
        long fd = Libc.openReadOnly(path.toString());
        if (fd < 0) {
            throw KernelErrors.forErrno("open", (int) -fd, path.toString());
        }
        return adopt((int) fd, path.toString());
    }

    /**
     * Marks the descriptor in use and returns its number; it stays open (and its number unused by anything else)
     * until the matching {@link #release()}, even when another thread closes it meanwhile.
     *
     * @throws IllegalStateException when it has been closed
     */
    public int acquire() {
        for (;;) {
            int current = state.get();
            if ((current & CLOSING) != 0) {
                throw closed();
            }
            if ((current & IN_FLIGHT) == IN_FLIGHT) {
                throw new IllegalStateException(description + ": too many calls in flight");
            }
            if (state.compareAndSet(current, current + 1)) {
                return raw;
            }
        }
    }

    /** Ends a use begun by {@link #acquire()}; closes the descriptor when it was closed meanwhile. */
    public void release() {
        int now = state.decrementAndGet();
        if ((now & IN_FLIGHT) == IN_FLIGHT) {
            throw new IllegalStateException(description + ": release() without acquire()");
        }
        if (now == CLOSING) {
            closeNow();
        }
    }

    /** {@link #acquire()} as a resource: {@code try (Fd.Held held = fd.hold()) { call(held.raw()); }}. */
    public Held hold() {
        return new Held(this, acquire());
    }

    /**
     * The descriptor number without holding it: only for code that owns the descriptor and knows no other thread
     * can close it meanwhile (an object still being loaded), or to hand to native code outside this runtime.
     *
     * @throws IllegalStateException when it has been closed
     */
    public int raw() {
        if (isClosed()) {
            throw closed();
        }
        return raw;
    }

    /** What the descriptor refers to, e.g. {@code map 'counts'}. */
    public String description() {
        return description;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return (state.get() & CLOSING) != 0;
    }

    /**
     * A second descriptor for the same kernel object, owned separately (close-on-exec).
     *
     * @throws KernelException when the process is out of descriptors
     */
    public Fd dup() {
        long copy;
        try (Held held = hold()) {
            copy = Libc.dupCloexec(held.raw(), 1);
        }
        if (copy < 0) {
            throw KernelErrors.forErrno("fcntl(F_DUPFD_CLOEXEC)", (int) -copy, description);
        }
        return new Fd((int) copy, description);
    }

    /**
     * One {@code read(2)} of at most {@code count} bytes into native memory at {@code address}, holding the
     * descriptor meanwhile and repeated when a signal interrupts it ({@code EINTR}).
     *
     * @return the bytes read (0 at end of file), or the negated errno of the failure: callers differ in which errnos
     *     are answers ({@code EAGAIN} of a non-blocking file) and which are errors
     * @throws IllegalStateException when the descriptor is closed
     */
    public long read(long address, int count) {
        try (Held held = hold()) {
            while (true) {
                long n = Libc.read(held.raw(), address, count);
                if (n != -Errno.EINTR.number()) {
                    return n;
                }
            }
        }
    }

    /**
     * Reads {@code count} 64-bit words, host byte order, with one {@code read(2)}: what a perf event's descriptor
     * gives for its {@code read_format} (the counter's value, then the fields the format asks for).
     *
     * @throws KernelException       when the read fails
     * @throws IllegalStateException when it returns fewer bytes, or the descriptor is closed
     */
    public long[] readWords(int count) {
        try (NativeBuffer buffer = new NativeBuffer((long) count * Long.BYTES)) {
            long n = read(buffer.address(), count * Long.BYTES);
            if (n < 0) {
                throw KernelErrors.forErrno("read", (int) -n, description);
            }
            if (n != (long) count * Long.BYTES) {
                throw new IllegalStateException("read of " + description + " returned " + n + " bytes, not "
                        + count * Long.BYTES);
            }
            long[] words = new long[count];
            for (int i = 0; i < count; i++) {
                words[i] = buffer.getLong(i * Long.BYTES);
            }
            return words;
        }
    }

    /**
     * Closes the descriptor, at once when no call is in flight, else when the last one releases it; later calls do
     * nothing.
     */
    @Override
    public void close() {
        for (;;) {
            int current = state.get();
            if ((current & CLOSING) != 0) {
                return;
            }
            if (state.compareAndSet(current, current | CLOSING)) {
                if (current == 0) {
                    closeNow();
                }
                return;
            }
        }
    }

    private void closeNow() {
        // close(2) releases the descriptor even when it reports an error (EINTR, EIO): never retry.
        Libc.close(raw);
    }

    private IllegalStateException closed() {
        return new IllegalStateException(description + " is closed");
    }

    @Override
    public String toString() {
        return isClosed() ? "closed fd (" + description + ")" : "fd " + raw + " (" + description + ")";
    }

    /** A use of a descriptor begun by {@link #hold()}; closing it releases the descriptor. */
    public static final class Held implements AutoCloseable {
        private final Fd fd;
        private final int raw;
        private boolean released;

        private Held(Fd fd, int raw) {
            this.fd = fd;
            this.raw = raw;
        }

        /** The descriptor number, valid until this is closed. */
        public int raw() {
            return raw;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                fd.release();
            }
        }
    }
}

package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.KernelException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns one kernel file descriptor: a map, program, link, BTF object, perf event or pinned-object handle. Closing is
 * idempotent and thread-safe: the descriptor is closed exactly once, by whichever thread gets there first.
 *
 * <p>Descriptor 0 is never kept: many {@code bpf_attr} members read 0 as "no descriptor", so a descriptor numbered
 * 0 (possible when the process closed its standard input) is moved to a higher number when adopted.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Fd implements AutoCloseable {
    private static final int CLOSED = -1;

    private final AtomicInteger raw;
    private final String description;

    private Fd(int raw, String description) {
        this.raw = new AtomicInteger(raw);
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
     * The descriptor number, for a syscall argument.
     *
     * @throws IllegalStateException when it has been closed
     */
    public int raw() {
        int fd = raw.get();
        if (fd == CLOSED) {
            throw new IllegalStateException(description + " is closed");
        }
        return fd;
    }

    /** What the descriptor refers to, e.g. {@code map 'counts'}. */
    public String description() {
        return description;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return raw.get() == CLOSED;
    }

    /**
     * A second descriptor for the same kernel object, owned separately (close-on-exec).
     *
     * @throws KernelException when the process is out of descriptors
     */
    public Fd dup() {
        long copy = Libc.dupCloexec(raw(), 1);
        if (copy < 0) {
            throw KernelErrors.forErrno("fcntl(F_DUPFD_CLOEXEC)", (int) -copy, description);
        }
        return new Fd((int) copy, description);
    }

    /** Closes the descriptor; later calls do nothing. */
    @Override
    public void close() {
        int fd = raw.getAndSet(CLOSED);
        if (fd != CLOSED) {
            // close(2) releases the descriptor even when it reports an error (EINTR, EIO): never retry.
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        int fd = raw.get();
        return fd == CLOSED ? "closed fd (" + description + ")" : "fd " + fd + " (" + description + ")";
    }
}

package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import java.nio.file.Path;

/**
 * A pipe-like file (tracefs' {@code trace_pipe}, a FIFO) opened with {@code O_NONBLOCK}: a read returns what is
 * there now instead of waiting, and waiting for more, with {@code poll(2)}, has a timeout. So no thread ever blocks
 * on it for longer than it asked to.
 *
 * <p>Methods are synchronized, so {@link #close()} cannot free the buffer a read in another thread is using; it
 * waits for that read (or wait) to return.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class NonBlockingReader implements AutoCloseable {
    // A trace_pipe read returns at most one page of formatted lines.
    private static final int CHUNK = 8192;
    // struct pollfd { int fd; short events; short revents; }
    private static final int POLLFD_SIZE = 8;
    private static final int POLLFD_EVENTS = 4;

    private final Path path;
    private final Fd fd;
    private final NativeBuffer chunk = new NativeBuffer(CHUNK);
    private final NativeBuffer pollfd = new NativeBuffer(POLLFD_SIZE);

    private NonBlockingReader(Path path, Fd fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens {@code path} read-only, non-blocking and close-on-exec.
     *
     * @throws KernelException naming the path, e.g. {@code NotFoundException} when it does not exist
     */
    public static NonBlockingReader open(Path path) {
        long raw = Libc.openReadOnlyNonBlocking(path.toString());
        if (raw < 0) {
            throw KernelErrors.forErrno("open", (int) -raw, path.toString());
        }
        return new NonBlockingReader(path, Fd.adopt((int) raw, path.toString()));
    }

    /** The file read. */
    public Path path() {
        return path;
    }

    /**
     * Reads what is there now, at most {@code into.length} bytes, without waiting.
     *
     * @return the number of bytes read into the start of {@code into}; 0 when there is nothing to read now, or
     *     nothing ever again (end of file, e.g. a FIFO without writers)
     * @throws KernelException naming the file when the read fails for another reason than "nothing yet"
     * @throws IllegalStateException when closed
     */
    public synchronized int read(byte[] into) {
        long n = fd.read(chunk.address(), Math.min(into.length, CHUNK));
        if (n >= 0) {
            chunk.copyTo(0, into, (int) n);
            return (int) n;
        }
        int errno = (int) -n;
        if (Errno.EAGAIN.is(errno)) {
            return 0;
        }
        throw KernelErrors.forErrno("read", errno, path.toString());
    }

    /**
     * Waits at most {@code timeoutMillis} for something to read.
     *
     * @return whether {@code poll(2)} reported the file readable, hung up or in error (a read tells which); false
     *     when the time ran out or a signal interrupted the wait
     * @throws IllegalStateException when closed
     */
    public synchronized boolean awaitReadable(int timeoutMillis) {
        long ready;
        try (Fd.Held held = fd.hold()) {
            pollfd.putInt(0, held.raw());
            pollfd.putShort(POLLFD_EVENTS, Libc.POLLIN);
            ready = Libc.poll(pollfd.address(), 1, Math.max(0, timeoutMillis));
        }
        if (ready < 0 && !Errno.EINTR.is((int) -ready)) {
            throw KernelErrors.forErrno("poll", (int) -ready, path.toString());
        }
        return ready > 0;
    }

    /** Closes the file; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (!fd.isClosed()) {
            fd.close();
            chunk.close();
            pollfd.close();
        }
    }

    @Override
    public String toString() {
        return "non-blocking reader of " + path + (fd.isClosed() ? " (closed)" : "");
    }
}

package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.Errno;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An {@link InputStream} that owns a descriptor read with {@code read(2)} until it returns 0: a BPF iterator's
 * ({@code BPF_ITER_CREATE}), whose reads run the program. Reads are bounded by the kernel (an iterator's pass ends),
 * so {@link #close()} from another thread waits for a read in progress rather than freeing its buffer under it.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class DescriptorInputStream extends InputStream {
    // seq_file hands out at most a page per read; two let a read take a whole page even when it starts mid-page.
    private static final int CHUNK = 8192;

    private final Fd fd;
    private final NativeBuffer chunk = new NativeBuffer(CHUNK);
    private boolean ended;

    /** Takes ownership of {@code fd}: closing the stream closes it. */
    public DescriptorInputStream(Fd fd) {
        this.fd = Objects.requireNonNull(fd, "fd");
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /**
     * @throws IOException naming the descriptor and the errno when the kernel fails the read (the iterator's
     *     program may have asked for it), or when the stream is closed
     */
    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (fd.isClosed()) {
            throw new IOException(fd.description() + " is closed");
        }
        if (length == 0) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        long n = fd.read(chunk.address(), Math.min(length, CHUNK));
        if (n > 0) {
            chunk.copyTo(0, into, offset, (int) n);
            return (int) n;
        }
        if (n == 0) {
            ended = true;
            return -1;
        }
        int errno = (int) -n;
        throw new IOException("reading " + fd.description() + " failed: " + Errno.describe(errno),
                KernelErrors.forErrno("read", errno, fd.description()));
    }

    /** Closes the descriptor, after a read in progress; later calls do nothing. */
    @Override
    public synchronized void close() {
        if (!fd.isClosed()) {
            fd.close();
            chunk.close();
        }
    }

    @Override
    public String toString() {
        return "stream of " + fd.description() + (fd.isClosed() ? " (closed)" : "");
    }
}

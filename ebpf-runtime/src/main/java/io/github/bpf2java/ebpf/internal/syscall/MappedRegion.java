package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.Pointer;
import io.github.bpf2java.ebpf.error.KernelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shared memory mapping of a kernel object ({@code mmap(2)}): a perf event's ring, a BPF ring buffer, an
 * {@code BPF_F_MMAPABLE} array. Unmapped exactly once on {@link #close()}; the mapping must not be used after.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class MappedRegion implements AutoCloseable {
    private final long address;
    private final long length;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    static {
        // Before any buffer of this class is read in a hot loop: see BufferAccessClasses.
        BufferAccessClasses.load();
    }

    private MappedRegion(long address, long length, String description) {
        this.address = address;
        this.length = length;
        this.description = description;
    }

    /**
     * Maps {@code length} bytes of {@code fd} from {@code offset}, shared.
     *
     * @param writable whether the mapping is also writable (ring buffer consumer positions, perf ring tails)
     * @throws KernelException naming the object when the kernel refuses
     */
    public static MappedRegion map(Fd fd, long length, boolean writable, long offset) {
        if (length <= 0) {
            throw new IllegalArgumentException("mapping of " + fd.description() + ": length must be positive");
        }
        int prot = Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0);
        long address;
        try (Fd.Held held = fd.hold()) {
            address = Libc.mmap(length, prot, Libc.MAP_SHARED, held.raw(), offset);
        }
        if (address < 0) {
            throw KernelErrors.forErrno("mmap", (int) -address, fd.description() + " (" + length + " bytes at offset "
                    + offset + (writable ? ", writable" : ", read-only") + ")");
        }
        return new MappedRegion(address, length, "mapping of " + fd.description());
    }

    /** The address of the first byte. */
    public long address() {
        return address;
    }

    /** The mapping's length in bytes. */
    public long length() {
        return length;
    }

    /**
     * A direct buffer over {@code size} bytes from {@code offset}, in the host's byte order. Valid until
     * {@link #close()}.
     */
    public ByteBuffer buffer(long offset, int size) {
        if (closed.get()) {
            throw new IllegalStateException(description + " is closed");
        }
        if (offset < 0 || size < 0 || offset + size > length) {
            throw new IndexOutOfBoundsException(description + ": " + size + " bytes at " + offset
                    + " exceed its " + length + " bytes");
        }
        return new Pointer(address).getByteBuffer(offset, size).order(ByteOrder.nativeOrder());
    }

    /** Unmaps; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Libc.munmap(address, length);
        }
    }

    @Override
    public String toString() {
        return description + " (" + length + " bytes" + (closed.get() ? ", closed)" : ")");
    }
}

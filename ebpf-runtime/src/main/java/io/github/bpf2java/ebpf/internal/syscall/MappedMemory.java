package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.Pointer;
import io.github.bpf2java.ebpf.error.KernelException;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A kernel object's memory mapped shared ({@code mmap(2)}) and handed out as direct {@link ByteBuffer}s that can
 * never fault, even when another thread closes the mapping while a buffer is in use: a {@code BPF_F_MMAPABLE} array
 * such as a global data section.
 *
 * <p>A read through such a buffer is a plain memory load, with nothing to hold or release around it, so
 * {@link #close()} cannot wait for readers. Instead it swaps the kernel's pages for private anonymous ones in one
 * step ({@code mmap} with {@code MAP_FIXED} over the same range): the kernel object is let go at once, and a thread
 * still reading or writing through an old buffer sees zeros and writes into memory nobody reads, instead of crashing
 * the JVM on an unmapped page. The address range itself is unmapped once the last buffer over it is unreachable
 * (a {@link Cleaner} on the root buffer, which every view derived from it keeps reachable), as the JDK does for
 * {@code MappedByteBuffer}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class MappedMemory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MappedMemory.class.getName());
    private static final Cleaner UNMAPPER = Cleaner.create();

    private final long address;
    private final int length;
    private final boolean writable;
    private final String description;
    private final ByteBuffer root;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MappedMemory(long address, int length, boolean writable, String description) {
        this.address = address;
        this.length = length;
        this.writable = writable;
        this.description = description;
        this.root = new Pointer(address).getByteBuffer(0, length).order(ByteOrder.nativeOrder());
        UNMAPPER.register(root, new Unmap(address, length));
    }

    /**
     * Maps the first {@code length} bytes of {@code fd}, shared.
     *
     * @param writable whether buffers may write; a frozen or {@code BPF_F_RDONLY_PROG} map only maps read-only
     * @throws KernelException naming the object when the kernel refuses (e.g. {@code EPERM} for a writable mapping
     *     of a frozen map, {@code ENOTSUPP} for a map holding a spin lock or timer, {@code EINVAL} for a map created
     *     without {@code BPF_F_MMAPABLE})
     */
    public static MappedMemory map(Fd fd, int length, boolean writable) {
        if (length <= 0) {
            throw new IllegalArgumentException("mapping of " + fd.description() + ": length must be positive");
        }
        int prot = Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0);
        long address;
        try (Fd.Held held = fd.hold()) {
            address = Libc.mmap(length, prot, Libc.MAP_SHARED, held.raw(), 0);
        }
        if (address < 0) {
            throw KernelErrors.forErrno("mmap", (int) -address, fd.description() + " (" + length + " bytes, "
                    + (writable ? "writable" : "read-only") + ")");
        }
        try {
            return new MappedMemory(address, length, writable, "mapping of " + fd.description());
        } catch (RuntimeException | Error e) {
            Libc.munmap(address, length);
            throw e;
        }
    }

    /**
     * A new view of the whole mapping in the host's byte order: read-only unless mapped writable. Valid for as long
     * as it is referenced; after {@link #close()} it no longer shows the kernel object.
     */
    public ByteBuffer buffer() {
        ByteBuffer view = writable ? root.duplicate() : root.asReadOnlyBuffer();
        return view.order(ByteOrder.nativeOrder());
    }

    /** The mapped length in bytes. */
    public int length() {
        return length;
    }

    /** Whether buffers may write. */
    public boolean writable() {
        return writable;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.get();
    }

    /** Lets go of the kernel object; buffers handed out stay safe to touch (see the class comment). */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long replaced = Libc.mmapFixed(address, length, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        if (replaced < 0) {
            // Out of memory for page tables, most likely: the kernel object then stays mapped, and alive, until the
            // buffers are collected and the cleaner unmaps it.
            LOG.log(Level.WARNING, () -> description + ": could not release the mapping at once (errno "
                    + -replaced + "); it is released when its buffers are garbage collected");
        }
    }

    @Override
    public String toString() {
        return description + " (" + length + " bytes" + (writable ? "" : ", read-only")
                + (closed.get() ? ", closed)" : ")");
    }

    /** Unmaps the range: run by the cleaner once no buffer over it is reachable. */
    private static final class Unmap implements Runnable {
        private final long address;
        private final int length;

        Unmap(long address, int length) {
            this.address = address;
            this.length = length;
        }

        @Override
        public void run() {
            Libc.munmap(address, length);
        }
    }
}

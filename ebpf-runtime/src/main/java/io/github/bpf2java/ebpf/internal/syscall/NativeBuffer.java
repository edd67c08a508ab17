package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A zeroed block of native memory the kernel reads or writes: a {@code bpf_attr}, a key, a log buffer. Reads and
 * writes go through a direct {@link ByteBuffer} view in the host's byte order, which the JIT turns into plain
 * loads and stores. A zero-length buffer has address 0, which the kernel reads as "no buffer".
 */
public final class NativeBuffer implements AutoCloseable {
    private final Memory memory;
    private final ByteBuffer view;
    private final long address;
    private final int size;

    static {
        // Before any buffer of this class is read in a hot loop: see BufferAccessClasses.
        BufferAccessClasses.load();
    }

    public NativeBuffer(long size) {
        if (size < 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("native buffer size out of range: " + size);
        }
        NativeAccess.require();
        this.size = (int) size;
        if (size == 0) {
            memory = null;
            view = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
            address = 0;
        } else {
            memory = new Memory(size);
            memory.clear();
            view = memory.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
            address = Pointer.nativeValue(memory);
        }
    }

    /** A buffer holding a copy of {@code bytes}. */
    public static NativeBuffer of(byte[] bytes) {
        NativeBuffer b = new NativeBuffer(bytes.length);
        b.view.put(0, bytes);
        return b;
    }

    /** A buffer holding {@code s} as a NUL-terminated UTF-8 C string. */
    public static NativeBuffer cString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        NativeBuffer b = new NativeBuffer(utf8.length + 1L);
        b.view.put(0, utf8);
        return b;
    }

    /**
     * The native address of a direct buffer's first byte (not its position).
     *
     * @throws IllegalArgumentException for a heap buffer
     */
    public static long addressOf(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        return Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(direct));
    }

    /**
     * The {@code int} at native address {@code address}, in the host's byte order: for error messages that quote
     * what the kernel was given (a map key). The caller guarantees 4 readable bytes there.
     */
    public static int intAt(long address) {
        return new Pointer(address).getInt(0);
    }

    public long address() {
        return address;
    }

    public int size() {
        return size;
    }

    public NativeBuffer putInt(int offset, int value) {
        view.putInt(offset, value);
        return this;
    }

    public NativeBuffer putShort(int offset, short value) {
        view.putShort(offset, value);
        return this;
    }

    public short getShort(int offset) {
        return view.getShort(offset);
    }

    public NativeBuffer putLong(int offset, long value) {
        view.putLong(offset, value);
        return this;
    }

    /** Stores a pointer to {@code buffer} (0 for none) as the 64-bit member at {@code offset}. */
    public NativeBuffer putPointer(int offset, NativeBuffer buffer) {
        view.putLong(offset, buffer == null ? 0 : buffer.address);
        return this;
    }

    public NativeBuffer putBytes(int offset, byte[] bytes) {
        view.put(offset, bytes);
        return this;
    }

    /** Copies {@code dst.length} bytes from {@code offset} into {@code dst}. */
    public void copyTo(int offset, byte[] dst) {
        view.get(offset, dst);
    }

    /** Copies {@code length} bytes from {@code offset} into the start of {@code dst}. */
    public void copyTo(int offset, byte[] dst, int length) {
        view.get(offset, dst, 0, length);
    }

    /** Copies {@code length} bytes from {@code offset} into {@code dst} from {@code dstOffset} on. */
    public void copyTo(int offset, byte[] dst, int dstOffset, int length) {
        view.get(offset, dst, dstOffset, length);
    }

    public int getInt(int offset) {
        return view.getInt(offset);
    }

    public long getLong(int offset) {
        return view.getLong(offset);
    }

    public byte[] getBytes(int offset, int length) {
        byte[] out = new byte[length];
        view.get(offset, out);
        return out;
    }

    /** The bytes from {@code offset} up to the first NUL (or {@code max} bytes), as UTF-8. */
    public String getCString(int offset, int max) {
        int end = offset;
        int limit = Math.min(size, offset + max);
        while (end < limit && view.get(end) != 0) {
            end++;
        }
        return new String(getBytes(offset, end - offset), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (memory != null) {
            memory.close();
        }
    }
}

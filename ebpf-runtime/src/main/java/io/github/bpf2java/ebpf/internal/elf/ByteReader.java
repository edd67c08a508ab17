package io.github.bpf2java.ebpf.internal.elf;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.nio.ByteOrder;

/**
 * Bounds-checked reads of fixed-width integers from a byte array in one byte order. Every read that would leave the
 * array throws an {@link ObjectFormatException} naming {@code what} was being read, so a truncated or lying file
 * never surfaces as an {@code ArrayIndexOutOfBoundsException}.
 */
public final class ByteReader {
    private final byte[] data;
    private final boolean little;
    private final String context;

    /**
     * @param data    the bytes to read (not copied)
     * @param order   their byte order
     * @param context names the data in error messages, e.g. {@code "counter.o: ELF"}
     */
    public ByteReader(byte[] data, ByteOrder order, String context) {
        this.data = data;
        this.little = order == ByteOrder.LITTLE_ENDIAN;
        this.context = context;
    }

    /** The number of bytes. */
    public int length() {
        return data.length;
    }

    /** The byte order of multi-byte reads. */
    public ByteOrder order() {
        return little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** Throws unless {@code [offset, offset + size)} lies inside the data; overflow-safe. */
    public void check(long offset, long size, String what) {
        if (!fits(offset, size, data.length)) {
            throw new ObjectFormatException(context + ": " + what + " at offset " + offset + " (" + size
                    + " bytes) lies outside the " + data.length + " bytes available");
        }
    }

    /** Whether {@code [offset, offset + size)} lies inside {@code [0, limit)}, without overflowing. */
    public static boolean fits(long offset, long size, long limit) {
        return offset >= 0 && size >= 0 && offset <= limit && size <= limit - offset;
    }

    public int u8(long offset, String what) {
        check(offset, 1, what);
        return data[(int) offset] & 0xff;
    }

    public int u16(long offset, String what) {
        check(offset, 2, what);
        int o = (int) offset;
        int b0 = data[o] & 0xff;
        int b1 = data[o + 1] & 0xff;
        return little ? b0 | b1 << 8 : b1 | b0 << 8;
    }

    /** A 32-bit value as a Java {@code int} (callers treat it as unsigned where the format says so). */
    public int s32(long offset, String what) {
        check(offset, 4, what);
        return rawInt((int) offset);
    }

    /** A 32-bit unsigned value. */
    public long u32(long offset, String what) {
        return Integer.toUnsignedLong(s32(offset, what));
    }

    /** A 64-bit value; callers needing it unsigned check the sign. */
    public long s64(long offset, String what) {
        check(offset, 8, what);
        int o = (int) offset;
        long lo = Integer.toUnsignedLong(rawInt(o));
        long hi = Integer.toUnsignedLong(rawInt(o + 4));
        return little ? lo | hi << 32 : hi | lo << 32;
    }

    /** A 32-bit read of a range already checked. */
    private int rawInt(int o) {
        int b0 = data[o] & 0xff;
        int b1 = data[o + 1] & 0xff;
        int b2 = data[o + 2] & 0xff;
        int b3 = data[o + 3] & 0xff;
        return little ? b0 | b1 << 8 | b2 << 16 | b3 << 24 : b3 | b2 << 8 | b1 << 16 | b0 << 24;
    }
}

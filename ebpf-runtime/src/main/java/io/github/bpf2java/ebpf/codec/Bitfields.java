package io.github.bpf2java.ebpf.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes C bit fields where BTF places them: {@code bitOffset} bits from the start of the enclosing
 * struct, {@code bits} wide. How bits are numbered follows the buffer's byte order, as the compiler's did for the
 * object: in a little-endian object bit 0 is the least significant bit of the struct's first byte and a field's
 * low bits come first; in a big-endian one bit 0 is the most significant bit of the first byte and a field's high
 * bits come first. A field may straddle bytes (up to 9 of them for a 64-bit field at an odd bit); only the bytes
 * it covers are read, and only its own bits are changed on write.
 */
public final class Bitfields {
    private Bitfields() {}

    /**
     * The field's value, zero- or sign-extended to 64 bits.
     *
     * @param structOffset where the enclosing struct starts in {@code buffer}
     * @param bitOffset    the member's bit offset within the struct, as BTF gives it
     * @param bits         the field's width, 1 to 64
     * @param signed       whether to sign-extend (the C type is signed)
     * @throws IndexOutOfBoundsException when the field lies beyond the buffer's limit
     */
    public static long get(ByteBuffer buffer, int structOffset, int bitOffset, int bits, boolean signed) {
        int first = first(buffer, structOffset, bitOffset, bits);
        int bytes = bytes(bitOffset, bits);
        boolean big = buffer.order() == ByteOrder.BIG_ENDIAN;
        int shift = shift(big, bitOffset, bits);
        long raw = 0;
        int low = Math.min(bytes, 8);
        for (int j = 0; j < low; j++) {
            raw |= (buffer.get(index(big, first, bytes, j)) & 0xffL) << (8 * j);
        }
        long value = raw >>> shift;
        if (bytes == 9) {
            value |= (buffer.get(index(big, first, bytes, 8)) & 0xffL) << (64 - shift);
        }
        if (bits == 64) {
            return value;
        }
        value &= (1L << bits) - 1;
        return signed ? (value << (64 - bits)) >> (64 - bits) : value;
    }

    /**
     * Writes {@code value} into the field, leaving every other bit as it was. The value must fit the field: as
     * this cannot tell a signed field from an unsigned one, it takes {@code -2^(bits-1)} to {@code 2^bits - 1}, what
     * either kind holds (a negative value has the same bits as the unsigned number C reads, as for any unsigned C
     * type carried in a signed Java type). Like strings and arrays, a value that does not fit is refused, never cut
     * off. {@link #put(ByteBuffer, int, int, int, boolean, long)} checks the exact range of a signed or unsigned
     * field.
     *
     * @throws IllegalArgumentException  when {@code value} does not fit {@code bits} bits, naming the value, the width
     *                                   and the ranges it takes
     * @throws IndexOutOfBoundsException when the field lies beyond the buffer's limit
     */
    public static void put(ByteBuffer buffer, int structOffset, int bitOffset, int bits, long value) {
        if (bits >= 1 && bits < 64 && (value < -(1L << (bits - 1)) || value > (1L << bits) - 1)) {
            throw new IllegalArgumentException("value " + value + " does not fit the " + bits + "-bit field at bit "
                    + bitOffset + ": it holds " + unsignedRange(bits) + " (unsigned) or " + signedRange(bits)
                    + " (signed); bit fields are never cut off");
        }
        write(buffer, structOffset, bitOffset, bits, value);
    }

    /**
     * Writes {@code value} into a field whose C type is {@code signed} or not, leaving every other bit as it was.
     * A signed field takes {@code -2^(bits-1)} to {@code 2^(bits-1) - 1}; an unsigned one {@code 0} to
     * {@code 2^bits - 1}, and, when {@code bits} is a Java integer width (8, 16, 32, 64), also the negative values
     * of that width, whose bits are the unsigned number (a {@code __u32 x : 32} held in an {@code int}, as
     * generated records carry unsigned C types).
     *
     * @throws IllegalArgumentException  when {@code value} does not fit, naming the value, the width and the range
     * @throws IndexOutOfBoundsException when the field lies beyond the buffer's limit
     */
    public static void put(ByteBuffer buffer, int structOffset, int bitOffset, int bits, boolean signed,
            long value) {
        if (bits >= 1 && bits < 64) {
            long min = signed || bits == 8 || bits == 16 || bits == 32 ? -(1L << (bits - 1)) : 0;
            long max = signed ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
            if (value < min || value > max) {
                throw new IllegalArgumentException("value " + value + " does not fit the " + bits + "-bit "
                        + (signed ? "signed" : "unsigned") + " field at bit " + bitOffset + ": it holds "
                        + (signed ? signedRange(bits) : unsignedRange(bits) + (min < 0 ? " (or the same bits as "
                                + signedRange(bits) + ")" : "")) + "; bit fields are never cut off");
            }
        }
        write(buffer, structOffset, bitOffset, bits, value);
    }

    private static String unsignedRange(int bits) {
        return "0.." + ((1L << bits) - 1);
    }

    private static String signedRange(int bits) {
        return -(1L << (bits - 1)) + ".." + ((1L << (bits - 1)) - 1);
    }

    private static void write(ByteBuffer buffer, int structOffset, int bitOffset, int bits, long value) {
        int first = first(buffer, structOffset, bitOffset, bits);
        int bytes = bytes(bitOffset, bits);
        boolean big = buffer.order() == ByteOrder.BIG_ENDIAN;
        int shift = shift(big, bitOffset, bits);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        for (int j = 0; j < bytes; j++) {
            int byteMask = shiftedByte(mask, shift, j);
            int byteValue = shiftedByte(value, shift, j);
            int index = index(big, first, bytes, j);
            buffer.put(index, (byte) ((buffer.get(index) & ~byteMask) | (byteValue & byteMask)));
        }
    }

    // The bytes a field covers are seen as one little-endian number whose bit `shift` is the field's lowest bit:
    // byte j of that number is buffer byte index(j). In a big-endian buffer the bytes run backwards, and `shift`
    // counts the bits after the field.

    private static int first(ByteBuffer buffer, int structOffset, int bitOffset, int bits) {
        if (bits < 1 || bits > 64) {
            throw new IllegalArgumentException("a bit field is 1 to 64 bits wide, not " + bits);
        }
        if (bitOffset < 0) {
            throw new IllegalArgumentException("negative bit offset " + bitOffset);
        }
        int first = structOffset + (bitOffset >>> 3);
        if (structOffset < 0 || first + bytes(bitOffset, bits) > buffer.limit()) {
            throw new IndexOutOfBoundsException("bit field of " + bits + " bits at bit " + bitOffset
                    + " of a struct at " + structOffset + " lies beyond the buffer's " + buffer.limit() + " bytes");
        }
        return first;
    }

    private static int bytes(int bitOffset, int bits) {
        return ((bitOffset & 7) + bits + 7) >>> 3;
    }

    private static int shift(boolean big, int bitOffset, int bits) {
        int lead = bitOffset & 7;
        return big ? bytes(bitOffset, bits) * 8 - lead - bits : lead;
    }

    private static int index(boolean big, int first, int bytes, int j) {
        return big ? first + bytes - 1 - j : first + j;
    }

    /** Byte {@code j} (0 = least significant) of {@code value << shift}, as if the shift had no width limit. */
    private static int shiftedByte(long value, int shift, int j) {
        int at = 8 * j - shift;
        return (int) ((at >= 0 ? value >>> at : value << -at) & 0xff);
    }
}

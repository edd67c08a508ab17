package io.github.bpf2java.ebpf.codec;

import java.nio.ByteBuffer;

/**
 * Converts between a Java value and the bytes of its C type, as a map, a ring buffer record or a global variable
 * holds them. Generated records carry one ({@code CODEC}) built from the object's BTF; {@link Codecs} has the C
 * scalars, strings, arrays and enums. Implementations are stateless and thread-safe, and allocate nothing but the
 * decoded value.
 *
 * <p>Values are read and written in the buffer's byte order. Every buffer the runtime hands out is in the host's
 * order ({@link java.nio.ByteOrder#nativeOrder()}), which is the order of the object it loaded; a buffer in the
 * other order reads the bytes of an object compiled for the other byte order (bit fields included).
 *
 * @param <T> the Java type
 */
public interface Codec<T> {

    /** {@code sizeof} the C type: how many bytes {@link #decode} reads and {@link #encode} writes. */
    int size();

    /**
     * Reads a value from {@code buffer} at the absolute {@code offset}; the buffer's position is not changed.
     *
     * @throws IndexOutOfBoundsException when fewer than {@link #size()} bytes follow {@code offset}
     */
    T decode(ByteBuffer buffer, int offset);

    /**
     * Writes {@code value} into {@code buffer} at the absolute {@code offset}, all {@link #size()} bytes (padding
     * zeroed); the buffer's position is not changed.
     *
     * @throws IndexOutOfBoundsException when fewer than {@link #size()} bytes follow {@code offset}
     * @throws IllegalArgumentException  when the value does not fit the C type (a string longer than its array, an
     *                                   array of the wrong length, ...)
     * @throws NullPointerException      when {@code value} (or a part of it) is {@code null}
     */
    void encode(T value, ByteBuffer buffer, int offset);
}

package io.github.bpf2java.ebpf.codec;

import java.nio.ByteBuffer;

/**
 * Converts between a Java value and the bytes of its C type, as a map, a ring buffer record or a global variable
 * holds them. Generated records carry one ({@code CODEC}) built from the object's BTF; {@code Codecs} has the C
 * scalars. Implementations are stateless and thread-safe, and allocate nothing but the decoded value.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {

    /** {@code sizeof} the C type: how many bytes {@link #decode} reads and {@link #encode} writes. */
    int size();

    /**
     * Reads a value from {@code buffer} at the absolute {@code offset}; the buffer's position is not changed.
     *
     * @param buffer in the host's byte order ({@link java.nio.ByteOrder#nativeOrder()}), as every buffer the runtime
     *     hands out is
     * @throws IndexOutOfBoundsException when fewer than {@link #size()} bytes follow {@code offset}
     */
    T decode(ByteBuffer buffer, int offset);

    /**
     * Writes {@code value} into {@code buffer} at the absolute {@code offset}; the buffer's position is not changed.
     *
     * @param buffer in the host's byte order
     * @throws IndexOutOfBoundsException when fewer than {@link #size()} bytes follow {@code offset}
     * @throws IllegalArgumentException  when the value does not fit the C type (a string longer than its array, ...)
     */
    void encode(T value, ByteBuffer buffer, int offset);
}

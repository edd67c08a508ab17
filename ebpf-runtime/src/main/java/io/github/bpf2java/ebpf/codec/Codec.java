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
     * The fewest bytes a record of this type may have when a program sends it through a ring buffer or perf event
     * array: {@link #size()}, except for a struct whose last member is an array, where it is that array's offset. C
     * programs often send such a struct cut after the elements they filled (execsnoop's
     * {@code offsetof(struct event, args) + args_size}); the readers decode a record of at least this many bytes as
     * if the missing bytes were zero, and refuse a shorter one. Generated records' codecs and
     * {@link Codecs#fromBtf} codecs know their last member; other codecs keep this default.
     */
    default int minimumSize() {
        return size();
    }

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

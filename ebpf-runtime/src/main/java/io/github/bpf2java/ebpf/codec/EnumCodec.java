package io.github.bpf2java.ebpf.codec;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads and writes a C enum as a Java enum. A value the C enum does not name (a newer kernel's, or garbage) decodes
 * to the {@code unrecognized} constant instead of failing; that constant cannot be encoded, as it has no C value.
 * Where the raw number matters, read the field as an integer: generated records keep the raw value and offer the
 * enum beside it.
 *
 * <p>Lookups are a binary search over the sorted C values: no boxing, no allocation.
 *
 * @param <E> the generated enum
 */
public final class EnumCodec<E extends Enum<E> & CEnum> implements Codec<E> {
    private final int size;
    private final boolean signed;
    private final E unrecognized;
    private final long[] values;
    private final E[] constants;
    private final String name;

    EnumCodec(int size, boolean signed, E[] all, E unrecognized) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("a C enum has 1, 2, 4 or 8 bytes, not " + size);
        }
        this.size = size;
        this.signed = signed;
        this.unrecognized = Objects.requireNonNull(unrecognized, "unrecognized");
        this.name = unrecognized.getDeclaringClass().getSimpleName();
        E[] known = Arrays.stream(all).filter(e -> e != unrecognized).toArray(n -> Arrays.copyOf(all, n));
        // Stable sort by value: for two names of one value the first declared wins, as C's order suggests.
        Integer[] order = new Integer[known.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(known[a].value(), known[b].value()));
        this.values = new long[known.length];
        this.constants = Arrays.copyOf(all, known.length);
        for (int i = 0; i < order.length; i++) {
            values[i] = known[order[i]].value();
            constants[i] = known[order[i]];
        }
    }

    /** The constant with C value {@code value}, or the unrecognized constant when the enum names none. */
    public E of(long value) {
        int index = Arrays.binarySearch(values, value);
        if (index < 0) {
            return unrecognized;
        }
        while (index > 0 && values[index - 1] == value) {
            index--;
        }
        return constants[index];
    }

    /** The constant decoded for values the C enum does not name. */
    public E unrecognized() {
        return unrecognized;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public E decode(ByteBuffer buffer, int offset) {
        return of(Codecs.readInteger(buffer, offset, size, signed));
    }

    @Override
    public void encode(E value, ByteBuffer buffer, int offset) {
        if (value == unrecognized) {
            throw new IllegalArgumentException(name + "." + value.name() + " stands for values the C enum does not"
                    + " name and has no C value of its own; write the raw number instead");
        }
        Codecs.writeInteger(buffer, offset, size, value.value());
    }

    @Override
    public String toString() {
        return "EnumCodec[" + name + ", " + size + (size == 1 ? " byte" : " bytes") + (signed ? "" : ", unsigned")
                + "]";
    }
}

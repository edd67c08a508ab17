package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.spec.MapType;
import java.util.Objects;

/**
 * A {@code BLOOM_FILTER} map with typed values, added and tested as {@code V}. The generated class hands these out
 * for bloom filters declared with a value type ({@code __type(value, __u32)}); build one yourself with {@link #of}.
 *
 * <pre>{@code
 * TypedBloomFilter<Integer> seen = bpf.seen();
 * seen.add(42);
 * boolean maybe = seen.mightContain(42);   // false: never added; true: probably added
 * }</pre>
 *
 * <p>Thread-safe: every call is one system call.
 *
 * @param <V> the value type
 */
public final class TypedBloomFilter<V> {
    private final BpfMap map;
    private final Codec<V> valueCodec;

    private TypedBloomFilter(BpfMap map, Codec<V> valueCodec) {
        this.map = map;
        this.valueCodec = valueCodec;
    }

    /**
     * A typed view of the bloom filter {@code map}.
     *
     * @throws IllegalArgumentException when {@code map} is not a bloom filter, or the codec's size is not its values'
     */
    public static <V> TypedBloomFilter<V> of(BpfMap map, Codec<V> value) {
        Objects.requireNonNull(value, "value");
        if (map.type() != MapType.BLOOM_FILTER) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a map of type " + map.type() + ", not a "
                    + "BLOOM_FILTER");
        }
        map.requireValueCodec(value);
        return new TypedBloomFilter<>(map, value);
    }

    /** The raw map: bytes in the host's byte order. */
    public BpfMap raw() {
        return map;
    }

    /** Adds {@code value}. */
    public void add(V value) {
        map.push(encode(value));
    }

    /**
     * Whether the filter may hold {@code value}: false means it was never added, true that it probably was (wrongly
     * "yes" at a rate set by the filter's size and hash count, never wrongly "no").
     */
    public boolean mightContain(V value) {
        return map.mightContain(encode(value));
    }

    private byte[] encode(V value) {
        Objects.requireNonNull(value, () -> "map '" + map.name() + "': the value is null");
        return Codecs.toBytes(valueCodec, value);
    }

    @Override
    public String toString() {
        return "BLOOM_FILTER '" + map.name() + "' of " + valueCodec;
    }
}

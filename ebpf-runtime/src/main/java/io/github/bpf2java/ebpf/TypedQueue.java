package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.spec.MapType;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code QUEUE} or {@code STACK} map with typed values: elements pushed and popped as {@code V}, encoded and decoded
 * with the value's {@link Codec}. The generated class hands these out for queues and stacks declared with a value
 * type ({@code __type(value, struct job)}); build one yourself with {@link #of}. The raw map stays reachable through
 * {@link #raw()}.
 *
 * <pre>{@code
 * TypedQueue<Job> jobs = bpf.jobs();        // BPF_MAP_TYPE_QUEUE, __type(value, struct job)
 * jobs.push(new Job(...));                  // the program takes it with bpf_map_pop_elem
 * Optional<Job> next = jobs.pop();          // the oldest (a queue) or the newest (a stack)
 * }</pre>
 *
 * <p>Thread-safe: every call is one system call, which the kernel serializes.
 *
 * @param <V> the element type
 */
public final class TypedQueue<V> {
    private final BpfMap map;
    private final Codec<V> valueCodec;

    private TypedQueue(BpfMap map, Codec<V> valueCodec) {
        this.map = map;
        this.valueCodec = valueCodec;
    }

    /**
     * A typed view of the queue or stack {@code map}.
     *
     * @throws IllegalArgumentException when {@code map} is not a queue or stack, or the codec's size is not its
     *     values'
     */
    public static <V> TypedQueue<V> of(BpfMap map, Codec<V> value) {
        Objects.requireNonNull(value, "value");
        if (map.type() != MapType.QUEUE && map.type() != MapType.STACK) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a map of type " + map.type()
                    + ", not a QUEUE or STACK" + (map.type() == MapType.BLOOM_FILTER ? "; use TypedBloomFilter" : ""));
        }
        map.requireValueCodec(value);
        return new TypedQueue<>(map, value);
    }

    /** The raw map: bytes in the host's byte order. */
    public BpfMap raw() {
        return map;
    }

    /**
     * Adds {@code value}: at the tail of a queue, on top of a stack.
     *
     * @throws io.github.bpf2java.ebpf.error.KernelException {@code E2BIG} when the map is full (see
     *     {@link #pushReplacingOldest})
     */
    public void push(V value) {
        map.push(encode(value));
    }

    /** Adds {@code value}, dropping the oldest element when the map is full ({@code BPF_EXIST}). */
    public void pushReplacingOldest(V value) {
        map.update(new byte[0], encode(value), BpfMap.UpdateFlag.EXIST);
    }

    /** Takes the next element (the oldest of a queue, the newest of a stack); empty when there is none. */
    public Optional<V> pop() {
        return map.pop().map(bytes -> Codecs.fromBytes(valueCodec, bytes));
    }

    /** The element {@link #pop()} would take, left in place; empty when there is none. */
    public Optional<V> peek() {
        return map.peek().map(bytes -> Codecs.fromBytes(valueCodec, bytes));
    }

    private byte[] encode(V value) {
        Objects.requireNonNull(value, () -> "map '" + map.name() + "': the value is null");
        return Codecs.toBytes(valueCodec, value);
    }

    @Override
    public String toString() {
        return map.type() + " '" + map.name() + "' of " + valueCodec;
    }
}

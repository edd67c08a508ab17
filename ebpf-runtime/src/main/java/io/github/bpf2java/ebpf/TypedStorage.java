package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import java.util.Objects;
import java.util.Optional;

/**
 * A local storage map ({@code TASK_STORAGE}, {@code CGRP_STORAGE}, {@code INODE_STORAGE}, {@code SK_STORAGE}) with
 * typed values, each entry reached through the object that owns it. The generated class hands these out for local
 * storage declared with a value type ({@code __type(value, struct task_stat)}); build one yourself with {@link #of}.
 *
 * <pre>{@code
 * TypedStorage<TaskStat> stats = bpf.taskStats();          // BPF_MAP_TYPE_TASK_STORAGE
 * try (StorageOwner task = StorageOwner.task(pid)) {
 *     Optional<TaskStat> stat = stats.get(task);            // what the programs stored for that process
 * }
 * }</pre>
 *
 * <p>Thread-safe: every call is one system call, holding the owner's descriptor for it.
 *
 * @param <V> the value type
 */
public final class TypedStorage<V> {
    private final BpfMap map;
    private final Codec<V> valueCodec;

    private TypedStorage(BpfMap map, Codec<V> valueCodec) {
        this.map = map;
        this.valueCodec = valueCodec;
    }

    /**
     * A typed view of the local storage map {@code map}.
     *
     * @throws IllegalArgumentException when {@code map} is not local storage, or the codec's size is not its values'
     */
    public static <V> TypedStorage<V> of(BpfMap map, Codec<V> value) {
        Objects.requireNonNull(value, "value");
        if (!map.type().isLocalStorage()) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a map of type " + map.type()
                    + ", not local storage (TASK_STORAGE, CGRP_STORAGE, INODE_STORAGE, SK_STORAGE)");
        }
        map.requireValueCodec(value);
        return new TypedStorage<>(map, value);
    }

    /** The raw map: bytes in the host's byte order. */
    public BpfMap raw() {
        return map;
    }

    /** The entry {@code owner} has, if any. */
    public Optional<V> get(StorageOwner owner) {
        Objects.requireNonNull(owner, () -> "map '" + map.name() + "': the owner is null");
        return map.lookup(owner).map(bytes -> Codecs.fromBytes(valueCodec, bytes));
    }

    /** Stores {@code value} as {@code owner}'s entry, creating or replacing it. */
    public void put(StorageOwner owner, V value) {
        update(owner, value, BpfMap.UpdateFlag.ANY);
    }

    /** Stores {@code value} as {@code owner}'s entry under {@code flag} ({@code NO_EXIST}, {@code LOCK}, ...). */
    public void update(StorageOwner owner, V value, BpfMap.UpdateFlag flag) {
        Objects.requireNonNull(value, () -> "map '" + map.name() + "': the value is null; to remove the entry use "
                + "delete(owner)");
        map.update(owner, Codecs.toBytes(valueCodec, value), flag);
    }

    /** Removes {@code owner}'s entry; whether it had one. */
    public boolean delete(StorageOwner owner) {
        return map.delete(owner);
    }

    @Override
    public String toString() {
        return map.type() + " '" + map.name() + "' of " + valueCodec;
    }
}

package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A map with typed keys and values: each call encodes the key with its {@link Codec}, makes the system call and
 * decodes the value, through per-thread direct buffers reused from call to call (no reflection, no allocation but
 * the decoded value). The generated class hands these out, built from the map's BTF key and value types; build one
 * yourself with {@link #of} or {@link #perCpu}. The raw map stays reachable through {@link #raw()}.
 *
 * <pre>{@code
 * TypedMap<Integer, Long> counts = bpf.counts();          // __type(key, __u32); __type(value, __u64)
 * long n = counts.get(0).orElse(0L);
 * counts.put(7, 42L);
 * for (Map.Entry<Integer, Long> e : counts) { ... }
 * }</pre>
 *
 * <p>Per-CPU maps are {@code TypedMap<K, List<V>>}: a value is one {@code V} per possible CPU, by CPU number.
 *
 * <p>Thread-safe: every call is one system call (or a walk of them), serialized by the kernel as the map type
 * defines. Iteration and {@link #entries()} tolerate entries deleted meanwhile: a vanished entry is left out, and
 * no key is reported twice.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedMap<K, V> implements Iterable<Map.Entry<K, V>> {
    private static final int ENTRIES_BATCH = 256;

    private final BpfMap map;
    private final MapFd fd;
    private final Codec<K> keyCodec;
    private final Codec<V> valueCodec;
    private final ThreadLocal<Scratch> scratch;
    // Made once: a null check costs no string per call.
    private final String nullKey;
    private final String nullValue;

    private TypedMap(BpfMap map, Codec<K> keyCodec, Codec<V> valueCodec) {
        this.map = map;
        this.nullKey = "map '" + map.name() + "': the key is null; a C map key always has a value";
        this.nullValue = "map '" + map.name() + "': the value is null; " + (map.type().isValueArray()
                ? "array entries cannot be removed, store a zero value" : "to remove the key use delete(key)");
        this.fd = map.handle();
        this.keyCodec = keyCodec;
        this.valueCodec = valueCodec;
        if (fd.keySize() == 0) {
            throw new IllegalArgumentException("map '" + map.name() + "' (" + map.type() + ") has no keys; use "
                    + (map.type() == MapType.BLOOM_FILTER ? "TypedBloomFilter" : "TypedQueue") + ", or the raw "
                    + "BpfMap's push, pop and mightContain");
        }
        if (keyCodec.size() != fd.keySize()) {
            throw new IllegalArgumentException("map '" + map.name() + "' has " + fd.keySize() + "-byte keys, but "
                    + keyCodec + " has " + keyCodec.size() + " bytes");
        }
        if (valueCodec.size() != fd.valueBufferSize()) {
            throw new IllegalArgumentException("map '" + map.name() + "' has " + fd.valueBufferSize()
                    + "-byte values" + (map.type().isPerCpu() ? " (per CPU: use TypedMap.perCpu)" : "") + ", but "
                    + valueCodec + " has " + valueCodec.size() + " bytes");
        }
        int keySize = fd.keySize();
        int valueSize = fd.valueBufferSize();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(keySize, valueSize));
    }

    /**
     * A typed view of {@code map}.
     *
     * @throws IllegalArgumentException when the codecs' sizes are not the map's, or the map is per-CPU (see
     *     {@link #perCpu})
     */
    public static <K, V> TypedMap<K, V> of(BpfMap map, Codec<K> key, Codec<V> value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (map.type().isPerCpu()) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a per-CPU " + map.type()
                    + " map: its values hold one value per CPU; use TypedMap.perCpu");
        }
        if (map.type().isLocalStorage()) {
            throw new IllegalArgumentException("map '" + map.name() + "' is " + map.type() + " local storage, keyed "
                    + "by a descriptor of each entry's owner: use TypedStorage");
        }
        return new TypedMap<>(map, key, value);
    }

    /**
     * A typed view of the per-CPU {@code map}: values are lists with one {@code V} per possible CPU.
     *
     * @throws IllegalArgumentException when the map is not per-CPU or the codecs' sizes are not the map's
     */
    public static <K, V> TypedMap<K, List<V>> perCpu(BpfMap map, Codec<K> key, Codec<V> value) {
        if (!map.type().isPerCpu()) {
            throw new IllegalArgumentException("map '" + map.name() + "' has type " + map.type()
                    + ", not a per-CPU one; use TypedMap.of");
        }
        if (value.size() != map.valueSize()) {
            throw new IllegalArgumentException("map '" + map.name() + "' has " + map.valueSize()
                    + "-byte values per CPU, but " + value + " has " + value.size() + " bytes");
        }
        return new TypedMap<>(map, key, Codecs.perCpu(value, CpuList.possible().count()));
    }

    /** The map underneath, for raw bytes, batches of bytes and everything else. */
    public BpfMap raw() {
        return map;
    }

    /** The key codec. */
    public Codec<K> keyCodec() {
        return keyCodec;
    }

    /** The value codec (for per-CPU maps, of the list of all CPUs' values). */
    public Codec<V> valueCodec() {
        return valueCodec;
    }

    /** The value stored under {@code key}, if any ({@code BPF_MAP_LOOKUP_ELEM}). */
    public Optional<V> get(K key) {
        Objects.requireNonNull(key, nullKey);
        Scratch s = scratch.get();
        keyCodec.encode(key, s.key, 0);
        if (!fd.lookup(s.key, s.value)) {
            return Optional.empty();
        }
        return Optional.of(valueCodec.decode(s.value, 0));
    }

    /**
     * The value under {@code key}, read while holding the {@code struct bpf_spin_lock} in it; see
     * {@link BpfMap#lookupLocked}.
     */
    public Optional<V> getLocked(K key) {
        Objects.requireNonNull(key, nullKey);
        return map.lookupLocked(Codecs.toBytes(keyCodec, key)).map(value -> Codecs.fromBytes(valueCodec, value));
    }

    /**
     * Stores {@code value} under {@code key}, creating or replacing.
     *
     * @throws NullPointerException naming the map when {@code key} or {@code value} is null
     */
    public void put(K key, V value) {
        update(key, value, BpfMap.UpdateFlag.ANY);
    }

    /**
     * Stores {@code value} under {@code key} ({@code BPF_MAP_UPDATE_ELEM}).
     *
     * @throws io.github.bpf2java.ebpf.error.BusyException     with {@link BpfMap.UpdateFlag#NO_EXIST} when the key
     *                                                         exists
     * @throws io.github.bpf2java.ebpf.error.NotFoundException with {@link BpfMap.UpdateFlag#EXIST} when it does not
     * @throws io.github.bpf2java.ebpf.error.KernelException   when the map is full ({@code E2BIG}) or the kernel
     *                                                         refuses otherwise
     */
    public void update(K key, V value, BpfMap.UpdateFlag flag) {
        Objects.requireNonNull(key, nullKey);
        Objects.requireNonNull(value, nullValue);
        Scratch s = scratch.get();
        keyCodec.encode(key, s.key, 0);
        valueCodec.encode(value, s.value, 0);
        fd.update(s.key, s.value, flag.value());
    }

    /** Removes {@code key}; returns whether it was present ({@code BPF_MAP_DELETE_ELEM}). */
    public boolean delete(K key) {
        Objects.requireNonNull(key, nullKey);
        Scratch s = scratch.get();
        keyCodec.encode(key, s.key, 0);
        return fd.delete(s.key);
    }

    /** Removes {@code key} and returns its value, if it was present. */
    public Optional<V> getAndDelete(K key) {
        Objects.requireNonNull(key, nullKey);
        byte[] value = new byte[fd.valueBufferSize()];
        if (!fd.lookupAndDelete(Codecs.toBytes(keyCodec, key), value)) {
            return Optional.empty();
        }
        return Optional.of(Codecs.fromBytes(valueCodec, value));
    }

    /** The keys, in the kernel's iteration order; keys added or removed meanwhile may or may not appear. */
    public List<K> keys() {
        List<K> keys = new ArrayList<>();
        KeyWalk walk = new KeyWalk();
        while (walk.advance()) {
            keys.add(keyCodec.decode(walk.current, 0));
        }
        return keys;
    }

    /**
     * A snapshot of the entries, read in batches where the kernel offers them ({@code BPF_MAP_LOOKUP_BATCH}) and
     * one by one elsewhere; an entry deleted meanwhile is left out.
     */
    public List<Map.Entry<K, V>> entries() {
        List<Map.Entry<K, V>> entries = new ArrayList<>();
        MapBatchCursor cursor = new MapBatchCursor();
        int batch = Math.max(1, Math.min(ENTRIES_BATCH, fd.maxEntries()));
        while (!cursor.done()) {
            try {
                entries.addAll(lookupBatch(cursor, batch));
            } catch (KernelException e) {
                // ENOSPC: one hash bucket holds more entries than the batch; a bigger batch reads it whole.
                if (!Errno.ENOSPC.is(e.errno()) || batch >= fd.maxEntries()) {
                    throw e;
                }
                batch = (int) Math.min((long) batch * 4, fd.maxEntries());
            }
        }
        return entries;
    }

    /** Calls {@code action} with each entry, as {@link #iterator()} walks them. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (Map.Entry<K, V> entry : this) {
            action.accept(entry.getKey(), entry.getValue());
        }
    }

    /**
     * Walks the entries lazily, one key ({@code BPF_MAP_GET_NEXT_KEY}) and one lookup at a time. Entries deleted
     * meanwhile, including by the caller during the walk, are skipped; no key is reported twice even when a deletion
     * makes the kernel restart its walk.
     */
    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
            private final KeyWalk walk = new KeyWalk();
            private final ByteBuffer value = ByteBuffer.allocateDirect(fd.valueBufferSize())
                    .order(ByteOrder.nativeOrder());
            private Map.Entry<K, V> next;

            @Override
            public boolean hasNext() {
                while (next == null && walk.advance()) {
                    if (fd.lookup(walk.current, value)) {
                        next = Map.entry(keyCodec.decode(walk.current, 0), valueCodec.decode(value, 0));
                    }
                }
                return next != null;
            }

            @Override
            public Map.Entry<K, V> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<K, V> entry = next;
                next = null;
                return entry;
            }
        };
    }

    // ---- batches -----------------------------------------------------------------------------------------------

    /**
     * Reads up to {@code maxCount} entries from where {@code cursor} stands; see
     * {@link BpfMap#lookupBatch(MapBatchCursor, int)}.
     */
    public List<Map.Entry<K, V>> lookupBatch(MapBatchCursor cursor, int maxCount) {
        return decode(map.lookupBatch(cursor, maxCount));
    }

    /** Removes and returns up to {@code maxCount} entries; see {@link BpfMap#lookupAndDeleteBatch}. */
    public List<Map.Entry<K, V>> lookupAndDeleteBatch(MapBatchCursor cursor, int maxCount) {
        return decode(map.lookupAndDeleteBatch(cursor, maxCount));
    }

    /** Stores every entry of {@code entries} in one batch; see {@link BpfMap#updateBatch}. */
    public int updateBatch(Map<? extends K, ? extends V> entries, BpfMap.UpdateFlag flag) {
        List<byte[]> keys = new ArrayList<>(entries.size());
        List<byte[]> values = new ArrayList<>(entries.size());
        for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
            Objects.requireNonNull(e.getKey(), nullKey);
            Objects.requireNonNull(e.getValue(), nullValue);
            keys.add(Codecs.toBytes(keyCodec, e.getKey()));
            values.add(Codecs.toBytes(valueCodec, e.getValue()));
        }
        return map.updateBatch(keys, values, flag);
    }

    /** Removes every key of {@code keys} in one batch; see {@link BpfMap#deleteBatch}. */
    public int deleteBatch(Collection<? extends K> keys) {
        List<byte[]> raw = new ArrayList<>(keys.size());
        for (K key : keys) {
            Objects.requireNonNull(key, nullKey);
            raw.add(Codecs.toBytes(keyCodec, key));
        }
        return map.deleteBatch(raw);
    }

    private List<Map.Entry<K, V>> decode(List<Map.Entry<byte[], byte[]>> raw) {
        List<Map.Entry<K, V>> entries = new ArrayList<>(raw.size());
        for (Map.Entry<byte[], byte[]> e : raw) {
            entries.add(Map.entry(Codecs.fromBytes(keyCodec, e.getKey()), Codecs.fromBytes(valueCodec, e.getValue())));
        }
        return entries;
    }

    @Override
    public String toString() {
        return "TypedMap[" + map.name() + ", " + keyCodec + " -> " + valueCodec + "]";
    }

    /** One thread's key and value buffers. */
    private static final class Scratch {
        final ByteBuffer key;
        final ByteBuffer value;

        Scratch(int keySize, int valueSize) {
            key = ByteBuffer.allocateDirect(keySize).order(ByteOrder.nativeOrder());
            value = ByteBuffer.allocateDirect(Math.max(valueSize, 1)).order(ByteOrder.nativeOrder());
        }
    }

    /**
     * Walks the keys with {@code BPF_MAP_GET_NEXT_KEY}. A key deleted under the walk makes the kernel start over from
     * the first key; keys already seen are then skipped, and a bound on the steps ends a walk of a map that changes
     * faster than it can be walked.
     */
    private final class KeyWalk {
        final ByteBuffer current = ByteBuffer.allocateDirect(fd.keySize()).order(ByteOrder.nativeOrder());
        private final ByteBuffer previous = ByteBuffer.allocateDirect(fd.keySize()).order(ByteOrder.nativeOrder());
        private final long currentAddress = NativeBuffer.addressOf(current);
        private final long previousAddress = NativeBuffer.addressOf(previous);
        private final Set<ByteBuffer> seen = new HashSet<>();
        private boolean started;
        private boolean finished;
        private long budget = 4L * fd.maxEntries() + 64;

        KeyWalk() {
            BpfMap.requireListable(map);
        }

        /** Moves to the next key not seen before; false at the end. */
        boolean advance() {
            while (!finished && budget-- > 0) {
                if (started) {
                    previous.put(0, current, 0, current.capacity());
                }
                if (!fd.nextKey(started ? previousAddress : 0, currentAddress)) {
                    finished = true;
                    return false;
                }
                started = true;
                byte[] copy = new byte[current.capacity()];
                current.get(0, copy);
                if (seen.add(ByteBuffer.wrap(copy))) {
                    return true;
                }
            }
            finished = true;
            return false;
        }
    }
}

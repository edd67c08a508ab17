package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.MapInfo;
import io.github.bpf2java.ebpf.internal.bpf.Pins;
import io.github.bpf2java.ebpf.internal.link.CgroupAttacher;
import io.github.bpf2java.ebpf.internal.load.MapFactory;
import io.github.bpf2java.ebpf.internal.netlink.Interfaces;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.MappedMemory;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.NetworkChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A map created in the kernel, owned by its {@link BpfObject} and closed with it (or, when opened from a pin by
 * {@link #openPinned}, owned by the caller and closed by {@link #close()}). Keys and values are raw bytes in
 * the host's byte order, exactly {@link #keySize()} and {@link #valueSize()} long (a wrong size is an
 * {@link IllegalArgumentException}, never a kernel read past the buffer). Per-CPU maps give and take one value per
 * possible CPU through {@link #lookupPerCpu} and {@link #updatePerCpu}. {@link TypedMap} reads and writes Java values
 * instead (the generated class hands those out); batches of entries go through {@link #lookupBatch} and its siblings,
 * and a {@code BPF_F_MMAPABLE} array's memory is {@link #memory()}.
 *
 * <p>Safe for use from several threads: each call is one system call on the map, which the kernel serializes as
 * the map type defines.
 */
public final class BpfMap implements AutoCloseable {
    private final MapSpec spec;
    private final MapFd fd;
    private final boolean standalone;
    // Set by the loader or openPinned, and by pin(path); volatile: pin() may run in another thread than pinPath().
    private volatile Optional<Path> pinnedAt;
    private final MapBatches batches;
    private final Object memoryLock = new Object();
    private MappedMemory memory;
    private KernelException memoryFailure;
    private volatile boolean frozen;

    BpfMap(MapSpec spec, MapFd fd, boolean standalone, Optional<Path> pinnedAt) {
        this.spec = spec;
        this.fd = fd;
        this.standalone = standalone;
        this.pinnedAt = pinnedAt;
        this.batches = new MapBatches(this, fd);
        // The loader freezes read-only data once it has written it.
        this.frozen = spec.isReadOnlyData() || spec.kind() == MapSpec.MapKind.KCONFIG;
    }

    /** The map's name in the object: the C variable, or the section for global data ({@code .bss}, ...). */
    public String name() {
        return spec.name();
    }

    public MapType type() {
        return spec.type();
    }

    public int keySize() {
        return fd.keySize();
    }

    /** The size of one value (for per-CPU maps, of each CPU's value). */
    public int valueSize() {
        return fd.valueSize();
    }

    /** {@code max_entries} as created (after any {@link LoadOptions.Builder#maxEntries} override). */
    public int maxEntries() {
        return fd.maxEntries();
    }

    /** {@code map_flags} as created. */
    public int flags() {
        return fd.flags();
    }

    /** The definition this map was created from. */
    public MapSpec spec() {
        return spec;
    }

    /** The map's file descriptor, valid until its object is closed; for passing to other native code. */
    public int fd() {
        return fd.fd().raw();
    }

    /** The kernel's id of this map, as {@code bpftool map show} lists it. */
    public int id() {
        return MapInfo.of(fd.fd()).id();
    }

    /** What the kernel reports about this map: id, sizes, flags, memlock. */
    public BpfMapInfo info() {
        return BpfMapInfo.of(fd.fd());
    }

    /**
     * The value stored under {@code key}, if any; for a queue or stack (pass an empty key) the next element, left in
     * place (see {@link #peek()}).
     *
     * @throws IllegalStateException for a bloom filter, whose lookup tests a value: see {@link #mightContain}
     */
    public Optional<byte[]> lookup(byte[] key) {
        requireSingleValue("lookupPerCpu");
        requireKeyedByJava();
        if (type() == MapType.BLOOM_FILTER) {
            throw new IllegalStateException("map '" + name() + "' is a BLOOM_FILTER: it has no keys, and the "
                    + "kernel's lookup tests a value; call mightContain(value)");
        }
        byte[] value = new byte[fd.valueSize()];
        return fd.lookup(key, value) ? Optional.of(value) : Optional.empty();
    }

    /**
     * The value under {@code key}, read while holding the {@code struct bpf_spin_lock} in it ({@code BPF_F_LOCK}),
     * so that programs updating it under that lock are never seen half done. The lock's own bytes read as zero.
     *
     * @throws KernelException {@code EINVAL} when the map's value has no {@code bpf_spin_lock}
     */
    public Optional<byte[]> lookupLocked(byte[] key) {
        Objects.requireNonNull(key, () -> "map '" + name() + "': the key is null");
        requireSingleValue("lookupPerCpu");
        byte[] value = new byte[fd.valueSize()];
        try {
            return fd.lookup(key, value, UpdateFlag.LOCK.value()) ? Optional.of(value) : Optional.empty();
        } catch (KernelException e) {
            if (!Errno.EINVAL.is(e.errno())) {
                throw e;
            }
            throw KernelErrors.withHint(e, "a locked read (BPF_F_LOCK) needs a value holding a struct "
                    + "bpf_spin_lock, declared with BTF (__type(value, struct ...)); read this map with lookup");
        }
    }

    /**
     * Looks up without allocating: reads the key at {@code key}'s position and writes the value at
     * {@code value}'s position. Both buffers must be direct; {@code value} needs {@link #valueSize()} remaining
     * bytes (for per-CPU maps, {@link #valueSize()} rounded up to 8, times the possible CPUs).
     *
     * @return whether the key was present; {@code value} is untouched when not
     */
    public boolean lookup(ByteBuffer key, ByteBuffer value) {
        requireKeyedByJava();
        return fd.lookup(key, value);
    }

    /** For per-CPU maps: each possible CPU's value under {@code key}, by CPU number, if the key is present. */
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        requirePerCpu("lookupPerCpu");
        byte[] all = new byte[fd.valueBufferSize()];
        if (!fd.lookup(key, all)) {
            return Optional.empty();
        }
        int stride = perCpuStride();
        List<byte[]> values = new ArrayList<>();
        for (int offset = 0; offset < all.length; offset += stride) {
            values.add(Arrays.copyOfRange(all, offset, offset + fd.valueSize()));
        }
        return Optional.of(values);
    }

    /**
     * Stores {@code value} under {@code key}.
     *
     * @throws BusyException     with {@link UpdateFlag#NO_EXIST} when the key exists
     * @throws NotFoundException with {@link UpdateFlag#EXIST} when it does not
     * @throws KernelException   when the map is full ({@code E2BIG}) or the kernel refuses otherwise
     */
    public void update(byte[] key, byte[] value, UpdateFlag flag) {
        requireSingleValue("updatePerCpu");
        requireKeyedByJava();
        fd.update(key, value, flag.value());
    }

    /** Stores {@code value} under {@code key}, creating or replacing. */
    public void put(byte[] key, byte[] value) {
        update(key, value, UpdateFlag.ANY);
    }

    /** {@link #update(byte[], byte[], UpdateFlag)} from direct buffers, at their positions. */
    public void update(ByteBuffer key, ByteBuffer value, UpdateFlag flag) {
        requireKeyedByJava();
        fd.update(key, value, flag.value());
    }

    /** For per-CPU maps: stores one value per possible CPU ({@code values.size()} must be the possible CPUs). */
    public void updatePerCpu(byte[] key, List<byte[]> values, UpdateFlag flag) {
        requirePerCpu("updatePerCpu");
        int stride = perCpuStride();
        int cpus = fd.valueBufferSize() / stride;
        if (values.size() != cpus) {
            throw new IllegalArgumentException("map '" + name() + "': " + values.size() + " values given for "
                    + cpus + " possible CPUs");
        }
        byte[] all = new byte[fd.valueBufferSize()];
        for (int cpu = 0; cpu < cpus; cpu++) {
            byte[] value = values.get(cpu);
            if (value.length != fd.valueSize()) {
                throw new IllegalArgumentException("map '" + name() + "': value for CPU " + cpu + " has "
                        + value.length + " bytes, the map's values " + fd.valueSize());
            }
            System.arraycopy(value, 0, all, cpu * stride, value.length);
        }
        fd.update(key, all, flag.value());
    }

    /** Removes {@code key}; returns whether it was present. */
    public boolean delete(byte[] key) {
        requireKeyedByJava();
        return fd.delete(key);
    }

    /** {@link #delete(byte[])} reading the key from a direct buffer, at its position. */
    public boolean delete(ByteBuffer key) {
        requireKeyedByJava();
        return fd.delete(key);
    }

    /**
     * Removes {@code key} and returns its value; for queues and stacks ({@link #keySize()} 0, pass an empty key)
     * pops the next element.
     */
    public Optional<byte[]> lookupAndDelete(byte[] key) {
        requireSingleValue("lookupPerCpu, then delete");
        requireKeyedByJava();
        byte[] value = new byte[fd.valueSize()];
        return fd.lookupAndDelete(key, value) ? Optional.of(value) : Optional.empty();
    }

    // ---- queues, stacks and bloom filters: values without keys -------------------------------------------------

    /**
     * Adds {@code value} to this queue, stack or bloom filter ({@code BPF_MAP_UPDATE_ELEM} without a key). A full
     * queue or stack refuses it; {@code update(new byte[0], value, UpdateFlag.EXIST)} drops the oldest element
     * instead.
     *
     * @throws KernelException {@code E2BIG} when a queue or stack is full
     */
    public void push(byte[] value) {
        Objects.requireNonNull(value, () -> "map '" + name() + "': the value is null");
        requireKeyless("push", MapType.QUEUE, MapType.STACK, MapType.BLOOM_FILTER);
        fd.update(new byte[0], value, UpdateFlag.ANY.value());
    }

    /** Takes the next element of this queue (the oldest) or stack (the newest); empty when there is none. */
    public Optional<byte[]> pop() {
        requireKeyless("pop", MapType.QUEUE, MapType.STACK);
        byte[] value = new byte[fd.valueSize()];
        return fd.lookupAndDelete(new byte[0], value) ? Optional.of(value) : Optional.empty();
    }

    /** The element {@link #pop()} would take, left in place; empty when there is none. */
    public Optional<byte[]> peek() {
        requireKeyless("peek", MapType.QUEUE, MapType.STACK);
        byte[] value = new byte[fd.valueSize()];
        return fd.lookup(new byte[0], value) ? Optional.of(value) : Optional.empty();
    }

    /**
     * Whether this bloom filter may hold {@code value}: false means it was never added, true that it probably was
     * (a bloom filter answers wrongly "yes" at a rate set by its size and {@code map_extra} hash count, never "no").
     */
    public boolean mightContain(byte[] value) {
        Objects.requireNonNull(value, () -> "map '" + name() + "': the value is null");
        requireKeyless("mightContain", MapType.BLOOM_FILTER);
        return fd.containsValue(value);
    }

    private void requireKeyless(String method, MapType... types) {
        if (Arrays.stream(types).noneMatch(t -> t == type())) {
            throw wrongType("; " + method + " is for " + Arrays.toString(types) + " maps"
                    + (type().isKeyless() ? "" : ", whose values have no keys"));
        }
    }

    /**
     * A snapshot of the keys, in the kernel's iteration order. Keys added or removed while this runs may or may not
     * appear, as with any map iteration in the kernel.
     *
     * @throws NotSupportedException for map types whose keys cannot be listed ({@link MapType#canListKeys()})
     */
    public List<byte[]> keys() {
        requireListable(this);
        List<byte[]> keys = new ArrayList<>();
        byte[] previous = null;
        // A key deleted under the walk makes the kernel start over; the bound keeps that from looping forever.
        while (keys.size() < fd.maxEntries()) {
            byte[] next = new byte[fd.keySize()];
            if (!fd.nextKey(previous, next)) {
                break;
            }
            keys.add(next);
            previous = next;
        }
        return keys;
    }

    /**
     * A snapshot of the entries, key to value, in the kernel's iteration order: {@link #keys()} then a lookup of
     * each, so an entry deleted in between is left out. Not for per-CPU maps (see {@link #lookupPerCpu}).
     */
    public List<Map.Entry<byte[], byte[]>> entries() {
        requireSingleValue("keys() and lookupPerCpu");
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        for (byte[] key : keys()) {
            lookup(key).ifPresent(value -> entries.add(Map.entry(key, value)));
        }
        return entries;
    }

    /**
     * Makes the map read-only for user space from now on ({@code BPF_MAP_FREEZE}); programs may still write. The
     * kernel refuses ({@code EBUSY}) while the map's {@link #memory()} is mapped writable.
     */
    public void freeze() {
        fd.freeze();
        frozen = true;
    }

    // ---- batches -----------------------------------------------------------------------------------------------

    /**
     * Reads up to {@code maxCount} entries, continuing where {@code cursor} stands ({@code BPF_MAP_LOOKUP_BATCH});
     * call again with the same cursor until {@link MapBatchCursor#done()}. Per-CPU values hold every possible CPU's
     * slot, {@link #valueSize()} rounded up to 8 bytes each. On kernels or map types without batch operations the
     * entries are read one by one, with the same result.
     *
     * @throws KernelException with {@code ENOSPC} when a hash bucket holds more than {@code maxCount} entries (retry
     *     with a larger batch)
     */
    public List<Map.Entry<byte[], byte[]>> lookupBatch(MapBatchCursor cursor, int maxCount) {
        return batches.lookup(cursor, maxCount, false);
    }

    /**
     * {@link #lookupBatch(MapBatchCursor, int)} into caller-owned direct buffers, without allocating: keys from
     * {@code keys}'s position, values (of {@link #valueBufferSize()} bytes each) from {@code values}'s, as many as
     * both have room for. Positions are not changed.
     *
     * @return how many entries were read
     */
    public int lookupBatch(MapBatchCursor cursor, ByteBuffer keys, ByteBuffer values) {
        return batches.lookup(cursor, keys, values, false);
    }

    /**
     * Removes and returns up to {@code maxCount} entries ({@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}; not for arrays,
     * whose entries cannot be deleted).
     */
    public List<Map.Entry<byte[], byte[]>> lookupAndDeleteBatch(MapBatchCursor cursor, int maxCount) {
        return batches.lookup(cursor, maxCount, true);
    }

    /**
     * Stores {@code values.get(i)} under {@code keys.get(i)} for every {@code i} ({@code BPF_MAP_UPDATE_BATCH});
     * per-CPU values hold every possible CPU's slot.
     *
     * @param flag {@link UpdateFlag#ANY}, or {@link UpdateFlag#LOCK} for values holding a {@code bpf_spin_lock}: the
     *             kernel's batch update refuses {@code NO_EXIST} and {@code EXIST} (use {@link #update} per entry)
     * @return how many entries were stored: all of them, unless an exception says otherwise
     * @throws IllegalArgumentException with {@code NO_EXIST} or {@code EXIST}, before any system call
     * @throws KernelException          when an entry is refused: the message names it (counting from 0), and the
     *                                  entries before it are stored
     */
    public int updateBatch(List<byte[]> keys, List<byte[]> values, UpdateFlag flag) {
        return batches.update(keys, values, flag);
    }

    /** This map's batch operations, for tests that check which way they went. */
    MapBatches batches() {
        return batches;
    }

    /**
     * Removes every key of {@code keys} ({@code BPF_MAP_DELETE_BATCH}).
     *
     * @throws NotFoundException at the first absent key; the keys before it are removed
     */
    public int deleteBatch(List<byte[]> keys) {
        return batches.delete(keys);
    }

    /**
     * The bytes one value takes in a lookup: {@link #valueSize()}, or for per-CPU maps one 8-byte-aligned slot per
     * possible CPU.
     */
    public int valueBufferSize() {
        return fd.valueBufferSize();
    }

    // ---- memory ------------------------------------------------------------------------------------------------

    /**
     * The memory of a {@code BPF_F_MMAPABLE} array, mapped into this process and shared with the programs: element
     * {@code i} starts at {@code i *} {@link #valueSize()} rounded up to 8. Reads and writes are plain memory
     * accesses, no system call; a read-only buffer when the map is frozen, {@code BPF_F_RDONLY_PROG} or
     * {@linkplain #openPinnedReadOnly opened read-only}. The mapping is made on first use and released when the
     * object closes; buffers handed out stay safe to touch afterwards but no longer show the map (reads give zeros).
     * Each call returns a new buffer over the same memory, in the host's byte order (as the programs see it), its
     * position 0 and its limit the mapping's length, so callers may move positions and limits without affecting
     * one another.
     *
     * @throws NotSupportedException when the map is not an array created {@code BPF_F_MMAPABLE}
     * @throws KernelException       when the kernel refuses the mapping (e.g. a map holding a spin lock)
     */
    public ByteBuffer memory() {
        return mappedMemory().buffer();
    }

    /** The mapping behind {@link #memory()}, made on first use; the same failure every time when it cannot be. */
    MappedMemory mappedMemory() {
        synchronized (memoryLock) {
            if (memory == null && memoryFailure == null) {
                try {
                    memory = MappedMemory.map(fd.fd(), mappableSize(), !frozen && !fd.readOnly()
                            && (fd.flags() & MapSpec.BPF_F_RDONLY_PROG) == 0);
                } catch (KernelException e) {
                    // The kernel maps no value holding fields it keeps from user space, and says only ENOTSUPP.
                    memoryFailure = Errno.ENOTSUPP.is(e.errno()) ? KernelErrors.withHint(e, "map '" + name()
                            + "' holds a field the kernel keeps from user space (a bpf_spin_lock, bpf_timer, "
                            + "__kptr, or a list or rbtree root), so it cannot be mapped; its values are read "
                            + "through lookups instead (the variables of such a global section can be read from "
                            + "Java, not written: declare those fields in a section of their own, e.g. "
                            + "SEC(\".data.locks\"), and the other variables stay mapped and writable)") : e;
                }
            }
            if (memoryFailure != null) {
                throw memoryFailure;
            }
            return memory;
        }
    }

    /** Releases the mapping, if one was made; buffers stay safe to touch. */
    void closeMemory() {
        synchronized (memoryLock) {
            if (memory != null) {
                memory.close();
            }
        }
    }

    private int mappableSize() {
        String subject = "map '" + name() + "'";
        if (spec.type() != MapType.ARRAY || (fd.flags() & MapSpec.BPF_F_MMAPABLE) == 0) {
            throw new NotSupportedException(subject + " (" + spec.type() + ", flags 0x"
                    + Integer.toHexString(fd.flags()) + ") cannot be memory-mapped", "mmap", Errno.EINVAL.number(),
                    subject, spec.type() == MapType.ARRAY
                            ? "create it with map_flags BPF_F_MMAPABLE (in C: __uint(map_flags, BPF_F_MMAPABLE))"
                            : "only arrays created BPF_F_MMAPABLE are mapped here");
        }
        long size = (long) perCpuStride() * fd.maxEntries();
        if (size > Integer.MAX_VALUE) {
            throw new NotSupportedException(subject + " has " + size + " bytes, more than one ByteBuffer can show",
                    "mmap", Errno.E2BIG.number(), subject, "read it with lookups or batches instead");
        }
        return (int) size;
    }

    // ---- Sockets and pinning: one-line entries; the mechanics live in internal.bpf and internal.syscall ----------

    /**
     * Stores the socket behind {@code channel} under {@code key} in this sockmap, sockhash or
     * {@code REUSEPORT_SOCKARRAY}. The channel must be bound; its socket is found in this process's descriptors by
     * its type and addresses, and members of one {@code SO_REUSEPORT} group, which share their address, are told
     * apart. The map holds the socket, not the descriptor: closing the channel takes it out of the map.
     *
     * <p>A sk_skb or sk_msg program attached to a sockmap applies to the sockets stored after it was attached
     * ({@code BpfProgram.attachSocketMap}): the kernel sets a socket's programs up when it enters the map.
     */
    public void putSocket(byte[] key, NetworkChannel channel) {
        requireSocketMap();
        try (Fd socket = ChannelSockets.duplicate(channel)) {
            putSocket(key, socket);
        }
    }

    /**
     * Stores the socket behind {@code channel} at {@code index} of this sockmap or {@code REUSEPORT_SOCKARRAY}, or
     * under that key of a sockhash keyed by {@code __u32}, as {@link #putSocket(byte[], NetworkChannel)} does.
     *
     * @throws IllegalArgumentException when {@code index} is negative, or, in an array, not below
     *     {@code max_entries}
     */
    public void putSocket(int index, NetworkChannel channel) {
        putSocket(indexKey(index), channel);
    }

    /**
     * Stores the socket {@code socketFd} under {@code key} in this sockmap, sockhash or {@code REUSEPORT_SOCKARRAY}.
     */
    public void putSocket(byte[] key, int socketFd) {
        requireSocketMap();
        try (Fd socket = Fd.duplicate(socketFd, "socket fd " + socketFd)) {
            putSocket(key, socket);
        }
    }

    private void putSocket(byte[] key, Fd socket) {
        try (Fd.Held held = socket.hold()) {
            // The kernel takes the socket's descriptor as the value, 4 or 8 bytes wide.
            ByteBuffer value = ByteBuffer.allocate(fd.valueSize()).order(ByteOrder.nativeOrder());
            if (fd.valueSize() == 8) {
                value.putLong(0, held.raw());
            } else {
                value.putInt(0, held.raw());
            }
            fd.update(key, value.array(), UpdateFlag.ANY.value());
        } catch (KernelException e) {
            if (Errno.EINVAL.is(e.errno()) && type() == MapType.REUSEPORT_SOCKARRAY) {
                throw KernelErrors.withHint(e, "a REUSEPORT_SOCKARRAY takes TCP sockets that listen and UDP sockets "
                        + "that are bound, with SO_REUSEPORT set before they were bound");
            }
            throw e;
        }
    }

    // Both ways out of range fail alike, before the kernel is asked: a negative index, and one at or past the end
    // of an array (the kernel's E2BIG); a hash of maps or sockets takes any index that is not negative.
    private byte[] indexKey(int index) {
        if (index < 0 || (fd.indexed() && index >= fd.maxEntries())) {
            throw new IllegalArgumentException("map '" + name() + "': index " + index + " is out of range: "
                    + (fd.indexed() ? type() + " '" + name() + "' has max_entries " + fd.maxEntries() + " (indices 0.."
                            + (fd.maxEntries() - 1) + ")" : "indices start at 0"));
        }
        if (fd.keySize() != Integer.BYTES) {
            throw new IllegalStateException("map '" + name() + "' has " + fd.keySize() + "-byte keys, not a __u32 "
                    + "index; pass the key as bytes");
        }
        return MapFd.int32(index);
    }

    // ---- local storage: entries keyed by their owner -------------------------------------------------------------

    /** The entry {@code owner} has in this local storage map, if any. */
    public Optional<byte[]> lookup(StorageOwner owner) {
        Objects.requireNonNull(owner, "owner");
        try (Fd.Held held = owner.descriptorFor(this).hold()) {
            byte[] value = new byte[fd.valueSize()];
            return fd.lookup(ownerKey(held), value) ? Optional.of(value) : Optional.empty();
        }
    }

    /**
     * Stores {@code value} as {@code owner}'s entry in this local storage map (created with {@code ANY} or
     * {@code NO_EXIST}; {@code LOCK} for a value holding a {@code bpf_spin_lock}).
     */
    public void update(StorageOwner owner, byte[] value, UpdateFlag flag) {
        Objects.requireNonNull(owner, "owner");
        try (Fd.Held held = owner.descriptorFor(this).hold()) {
            fd.update(ownerKey(held), value, flag.value());
        }
    }

    /** Removes {@code owner}'s entry from this local storage map; whether it had one. */
    public boolean delete(StorageOwner owner) {
        Objects.requireNonNull(owner, "owner");
        try (Fd.Held held = owner.descriptorFor(this).hold()) {
            return fd.delete(ownerKey(held));
        }
    }

    private static byte[] ownerKey(Fd.Held owner) {
        return MapFd.int32(owner.raw());
    }

    /** Refuses, naming what to do instead, to list the keys of a map whose type has none to list. */
    static void requireListable(BpfMap map) {
        MapType type = map.type();
        if (type.canListKeys()) {
            return;
        }
        String instead = switch (type) {
            case QUEUE, STACK -> "take its elements with pop() or look with peek()";
            case BLOOM_FILTER -> "test values with mightContain(value)";
            case RINGBUF, USER_RINGBUF -> "read it with a RingBufferReader, write it with a UserRingBuffer";
            case SK_STORAGE, INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE -> "look an entry up by its owner: "
                    + "lookup(StorageOwner.task(pid)), or StorageOwner.cgroup, file or socket";
            default -> "read it another way";
        };
        throw new NotSupportedException("the keys of map '" + map.name() + "' (" + type + ") cannot be listed: "
                + (type.isKeyless() ? "it holds values without keys"
                        : "the kernel offers no way to walk them"), "BPF_MAP_GET_NEXT_KEY", Errno.EINVAL.number(),
                "map '" + map.name() + "'", instead);
    }

    /**
     * Stores {@code program} at {@code index} of this {@code PROG_ARRAY}, where {@code bpf_tail_call(ctx, &array,
     * index)} jumps to it. The array holds the program, not a descriptor: it stays loaded while it is there. The
     * kernel empties a program array when its last user-space holder goes (this object closed, the process ended,
     * and no pin): a program still attached through a pinned link then finds every slot empty and falls through its
     * tail calls, so pin the array too ({@code LIBBPF_PIN_BY_NAME}) where programs outlive the process.
     *
     * @throws IllegalArgumentException when {@code index} is negative or not below {@code max_entries}
     */
    public void putProgram(int index, BpfProgram program) {
        Objects.requireNonNull(program, () -> "map '" + name() + "': the program is null");
        if (type() != MapType.PROG_ARRAY) {
            throw wrongType("; programs go into PROG_ARRAY maps");
        }
        putProgramDescriptor(indexKey(index), program.handle(), "program '" + program.name() + "' (" + program.type() + ")");
    }

    /**
     * Stores {@code inner} under {@code key} of this {@code ARRAY_OF_MAPS} or {@code HASH_OF_MAPS}: programs looking
     * the key up find that map from then on. It must match the inner map the C declaration describes (type, key and
     * value sizes, flags, and {@code max_entries} unless it was declared {@code BPF_F_INNER_MAP}).
     */
    public void putMap(byte[] key, BpfMap inner) {
        Objects.requireNonNull(inner, () -> "map '" + name() + "': the inner map is null");
        if (!type().isMapOfMaps()) {
            throw wrongType("; maps go into ARRAY_OF_MAPS and HASH_OF_MAPS maps");
        }
        try {
            fd.updateDescriptor(key, inner.handle().fd());
        } catch (KernelException e) {
            if (!Errno.EINVAL.is(e.errno())) {
                throw e;
            }
            throw KernelErrors.withHint(e, "map '" + name() + "' refused map '" + inner.name() + "' ("
                    + shape(inner.type(), inner.keySize(), inner.valueSize(), inner.maxEntries(), inner.flags())
                    + "): it does not match the inner map its C declaration describes"
                    + spec.innerMap().map(template -> " (" + shape(template.type(), template.keySize(),
                            template.valueSize(), template.maxEntries(), template.flags()) + ")").orElse("")
                    + "; make it from that template: BpfMap.create(" + name() + ".spec().innerMap().get()"
                    + ".toBuilder().name(...).build())");
        }
    }

    private static String shape(MapType type, int keySize, int valueSize, int maxEntries, int flags) {
        return type + ", key " + keySize + ", value " + valueSize + ", max_entries " + maxEntries
                + (flags == 0 ? "" : ", flags 0x" + Integer.toHexString(flags));
    }

    /**
     * {@link #putMap(byte[], BpfMap)} at a {@code __u32} index.
     *
     * @throws IllegalArgumentException when {@code index} is negative, or, in an {@code ARRAY_OF_MAPS}, not below
     *     {@code max_entries}
     */
    public void putMap(int index, BpfMap inner) {
        putMap(indexKey(index), inner);
    }

    /**
     * Opens the map under {@code key} of this {@code ARRAY_OF_MAPS} or {@code HASH_OF_MAPS} as a map of its own, which
     * the caller closes ({@link #openById}: a slot holds the inner map's kernel id); empty when the slot is empty.
     *
     * @throws io.github.bpf2java.ebpf.error.PermissionException without {@code CAP_SYS_ADMIN}, which the kernel asks
     *     for to open a map by id
     */
    public Optional<BpfMap> openInnerMap(byte[] key) {
        if (!type().isMapOfMaps()) {
            throw wrongType("; only ARRAY_OF_MAPS and HASH_OF_MAPS hold maps");
        }
        return lookup(key).map(id -> openById(ByteBuffer.wrap(id).order(ByteOrder.nativeOrder()).getInt()));
    }

    /** {@link #openInnerMap(byte[])} at a {@code __u32} index. */
    public Optional<BpfMap> openInnerMap(int index) {
        return openInnerMap(indexKey(index));
    }

    /**
     * {@link #putMap(int, BpfMap)} for the map behind a typed view, such as a generated class's accessor of an inner
     * map hands out.
     */
    public void putMap(int index, TypedMap<?, ?> inner) {
        putMap(index, Objects.requireNonNull(inner, () -> "map '" + name() + "': the inner map is null").raw());
    }

    /**
     * Stores the cgroup whose directory (in the cgroup v2 hierarchy) is {@code cgroupDirectory} at {@code index} of
     * this {@code CGROUP_ARRAY}, where {@code bpf_current_task_under_cgroup(&array, index)} and
     * {@code bpf_skb_under_cgroup} test against it: the libbpf tools' {@code -c <cgroup>} filter. The array holds
     * the cgroup itself, not the directory's descriptor, which is closed again.
     *
     * @throws NotFoundException when {@code cgroupDirectory} does not exist
     * @throws io.github.bpf2java.ebpf.error.BpfException when it is not a directory of the cgroup v2 hierarchy
     * @throws IllegalArgumentException when {@code index} is negative or not below {@code max_entries}
     */
    public void putCgroup(int index, Path cgroupDirectory) {
        Objects.requireNonNull(cgroupDirectory, () -> "map '" + name() + "': the cgroup directory is null");
        if (type() != MapType.CGROUP_ARRAY) {
            throw wrongType("; cgroups go into CGROUP_ARRAY maps");
        }
        byte[] key = indexKey(index);
        CgroupAttacher.requireCgroup2(cgroupDirectory);
        try (Fd directory = Fd.open(cgroupDirectory)) {
            fd.updateDescriptor(key, directory);
        }
    }

    /**
     * Stores interface {@code ifindex} under {@code key} of this {@code DEVMAP} or {@code DEVMAP_HASH}, where
     * {@code bpf_redirect_map} sends frames. The kernel looks the index up in the network namespace of the calling
     * thread: write an interface of another namespace from inside it ({@link NetworkNamespace#run}).
     *
     * @throws IllegalArgumentException when {@code key} is out of an array's range
     * @throws io.github.bpf2java.ebpf.error.KernelException when the calling thread's namespace has no such interface
     */
    public void putInterface(int key, int ifindex) {
        putInterface(key, ifindex, null);
    }

    /**
     * {@link #putInterface(int, int)} of the interface named {@code interfaceName} in the calling thread's network
     * namespace ({@code if_nametoindex}; it may be down).
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when the namespace has no such interface
     */
    public void putInterface(int key, String interfaceName) {
        putInterface(key, Interfaces.index(interfaceName), null);
    }

    /** {@link #putInterface(int, int, BpfProgram)} of the interface named {@code interfaceName}, found as above. */
    public void putInterface(int key, String interfaceName, BpfProgram onEntry) {
        putInterface(key, Interfaces.index(interfaceName), onEntry);
    }

    /**
     * Stores interface {@code ifindex} under {@code key} with {@code onEntry} (a {@code SEC("xdp/devmap")} program),
     * which then runs on each frame the entry sends out. The map's value must be {@code struct bpf_devmap_val}
     * (8 bytes: the index, then the program); a lookup of the entry gives the program's id where it was written.
     */
    public void putInterface(int key, int ifindex, BpfProgram onEntry) {
        if (type() != MapType.DEVMAP && type() != MapType.DEVMAP_HASH) {
            throw wrongType("; interfaces go into DEVMAP and DEVMAP_HASH maps");
        }
        putWithProgram(indexKey(key), ifindex, onEntry, "struct bpf_devmap_val", "xdp/devmap");
    }

    /**
     * Makes CPU {@code cpu} of this {@code CPUMAP} take frames {@code bpf_redirect_map} sends it, through a queue of
     * {@code queueSize} frames (the kernel's own thread on that CPU then builds packets of them; when the queue is
     * full, frames are dropped).
     *
     * @throws IllegalArgumentException when {@code cpu} is out of the map's range or {@code queueSize} is not positive
     */
    public void putCpu(int cpu, int queueSize) {
        putCpu(cpu, queueSize, null);
    }

    /**
     * {@link #putCpu(int, int)} with {@code onEntry} (a {@code SEC("xdp/cpumap")} program), which runs on each frame
     * on that CPU first. The map's value must be {@code struct bpf_cpumap_val} (8 bytes: the queue size, then the
     * program).
     */
    public void putCpu(int cpu, int queueSize, BpfProgram onEntry) {
        if (type() != MapType.CPUMAP) {
            throw wrongType("; CPUs go into CPUMAP maps");
        }
        if (queueSize <= 0) {
            throw new IllegalArgumentException("map '" + name() + "': the queue size must be positive, was "
                    + queueSize);
        }
        putWithProgram(indexKey(cpu), queueSize, onEntry, "struct bpf_cpumap_val", "xdp/cpumap");
    }

    /**
     * Writes a device or CPU map value: a {@code u32} ({@code first}), then, in an 8-byte value, a program's
     * descriptor (held while the kernel takes it) or 0.
     */
    private void putWithProgram(byte[] key, int first, BpfProgram program, String valueType, String section) {
        if (program != null && valueSize() < 8) {
            throw new IllegalArgumentException("map '" + name() + "' has " + valueSize() + "-byte values, which hold "
                    + "no program: declare __type(value, " + valueType + ") to give entries a SEC(\"" + section
                    + "\") program");
        }
        // Without a program, an 8-byte value's second half stays 0: no program.
        ByteBuffer value = ByteBuffer.allocate(valueSize()).order(ByteOrder.nativeOrder()).putInt(0, first);
        if (program == null) {
            fd.update(key, value.array(), 0);
            return;
        }
        try (Fd.Held held = program.handle().hold()) {
            value.putInt(4, held.raw());
            fd.update(key, value.array(), 0);
        } catch (KernelException e) {
            if (!Errno.EINVAL.is(e.errno())) {
                throw e;
            }
            throw KernelErrors.withHint(e, "an entry's program must be an XDP program declared for entries of this "
                    + "kind, SEC(\"" + section + "\"), and program '" + program.name() + "' is of section '"
                    + program.sectionName() + "'" + (type() == MapType.CPUMAP ? "" : "; or the interface index "
                            + first + " does not exist in the calling thread's network namespace (ip link)"));
        }
    }

    private void putProgramDescriptor(byte[] key, Fd descriptor, String what) {
        try {
            fd.updateDescriptor(key, descriptor);
        } catch (KernelException e) {
            if (!Errno.EINVAL.is(e.errno())) {
                throw e;
            }
            throw KernelErrors.withHint(e, "map '" + name() + "' refused " + what + ": a PROG_ARRAY takes only "
                    + "programs alike to the programs that tail-call through it: of one type, and of one kind within "
                    + "it (the expected attach type a section gives: SEC(\"xdp/devmap\") or SEC(\"xdp/cpumap\") "
                    + "programs are XDP programs for map entries, not for tail calls), both with or without frags "
                    + "(SEC(\"xdp.frags\")), and for tracing programs the same target");
        }
    }

    private void requireSocketMap() {
        if (type() != MapType.SOCKMAP && type() != MapType.SOCKHASH && type() != MapType.REUSEPORT_SOCKARRAY) {
            throw wrongType("; sockets go into SOCKMAP, SOCKHASH and REUSEPORT_SOCKARRAY maps");
        }
    }

    /**
     * Pins this map at {@code path} on a bpffs, where it outlives this process and other processes can open it with
     * {@link #openPinned}, until the file is removed ({@link #unpin(Path)}).
     *
     * @throws BusyException when something is pinned there already
     */
    public void pin(Path path) {
        fd.pin(path);
        pinnedAt = Optional.of(path);
    }

    /**
     * Where this map is pinned, as this object knows it: by {@link #pin}, by the loader
     * ({@code LIBBPF_PIN_BY_NAME}, pinned or found pinned) or where {@link #openPinned} opened it; empty when none
     * of these happened or the pin has been removed since.
     */
    public Optional<Path> pinPath() {
        return pinnedAt.filter(Files::exists);
    }

    /**
     * Removes the pin at {@code path}; the map lives on while descriptors or programs hold it. Only a map's pin: a
     * link's is refused, since removing it could detach a program ({@link BpfLink#unpin()} removes that one).
     *
     * @throws NotFoundException when nothing is pinned there
     * @throws io.github.bpf2java.ebpf.error.BpfException when what is pinned there is not a map (a link, a
     *         program), or the path is not on a bpffs
     */
    public static void unpin(Path path) {
        Pins.open(path, 0, "map", "a pinned link is unpinned with BpfLink.openPinned(path).unpin(), which "
                + "detaches its program once nothing else holds the link").close();
        try {
            Files.delete(path);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("unlink", Errno.ENOENT.number(),
                    "pin " + path, "nothing is pinned there");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pin " + path, e);
        }
    }

    /**
     * Opens the map pinned at {@code path} (by this or another process) as a map of its own, which the caller
     * closes. Its spec is what the kernel reports: name, type, sizes and flags.
     *
     * @throws NotFoundException when nothing is pinned there
     * @throws io.github.bpf2java.ebpf.error.BpfException when what is pinned there is not a map (a link, a program)
     */
    public static BpfMap openPinned(Path path) {
        return openPinned(path, false);
    }

    /**
     * Opens the map pinned at {@code path} for reading only ({@code BPF_F_RDONLY}), as {@link #openPinned(Path)}
     * otherwise. The pin then needs only read permission: a monitoring process can read a map whose pin it may not
     * write. Lookups, iteration, batch lookups and {@link #memory()} (mapped read-only) work; every write (update,
     * delete, lookup-and-delete, freeze) throws a {@link io.github.bpf2java.ebpf.error.PermissionException} that
     * says the map was opened read-only.
     *
     * @throws NotFoundException when nothing is pinned there
     */
    public static BpfMap openPinnedReadOnly(Path path) {
        return openPinned(path, true);
    }

    /**
     * Creates a map of its own, outside any object, empty, which the caller closes: for maps made at run time, such
     * as the inner maps of a map-in-map, one per tenant or per rule set, made from the template the C declaration
     * describes:
     *
     * <pre>{@code
     * MapSpec template = outer.spec().innerMap().orElseThrow();
     * try (BpfMap tenant = BpfMap.create(template.toBuilder().name("tenant_7").build())) {
     *     outer.putMap(7, tenant);    // the outer map holds it from here on, also after close()
     *     TypedMap<Integer, Long> counters = TypedMap.of(tenant, Codecs.U32, Codecs.U64);
     *     ...
     * }
     * }</pre>
     *
     * <p>A ring buffer's size and a perf event array's entries are checked and defaulted as an object's loader does.
     * The map has no BTF types (there is no object BTF to take them from); typed access goes through
     * {@link TypedMap#of}.
     *
     * @throws IllegalArgumentException for what only an object's loader can make: global data, {@code .kconfig},
     *                                  struct_ops, and maps with initial slots or contents
     * @throws io.github.bpf2java.ebpf.error.BpfException when a size the kernel needs is 0
     * @throws KernelException when the kernel refuses the map
     */
    public static BpfMap create(MapSpec spec) {
        Objects.requireNonNull(spec, "spec");
        MapFd created = MapFactory.createStandalone(spec);
        try {
            return new BpfMap(spec.toBuilder().maxEntries(created.maxEntries()).valueSize(created.valueSize())
                    .keySize(created.keySize()).flags(created.flags()).typeIds(0, 0).build(), created, true,
                    Optional.empty());
        } catch (RuntimeException e) {
            created.close();
            throw e;
        }
    }

    /**
     * Opens the map with kernel id {@code id} (as {@code bpftool map show} lists, {@link BpfMapInfo#id()} reports,
     * or a map-in-map's {@link #lookup(byte[])} returns for a slot, as a {@code __u32}) as a map of its own, which the
     * caller closes. Its spec is what the kernel reports: name, type, sizes and flags.
     *
     * @throws NotFoundException when no map has that id (any more)
     * @throws io.github.bpf2java.ebpf.error.PermissionException without {@code CAP_SYS_ADMIN}, which the kernel
     *                                                            asks for to open objects by id
     */
    public static BpfMap openById(int id) {
        return fromKernel(MapFd.byId(id), "the map with id " + id, Optional.empty());
    }

    private static BpfMap openPinned(Path path, boolean readOnly) {
        // BPF_OBJ_GET opens a pinned link or program as well; its info read as a map's would be nonsense.
        Fd pinned = Pins.open(path, readOnly ? Pins.RDONLY : 0, "map", "open a pinned link with BpfLink.openPinned");
        return fromKernel(MapFd.adopt(pinned, readOnly), "the map pinned at " + path, Optional.of(path));
    }

    private static BpfMap fromKernel(MapFd opened, String what, Optional<Path> pinnedAt) {
        try {
            MapInfo info = opened.info();
            MapType type = info.type().orElseThrow(() -> new IllegalStateException(what + " has type "
                    + info.typeValue() + ", which this runtime does not know"));
            MapSpec spec = MapSpec.builder(info.name(), MapSpec.MapKind.BTF_DEFINED, type)
                    .keySize(info.keySize())
                    .valueSize(info.valueSize())
                    .maxEntries(info.maxEntries())
                    .flags(info.flags())
                    .mapExtra(info.mapExtra())
                    .build();
            return new BpfMap(spec, opened, true, pinnedAt);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    /**
     * Closes a map made by {@link #create} or opened by {@link #openPinned}, {@link #openPinnedReadOnly} or
     * {@link #openById}; for a map of a {@link BpfObject} this does nothing, as the object closes it. The kernel map
     * lives on while a program, a pin or a map of maps holds it.
     */
    @Override
    public void close() {
        if (standalone) {
            closeMemory();
            fd.close();
        }
    }

    MapFd handle() {
        return fd;
    }

    private int perCpuStride() {
        return (fd.valueSize() + 7) & ~7;
    }

    private void requirePerCpu(String operation) {
        if (!spec.type().isPerCpu()) {
            throw wrongType(", not per-CPU; use " + (operation.startsWith("lookup") ? "lookup" : "update")
                    + " instead of " + operation);
        }
    }

    /** The refusal of a call this map's type does not take: {@code rest} says what does. */
    private IllegalStateException wrongType(String rest) {
        return new IllegalStateException("map '" + name() + "' is a map of type " + type() + rest);
    }

    /**
     * Refuses key bytes for local storage, whose key is a descriptor of the entry's owner: a number written by hand
     * (a pid, say) would be taken for whatever descriptor of this process has it.
     */
    private void requireKeyedByJava() {
        if (spec.type().isLocalStorage()) {
            throw new IllegalStateException("map '" + name() + "' is " + spec.type() + " local storage: its key is a "
                    + "descriptor of the entry's owner, not bytes to write; use lookup(StorageOwner), "
                    + "update(StorageOwner, ...), delete(StorageOwner) or TypedStorage");
        }
    }

    /** Refuses a codec for this map's values whose size is not theirs (the typed views of keyless maps). */
    void requireValueCodec(Codec<?> value) {
        if (value.size() != valueSize()) {
            throw new IllegalArgumentException("map '" + name() + "' has " + valueSize() + "-byte values, but "
                    + value + " has " + value.size() + " bytes");
        }
    }

    private void requireSingleValue(String instead) {
        if (spec.type().isPerCpu()) {
            throw new IllegalStateException("map '" + name() + "' is a per-CPU " + spec.type()
                    + " map holding one value per CPU; use " + instead);
        }
    }

    @Override
    public String toString() {
        return "BpfMap[" + name() + ", " + type() + ", " + fd.fd() + "]";
    }

    /** How {@link #update} treats an existing key: {@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}. */
    public enum UpdateFlag {
        /** {@code BPF_ANY}: create or replace. */
        ANY(0),
        /** {@code BPF_NOEXIST}: create only. */
        NO_EXIST(1),
        /** {@code BPF_EXIST}: replace only. */
        EXIST(2),
        /** {@code BPF_F_LOCK}: update a value holding a {@code bpf_spin_lock} under that lock. */
        LOCK(4);

        private final long value;

        UpdateFlag(long value) {
            this.value = value;
        }

        /** The UAPI value. */
        public long value() {
            return value;
        }
    }
}

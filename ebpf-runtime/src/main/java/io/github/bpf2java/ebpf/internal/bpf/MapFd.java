package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An open BPF map: its file descriptor together with the geometry needed to size every buffer the kernel reads or
 * writes, so that a wrong-sized key or value is an {@link IllegalArgumentException} rather than a kernel write past
 * the end of native memory. Element calls are thread-safe and allocation-free: each thread reuses its own native
 * {@code bpf_attr}.
 *
 * <p>Three ways to pass keys and values, from most to least convenient: arrays (copied through a per-thread
 * staging area), direct {@link ByteBuffer}s (read and written in place at their position; positions are not
 * changed), and raw native addresses (the C libbpf path: nothing but the syscall).
 *
 * <p>Values of per-CPU maps hold one slot per possible CPU, each {@code valueSize} rounded up to 8 bytes; see
 * {@link #valueBufferSize()}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class MapFd implements AutoCloseable {
    private final Fd fd;
    private final int typeValue;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final String name;
    private final int valueBufferSize;
    // Whether keys are indices below max_entries (arrays and their kin), fixed here so that the error path of an
    // absent key, a normal result of hash lookups, allocates nothing to find out.
    private final boolean indexed;
    // Opened with BPF_F_RDONLY: the kernel refuses every write with EPERM, which errors then explain.
    private final boolean readOnly;
    // One per thread, shared by every map: a scratch per map and thread would hold native memory for each map a
    // thread ever touched until the garbage collector got to it. Element calls never nest, so sharing is safe.
    private static final ThreadLocal<ElementScratch> SCRATCH = ThreadLocal.withInitial(ElementScratch::new);

    private MapFd(Fd fd, int typeValue, int keySize, int valueSize, int maxEntries, int flags, String name,
            boolean readOnly) {
        this.fd = fd;
        this.readOnly = readOnly;
        this.typeValue = typeValue;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.name = name;
        boolean perCpu = MapType.of(typeValue).map(MapType::isPerCpu).orElse(false);
        this.valueBufferSize = perCpu ? roundUp8(valueSize) * CpuList.possible().count() : valueSize;
        this.indexed = keySize == Integer.BYTES && MapType.of(typeValue).map(MapFd::isIndexed).orElse(false);
    }

    /**
     * Creates a map ({@code BPF_MAP_CREATE}).
     *
     * @throws KernelException naming the map: {@code NotSupportedException} when its type is newer than the kernel,
     *     {@code PermissionException} with the privileges hint, ...
     */
    public static MapFd create(MapCreateRequest request) {
        Memlock.ensureSufficient();
        int flags = request.flags() | (request.numaNode().isPresent() ? MapFlag.NUMA_NODE.value() : 0);
        Fd fd;
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.MapCreate.SIZE)) {
            attr.putInt(AttrLayout.MapCreate.MAP_TYPE, request.type().value())
                    .putInt(AttrLayout.MapCreate.KEY_SIZE, request.keySize())
                    .putInt(AttrLayout.MapCreate.VALUE_SIZE, request.valueSize())
                    .putInt(AttrLayout.MapCreate.MAX_ENTRIES, request.maxEntries())
                    .putInt(AttrLayout.MapCreate.MAP_FLAGS, flags)
                    .putInt(AttrLayout.MapCreate.INNER_MAP_FD, request.innerMap().map(Fd::raw).orElse(0))
                    .putInt(AttrLayout.MapCreate.NUMA_NODE, request.numaNode().orElse(0))
                    .putBytes(AttrLayout.MapCreate.MAP_NAME, ObjectName.field(request.name()))
                    .putInt(AttrLayout.MapCreate.MAP_IFINDEX, request.ifindex())
                    .putInt(AttrLayout.MapCreate.BTF_FD, request.btf().map(Fd::raw).orElse(0))
                    .putInt(AttrLayout.MapCreate.BTF_KEY_TYPE_ID, request.btfKeyTypeId())
                    .putInt(AttrLayout.MapCreate.BTF_VALUE_TYPE_ID, request.btfValueTypeId())
                    .putInt(AttrLayout.MapCreate.BTF_VMLINUX_VALUE_TYPE_ID, request.btfVmlinuxValueTypeId())
                    .putLong(AttrLayout.MapCreate.MAP_EXTRA, request.mapExtra());
            long result = BpfSyscall.invoke(BpfCommand.MAP_CREATE, attr, AttrLayout.MapCreate.SIZE);
            if (result < 0) {
                throw createError(request, (int) -result);
            }
            fd = Fd.adopt((int) result, request.subject());
        }
        try {
            return new MapFd(fd, request.type().value(), request.keySize(), request.valueSize(),
                    request.maxEntries(), flags, request.name(), false);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Wraps a map descriptor obtained elsewhere (a pin, an id, another process), reading its geometry from the
     * kernel. Takes ownership of {@code fd}, also when this fails.
     */
    public static MapFd adopt(Fd fd) {
        return adopt(fd, false);
    }

    /** As {@link #adopt(Fd)}, for a descriptor opened read-only ({@code BPF_F_RDONLY}) when {@code readOnly}. */
    public static MapFd adopt(Fd fd, boolean readOnly) {
        try {
            MapInfo info = MapInfo.of(fd);
            return new MapFd(fd, info.typeValue(), info.keySize(), info.valueSize(), info.maxEntries(),
                    info.flags(), info.name(), readOnly);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** Opens the map with system-wide id {@code id} ({@code BPF_MAP_GET_FD_BY_ID}). */
    public static MapFd byId(int id) {
        return adopt(ObjectIds.fdById(BpfCommand.MAP_GET_FD_BY_ID, id, "map id " + id));
    }

    /** Opens the map pinned at {@code path} ({@code BPF_OBJ_GET}). */
    public static MapFd fromPin(Path path) {
        return adopt(Pins.get(path, 0));
    }

    /** Whether the descriptor was opened read-only: lookups work, every write is refused. */
    public boolean readOnly() {
        return readOnly;
    }

    /** The descriptor. */
    public Fd fd() {
        return fd;
    }

    /** The raw {@code enum bpf_map_type} number. */
    public int typeValue() {
        return typeValue;
    }

    /** The map type, if this runtime knows its number. */
    public Optional<MapType> type() {
        return MapType.of(typeValue);
    }

    public int keySize() {
        return keySize;
    }

    /** The size of one value, as created (per CPU for per-CPU maps). */
    public int valueSize() {
        return valueSize;
    }

    /** The bytes a lookup writes: {@link #valueSize()}, or for per-CPU maps one 8-byte-aligned slot per CPU. */
    public int valueBufferSize() {
        return valueBufferSize;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** {@code map_flags}. */
    public int flags() {
        return flags;
    }

    /** The name given at creation (or the kernel's, for adopted maps). */
    public String name() {
        return name;
    }

    /** What the kernel reports about the map now. */
    public MapInfo info() {
        return MapInfo.of(fd);
    }

    // ---- arrays ------------------------------------------------------------------------------------------------

    /**
     * Copies the value stored under {@code key} into {@code value} ({@code BPF_MAP_LOOKUP_ELEM}).
     *
     * @param value exactly {@link #valueBufferSize()} bytes
     * @return whether the key was present; {@code value} is untouched when not
     */
    public boolean lookup(byte[] key, byte[] value) {
        return lookup(key, value, 0);
    }

    /** {@link #lookup(byte[], byte[])} with {@code flags} ({@code BPF_F_LOCK}). */
    public boolean lookup(byte[] key, byte[] value, long flags) {
        checkKey(key);
        checkValue(value.length);
        ElementScratch s = SCRATCH.get();
        NativeBuffer area = s.staging(valueOffset() + valueBufferSize);
        area.putBytes(0, key);
        boolean found = elementCall(s, BpfCommand.MAP_LOOKUP_ELEM, keyAddress(area),
                area.address() + valueOffset(), flags, true);
        if (found) {
            area.copyTo(valueOffset(), value);
        }
        return found;
    }

    /** {@code value} as 4 bytes in the host's byte order: an array index as a key, a descriptor's number as a value. */
    public static byte[] int32(int value) {
        return ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.nativeOrder()).putInt(0, value).array();
    }

    /**
     * Stores the number of {@code descriptor} under {@code key}: what program arrays, maps of maps and perf event
     * arrays hold. The descriptor is held through the call, so a close elsewhere cannot let its number reach another
     * object.
     */
    public void updateDescriptor(byte[] key, Fd descriptor) {
        try (Fd.Held held = descriptor.hold()) {
            update(key, int32(held.raw()), 0);
        }
    }

    /**
     * Whether a bloom filter may hold {@code value}: its {@code BPF_MAP_LOOKUP_ELEM} reads the value, where other maps
     * write one, and answers {@code ENOENT} for a value never added.
     */
    public boolean containsValue(byte[] value) {
        checkValue(value.length);
        ElementScratch s = SCRATCH.get();
        NativeBuffer area = s.staging(valueBufferSize);
        area.putBytes(0, value);
        return elementCall(s, BpfCommand.MAP_LOOKUP_ELEM, 0, area.address(), 0, true);
    }

    /**
     * Stores {@code value} under {@code key} ({@code BPF_MAP_UPDATE_ELEM}).
     *
     * @param flags {@code BPF_ANY} (0), {@code BPF_NOEXIST} (1), {@code BPF_EXIST} (2), or'ed with {@code BPF_F_LOCK}
     * @throws io.github.bpf2java.ebpf.error.BusyException when {@code BPF_NOEXIST} was given and the key exists
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when {@code BPF_EXIST} was given and the key does not
     */
    public void update(byte[] key, byte[] value, long flags) {
        checkKey(key);
        checkValue(value.length);
        ElementScratch s = SCRATCH.get();
        NativeBuffer area = s.staging(valueOffset() + valueBufferSize);
        area.putBytes(0, key).putBytes(valueOffset(), value);
        elementCall(s, BpfCommand.MAP_UPDATE_ELEM, keyAddress(area), area.address() + valueOffset(), flags, false);
    }

    /** Removes {@code key} ({@code BPF_MAP_DELETE_ELEM}); returns whether it was present. */
    public boolean delete(byte[] key) {
        checkKey(key);
        ElementScratch s = SCRATCH.get();
        NativeBuffer area = s.staging(keySize);
        area.putBytes(0, key);
        return elementCall(s, BpfCommand.MAP_DELETE_ELEM, keyAddress(area), 0, 0, true);
    }

    /**
     * The key after {@code key} in the kernel's iteration order ({@code BPF_MAP_GET_NEXT_KEY}).
     *
     * @param key  the current key, or {@code null} for the first
     * @param next receives the next key; exactly {@link #keySize()} bytes
     * @return false when {@code key} was the last
     */
    public boolean nextKey(byte[] key, byte[] next) {
        if (key != null) {
            checkKey(key);
        }
        checkKey(next);
        ElementScratch s = SCRATCH.get();
        NativeBuffer area = s.staging(2 * keySize);
        if (key != null) {
            area.putBytes(0, key);
        }
        boolean more = elementCall(s, BpfCommand.MAP_GET_NEXT_KEY, key == null ? 0 : area.address(),
                area.address() + keySize, 0, true);
        if (more) {
            area.copyTo(keySize, next);
        }
        return more;
    }

    /**
     * Removes {@code key} and copies its value into {@code value} ({@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}); for
     * queues and stacks, whose key size is 0, pops the next element.
     *
     * @return false when the key was absent (or the queue empty)
     */
    public boolean lookupAndDelete(byte[] key, byte[] value) {
        checkKey(key);
        checkValue(value.length);
        ElementScratch s = SCRATCH.get();
        NativeBuffer area = s.staging(valueOffset() + valueBufferSize);
        area.putBytes(0, key);
        boolean found = elementCall(s, BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM, keyAddress(area),
                area.address() + valueOffset(), 0, true);
        if (found) {
            area.copyTo(valueOffset(), value);
        }
        return found;
    }

    // ---- direct buffers ----------------------------------------------------------------------------------------

    /**
     * Looks up without copying: reads the key at {@code key}'s position, writes the value at {@code value}'s
     * position. Both buffers must be direct, with at least {@link #keySize()} and {@link #valueBufferSize()}
     * remaining bytes.
     *
     * @return whether the key was present
     */
    public boolean lookup(ByteBuffer key, ByteBuffer value) {
        checkDirect(key, keySize, "key");
        checkDirect(value, valueBufferSize, "value");
        if (value.isReadOnly()) {
            throw new IllegalArgumentException(subject() + ": the value buffer is read-only");
        }
        ElementScratch s = SCRATCH.get();
        return elementCall(s, BpfCommand.MAP_LOOKUP_ELEM, keyAddress(s, key), s.valueAddress(value), 0, true);
    }

    /** {@link #update(byte[], byte[], long)} reading from direct buffers at their positions. */
    public void update(ByteBuffer key, ByteBuffer value, long flags) {
        checkDirect(key, keySize, "key");
        checkDirect(value, valueBufferSize, "value");
        ElementScratch s = SCRATCH.get();
        elementCall(s, BpfCommand.MAP_UPDATE_ELEM, keyAddress(s, key), s.valueAddress(value), flags, false);
    }

    /** {@link #delete(byte[])} reading the key from a direct buffer at its position. */
    public boolean delete(ByteBuffer key) {
        checkDirect(key, keySize, "key");
        ElementScratch s = SCRATCH.get();
        return elementCall(s, BpfCommand.MAP_DELETE_ELEM, keyAddress(s, key), 0, 0, true);
    }

    // ---- native addresses --------------------------------------------------------------------------------------

    /**
     * Looks up with keys and values in native memory the caller owns: nothing but the syscall. The caller
     * guarantees {@link #keySize()} readable bytes at {@code keyAddress} and {@link #valueBufferSize()} writable
     * bytes at {@code valueAddress}; nothing here can check it.
     */
    public boolean lookup(long keyAddress, long valueAddress) {
        return elementCall(SCRATCH.get(), BpfCommand.MAP_LOOKUP_ELEM, keyAddress, valueAddress, 0, true);
    }

    /** {@link #update(byte[], byte[], long)} from native memory the caller owns; see {@link #lookup(long, long)}. */
    public void update(long keyAddress, long valueAddress, long flags) {
        elementCall(SCRATCH.get(), BpfCommand.MAP_UPDATE_ELEM, keyAddress, valueAddress, flags, false);
    }

    /** {@link #delete(byte[])} from native memory the caller owns; see {@link #lookup(long, long)}. */
    public boolean delete(long keyAddress) {
        return elementCall(SCRATCH.get(), BpfCommand.MAP_DELETE_ELEM, keyAddress, 0, 0, true);
    }

    /** {@link #nextKey(byte[], byte[])} in native memory the caller owns; {@code keyAddress} 0 for the first. */
    public boolean nextKey(long keyAddress, long nextKeyAddress) {
        return elementCall(SCRATCH.get(), BpfCommand.MAP_GET_NEXT_KEY, keyAddress, nextKeyAddress, 0, true);
    }

    // ---- whole map ---------------------------------------------------------------------------------------------

    /** Makes the map read-only for user space from now on ({@code BPF_MAP_FREEZE}); programs can still write. */
    public void freeze() {
        try (Fd.Held held = fd.hold(); NativeBuffer attr = new NativeBuffer(AttrLayout.MapElem.SIZE)) {
            attr.putInt(AttrLayout.MapElem.MAP_FD, held.raw());
            long result = BpfSyscall.invoke(BpfCommand.MAP_FREEZE, attr, AttrLayout.MapElem.SIZE);
            if (result < 0) {
                throw failure(BpfCommand.MAP_FREEZE, (int) -result, null);
            }
        }
    }

    /**
     * Reads up to {@code maxCount} elements in one call ({@code BPF_MAP_LOOKUP_BATCH}, or with {@code delete}
     * {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}).
     *
     * @param token    where to continue: {@code null} to start, else {@link BatchLookup#nextToken()} of the
     *                 previous call
     * @param maxCount how many elements at most
     * @throws KernelException with {@code ENOSPC} when a hash bucket holds more than {@code maxCount} elements
     */
    public BatchLookup lookupBatch(byte[] token, int maxCount, boolean delete) {
        if (maxCount <= 0) {
            throw new IllegalArgumentException(subject() + ": batch size must be positive: " + maxCount);
        }
        // Hash maps use a 4-byte bucket index as token, array-like maps a key: room for either.
        int tokenSize = Math.max(keySize, 8);
        if (token != null && token.length != tokenSize) {
            throw new IllegalArgumentException(subject() + ": batch token must be the one the last call returned");
        }
        BpfCommand cmd = delete ? BpfCommand.MAP_LOOKUP_AND_DELETE_BATCH : BpfCommand.MAP_LOOKUP_BATCH;
        try (NativeBuffer in = token == null ? null : NativeBuffer.of(token);
                NativeBuffer out = new NativeBuffer(tokenSize);
                NativeBuffer keys = new NativeBuffer((long) maxCount * keySize);
                NativeBuffer values = new NativeBuffer((long) maxCount * valueBufferSize);
                NativeBuffer attr = new NativeBuffer(AttrLayout.Batch.SIZE);
                Fd.Held held = fd.hold()) {
            attr.putPointer(AttrLayout.Batch.IN_BATCH, in)
                    .putPointer(AttrLayout.Batch.OUT_BATCH, out)
                    .putPointer(AttrLayout.Batch.KEYS, keys)
                    .putPointer(AttrLayout.Batch.VALUES, values)
                    .putInt(AttrLayout.Batch.COUNT, maxCount)
                    .putInt(AttrLayout.Batch.MAP_FD, held.raw());
            long result = BpfSyscall.invoke(cmd, attr, AttrLayout.Batch.SIZE);
            boolean finished = result == -Errno.ENOENT.number();
            if (result < 0 && !finished) {
                throw failure(cmd, (int) -result,
                        Errno.ENOSPC.is((int) -result) ? "a hash bucket holds more elements than the batch size "
                                + maxCount + "; retry with a larger batch" : null);
            }
            int count = attr.getInt(AttrLayout.Batch.COUNT);
            return new BatchLookup(count, keys.getBytes(0, count * keySize),
                    values.getBytes(0, count * valueBufferSize), keySize, valueBufferSize,
                    finished ? Optional.empty() : Optional.of(out.getBytes(0, tokenSize)));
        }
    }

    /** Set in the result of {@link #lookupBatch(long, long, long, long, int, boolean)} when the map is exhausted. */
    public static final long BATCH_FINISHED = 1L << 32;

    /** The size of a batch token ({@code in_batch}/{@code out_batch}): a hash bucket index or an array key. */
    public int batchTokenSize() {
        return Math.max(keySize, 8);
    }

    /**
     * {@code BPF_MAP_LOOKUP_BATCH} (or with {@code delete} {@code BPF_MAP_LOOKUP_AND_DELETE_BATCH}) on native memory
     * the caller owns: nothing but the syscall. The caller guarantees {@link #batchTokenSize()} bytes at the token
     * addresses, {@code maxCount} keys and {@code maxCount} values of {@link #valueBufferSize()} bytes.
     *
     * @param inToken  where to continue, 0 to start from the beginning
     * @param outToken receives where the next call continues
     * @return how many elements were read, or'ed with {@link #BATCH_FINISHED} when the map has been read to its end
     * @throws KernelException with {@code ENOSPC} when a hash bucket holds more than {@code maxCount} elements, and
     *     {@code EINVAL}/{@code ENOTSUPP}/{@code EOPNOTSUPP} when the kernel or the map type has no batch lookup
     */
    public long lookupBatch(long inToken, long outToken, long keys, long values, int maxCount, boolean delete) {
        if (maxCount <= 0) {
            throw new IllegalArgumentException(subject() + ": batch size must be positive: " + maxCount);
        }
        BpfCommand cmd = delete ? BpfCommand.MAP_LOOKUP_AND_DELETE_BATCH : BpfCommand.MAP_LOOKUP_BATCH;
        ElementScratch s = SCRATCH.get();
        NativeBuffer attr = s.batchAttr();
        long result;
        int raw = fd.acquire();
        try {
            attr.putLong(AttrLayout.Batch.IN_BATCH, inToken)
                    .putLong(AttrLayout.Batch.OUT_BATCH, outToken)
                    .putLong(AttrLayout.Batch.KEYS, keys)
                    .putLong(AttrLayout.Batch.VALUES, values)
                    .putInt(AttrLayout.Batch.COUNT, maxCount)
                    .putInt(AttrLayout.Batch.MAP_FD, raw)
                    .putLong(AttrLayout.Batch.ELEM_FLAGS, 0)
                    .putLong(AttrLayout.Batch.FLAGS, 0);
            result = BpfSyscall.invoke(cmd, attr, AttrLayout.Batch.SIZE);
        } finally {
            fd.release();
        }
        boolean finished = result == -Errno.ENOENT.number();
        if (result < 0 && !finished) {
            int errno = (int) -result;
            throw failure(cmd, errno, Errno.ENOSPC.is(errno)
                    ? "a hash bucket holds more elements than the batch size " + maxCount
                            + "; retry with a larger batch" : null);
        }
        return attr.getInt(AttrLayout.Batch.COUNT) | (finished ? BATCH_FINISHED : 0);
    }

    /**
     * Stores {@code count} elements in one call ({@code BPF_MAP_UPDATE_BATCH}).
     *
     * @param keys      {@code count} keys back to back
     * @param values    {@code count} values back to back, each {@link #valueBufferSize()} bytes
     * @param elemFlags {@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}, {@code BPF_F_LOCK}
     * @return how many were stored (all, unless an exception is thrown)
     */
    public int updateBatch(byte[] keys, byte[] values, int count, long elemFlags) {
        checkBatch(keys.length, keySize, count, "keys");
        checkBatch(values.length, valueBufferSize, count, "values");
        try (NativeBuffer k = NativeBuffer.of(keys);
                NativeBuffer v = NativeBuffer.of(values);
                NativeBuffer attr = new NativeBuffer(AttrLayout.Batch.SIZE);
                Fd.Held held = fd.hold()) {
            attr.putPointer(AttrLayout.Batch.KEYS, k)
                    .putPointer(AttrLayout.Batch.VALUES, v)
                    .putInt(AttrLayout.Batch.COUNT, count)
                    .putInt(AttrLayout.Batch.MAP_FD, held.raw())
                    .putLong(AttrLayout.Batch.ELEM_FLAGS, elemFlags);
            return batchWrite(BpfCommand.MAP_UPDATE_BATCH, attr, k.address(), count, elemFlags);
        }
    }

    /**
     * Removes {@code count} keys in one call ({@code BPF_MAP_DELETE_BATCH}).
     *
     * @return how many were removed
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when a key is absent; the ones before it are removed
     */
    public int deleteBatch(byte[] keys, int count) {
        checkBatch(keys.length, keySize, count, "keys");
        try (NativeBuffer k = NativeBuffer.of(keys);
                NativeBuffer attr = new NativeBuffer(AttrLayout.Batch.SIZE);
                Fd.Held held = fd.hold()) {
            attr.putPointer(AttrLayout.Batch.KEYS, k)
                    .putInt(AttrLayout.Batch.COUNT, count)
                    .putInt(AttrLayout.Batch.MAP_FD, held.raw());
            return batchWrite(BpfCommand.MAP_DELETE_BATCH, attr, k.address(), count, 0);
        }
    }

    /**
     * Whether the kernel has the batch command {@code cmd} for this map: asked with a batch of no elements, which a
     * kernel that has it answers without touching the map. A kernel before 5.6 answers {@code EINVAL} (an unknown
     * command), a map type without the operation {@code ENOTSUPP}.
     *
     * @throws KernelException for any other answer
     */
    public boolean hasBatch(BpfCommand cmd) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.Batch.SIZE);
                Fd.Held held = fd.hold()) {
            attr.putInt(AttrLayout.Batch.COUNT, 0).putInt(AttrLayout.Batch.MAP_FD, held.raw());
            long result = BpfSyscall.invoke(cmd, attr, AttrLayout.Batch.SIZE);
            if (result >= 0) {
                return true;
            }
            int errno = (int) -result;
            if (Errno.EINVAL.is(errno) || Errno.ENOTSUPP.is(errno) || Errno.EOPNOTSUPP.is(errno)) {
                return false;
            }
            throw failure(cmd, errno, null);
        }
    }

    /** Pins the map at {@code path} on a bpffs ({@code BPF_OBJ_PIN}). */
    public void pin(Path path) {
        Pins.pin(fd, path);
    }

    /** Closes the descriptor; the kernel frees the map when nothing else holds it. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return subject() + " " + fd;
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private static KernelException createError(MapCreateRequest request, int errno) {
        String feature = "map type " + request.type();
        return KernelErrors.newerThanKernel("BPF_MAP_CREATE", errno, request.subject(), feature,
                TypeAvailability.firstKernel(request.type())).orElseGet(() -> KernelErrors.forErrno(
                        "BPF_MAP_CREATE", errno, request.subject(), Errno.EINVAL.is(errno)
                                ? "check the sizes and flags for " + feature + " (key " + request.keySize()
                                        + ", value " + request.valueSize() + ", max_entries " + request.maxEntries()
                                        + ", flags 0x" + Integer.toHexString(request.flags()) + ")"
                                : null));
    }

    private boolean elementCall(ElementScratch s, BpfCommand cmd, long key, long value, long flags,
            boolean absentIsFalse) {
        NativeBuffer attr = s.attr;
        long result;
        // Held for the whole call: a close() meanwhile must not let the number reach another map.
        int raw = fd.acquire();
        try {
            attr.putInt(AttrLayout.MapElem.MAP_FD, raw)
                    .putLong(AttrLayout.MapElem.KEY, key)
                    .putLong(AttrLayout.MapElem.VALUE, value)
                    .putLong(AttrLayout.MapElem.FLAGS, flags);
            result = BpfSyscall.invoke(cmd, attr, AttrLayout.MapElem.SIZE);
        } finally {
            fd.release();
        }
        if (result >= 0) {
            return true;
        }
        int errno = (int) -result;
        if (absentIsFalse && Errno.ENOENT.is(errno) && !indexBeyondArray(key)) {
            return false;
        }
        throw elementError(cmd, errno, flags, key);
    }

    /**
     * Whether {@code key} is an index at or beyond an index-keyed map's {@code max_entries}: the kernel answers a
     * lookup of one with ENOENT, as if the slot were empty, where it is a mistake to report. Only on the error path.
     */
    private boolean indexBeyondArray(long key) {
        return indexed && key != 0
                && Integer.toUnsignedLong(NativeBuffer.intAt(key)) >= Integer.toUnsignedLong(maxEntries);
    }

    // The error path only: nothing here runs on a successful call.
    private KernelException elementError(BpfCommand cmd, int errno, long flags, long key) {
        if (type().map(MapType::isValueArray).orElse(false)
                && (cmd == BpfCommand.MAP_DELETE_ELEM || cmd == BpfCommand.MAP_LOOKUP_AND_DELETE_ELEM)
                && (Errno.EINVAL.is(errno) || Errno.ENOTSUPP.is(errno) || Errno.EOPNOTSUPP.is(errno))) {
            return arrayDeleteRefused(cmd.uapiName(), errno);
        }
        if ((cmd == BpfCommand.MAP_UPDATE_ELEM && Errno.E2BIG.is(errno) && indexed && key != 0)
                || (Errno.ENOENT.is(errno) && indexBeyondArray(key))) {
            // For arrays E2BIG means an index at or beyond max_entries, not a full map; ENOENT the same on lookup.
            long index = Integer.toUnsignedLong(NativeBuffer.intAt(key));
            String subject = subject();
            return new KernelException(KernelException.describe(cmd.uapiName(), errno, subject) + ": index " + index
                    + " is out of range: array '" + name + "' has max_entries " + maxEntries + " (indices 0.."
                    + (maxEntries - 1) + ")", cmd.uapiName(), errno, subject, "use an index below " + maxEntries
                    + ", or create the array larger (max_entries in C, or LoadOptions.builder().maxEntries(\""
                    + name + "\", n))", null);
        }
        String hint = null;
        if (cmd == BpfCommand.MAP_UPDATE_ELEM) {
            if (Errno.EEXIST.is(errno)) {
                hint = "the key exists and BPF_NOEXIST (flags " + flags + ") forbids replacing it";
            } else if (Errno.ENOENT.is(errno)) {
                hint = "the key is absent and BPF_EXIST (flags " + flags + ") forbids creating it";
            } else if (Errno.E2BIG.is(errno)) {
                hint = "the map is full: max_entries = " + maxEntries;
            }
        }
        if (Errno.EINVAL.is(errno) || Errno.ENOTSUPP.is(errno) || Errno.EOPNOTSUPP.is(errno)) {
            hint = "map type " + type().map(Enum::name).orElse(String.valueOf(typeValue))
                    + " may not support " + cmd.uapiName() + " from user space, or the flags " + flags
                    + " are not valid for it";
        }
        if (type().orElse(null) == MapType.STACK_TRACE && cmd == BpfCommand.MAP_UPDATE_ELEM
                && Errno.EINVAL.is(errno)) {
            hint = "a STACK_TRACE map is written only by programs (bpf_get_stackid); from user space its stacks are "
                    + "read and deleted, not written";
        }
        boolean deviceMap = type().map(t -> t == MapType.DEVMAP || t == MapType.DEVMAP_HASH).orElse(false);
        if (deviceMap && cmd == BpfCommand.MAP_UPDATE_ELEM && Errno.EINVAL.is(errno)) {
            // The kernel finds the interface by index in the writer's network namespace, not the map's or the
            // program's: an index from another namespace (a veth end moved into one) is EINVAL.
            hint = "a " + type().orElseThrow() + " value is an interface index (__u32, or struct bpf_devmap_val with "
                    + "a program's fd), looked up in the network namespace of the thread that writes it: check that "
                    + "the interface exists there (ip link), and write interfaces of another namespace from inside "
                    + "it (NetworkNamespace.run)";
        }
        boolean socketMap = type().map(t -> t == MapType.SOCKMAP || t == MapType.SOCKHASH).orElse(false);
        if (socketMap && cmd == BpfCommand.MAP_LOOKUP_ELEM && Errno.ENOSPC.is(errno)) {
            // Not a full map: a socket map's lookup from user space gives the socket's cookie, into 8 bytes only.
            hint = "a " + type().orElseThrow() + " lookup from user space returns the socket's cookie (a __u64), and "
                    + "only when the map's value is 8 bytes (__type(value, __u64)); this one's is " + valueSize
                    + "; keys() lists which keys hold a socket";
        } else if (socketMap && cmd == BpfCommand.MAP_UPDATE_ELEM && Errno.EOPNOTSUPP.is(errno)) {
            hint = "the kernel takes into a " + type().orElseThrow() + " TCP sockets that are connected or listening,"
                    + " UDP and Unix sockets; a TCP socket that is only bound (or closing) is refused";
        }
        if (Errno.EINVAL.is(errno) && type().orElse(null) == MapType.LPM_TRIE && key != 0
                && keySize > Integer.BYTES) {
            // An LPM trie refuses a prefix longer than its key's data: the usual mistake, e.g. /33 for IPv4.
            long prefixLength = Integer.toUnsignedLong(NativeBuffer.intAt(key));
            int bits = (keySize - Integer.BYTES) * 8;
            hint = prefixLength > bits
                    ? "the key's prefix length " + prefixLength + " is more than the " + bits + " bits of data an "
                            + "LPM_TRIE key of " + keySize + " bytes holds (a __u32 prefixlen, then the data)"
                    : "an LPM_TRIE key is a __u32 prefix length (at most " + bits + ") in host order, then the data "
                            + "in network order; the map needs BPF_F_NO_PREALLOC";
        }
        return failure(cmd, errno, hint);
    }

    /**
     * The refusal of deleting from an {@code ARRAY} or {@code PERCPU_ARRAY}, whose entries always exist: said before
     * any system call for batches, after the kernel's refusal for single elements.
     */
    public NotSupportedException arrayDeleteRefused(String operation, int errno) {
        String kind = type().map(Enum::name).orElse(String.valueOf(typeValue));
        return new NotSupportedException(KernelException.describe(operation, errno, subject()) + ": entries of an "
                + "array (" + kind + ") cannot be deleted: they always exist, from index 0 to max_entries - 1",
                operation, errno, subject(), "set the entry to zero instead (put(key, zero value)); to remove "
                        + "entries, or lookupAndDeleteBatch them, declare a hash-type map (HASH, PERCPU_HASH, "
                        + "LRU_HASH)");
    }

    /** Whether keys are a 32-bit index below {@code max_entries} (arrays of every kind). */
    public boolean indexed() {
        return indexed;
    }

    /** Map types indexed by a 32-bit index below {@code max_entries}, where an update beyond it is {@code E2BIG}. */
    private static boolean isIndexed(MapType type) {
        return switch (type) {
            case ARRAY, PERCPU_ARRAY, PROG_ARRAY, PERF_EVENT_ARRAY, CGROUP_ARRAY, ARRAY_OF_MAPS, SOCKMAP,
                    REUSEPORT_SOCKARRAY, DEVMAP, CPUMAP, XSKMAP -> true;
            default -> false;
        };
    }

    /**
     * {@code cmd} on this map failing with {@code errno}, with {@code hint} if not null: the one place that tells a
     * write refused because the descriptor is read-only (EPERM) from a privilege the process lacks.
     */
    private KernelException failure(BpfCommand cmd, int errno, String hint) {
        return readOnly && Errno.EPERM.is(errno) ? readOnlyRefusal(cmd, errno)
                : KernelErrors.forErrno(cmd.uapiName(), errno, subject(), hint);
    }

    private PermissionException readOnlyRefusal(BpfCommand cmd, int errno) {
        return new PermissionException(KernelException.describe(cmd.uapiName(), errno, subject())
                + ": the map was opened read-only, which allows lookups only", cmd.uapiName(), errno, subject(),
                "open it with BpfMap.openPinned(path) to write to it (that needs write permission on the pin)");
    }

    private int batchWrite(BpfCommand cmd, NativeBuffer attr, long keys, int count, long flags) {
        long result = BpfSyscall.invoke(cmd, attr, AttrLayout.Batch.SIZE);
        if (result >= 0) {
            return attr.getInt(AttrLayout.Batch.COUNT);
        }
        throw batchError(cmd, (int) -result, attr.getInt(AttrLayout.Batch.COUNT), keys, count, flags);
    }

    /**
     * The error of a batch update or delete. The kernel works element by element and, when one fails, writes back
     * how many were done before it; when it refuses the batch before the first element (a flag it does not take),
     * it writes nothing, so the count is still the one asked for.
     */
    private KernelException batchError(BpfCommand cmd, int errno, int done, long keys, int count, long flags) {
        boolean update = cmd == BpfCommand.MAP_UPDATE_BATCH;
        String verb = update ? "stored" : "removed";
        if (done < 0 || done >= count) {
            return failure(cmd, errno, "the kernel refused the batch as a whole: no element was " + verb
                    + (Errno.EINVAL.is(errno) && update ? "; a batch update takes the flags BPF_ANY, or BPF_F_LOCK for "
                            + "values holding a bpf_spin_lock (flags here: " + flags + ")" : ""));
        }
        // What the single-element command would have said about the element the kernel stopped at.
        BpfCommand single = update ? BpfCommand.MAP_UPDATE_ELEM : BpfCommand.MAP_DELETE_ELEM;
        KernelException element = elementError(single, errno, flags, keys + (long) done * keySize);
        String prefix = KernelException.describe(single.uapiName(), errno, subject());
        String line = element.getMessage().lines().findFirst().orElse("");
        String detail = line.startsWith(prefix) ? line.substring(prefix.length()).replaceFirst("^: ", "") : "";
        String about = Stream.of(detail, element.hint().orElse(""))
                .filter(s -> !s.isEmpty()).collect(Collectors.joining("; "));
        if (about.isEmpty() && !update && Errno.ENOENT.is(errno)) {
            about = "its key is absent";
        }
        return failure(cmd, errno, "element " + done + " (counting from 0) failed, the " + done + " before it were "
                + verb + (about.isEmpty() ? "" : ": " + about));
    }

    // Maps without keys (queues, stacks, bloom filters) want a NULL key: the kernel refuses any other.
    private long keyAddress(NativeBuffer staged) {
        return keySize == 0 ? 0 : staged.address();
    }

    private long keyAddress(ElementScratch s, ByteBuffer key) {
        return keySize == 0 ? 0 : s.keyAddress(key);
    }

    private int valueOffset() {
        return roundUp8(keySize);
    }

    private void checkKey(byte[] key) {
        if (key.length != keySize) {
            throw new IllegalArgumentException(
                    subject() + ": key must be " + keySize + " bytes, got " + key.length);
        }
    }

    private void checkValue(int length) {
        if (length != valueBufferSize) {
            throw new IllegalArgumentException(subject() + ": value buffer must be " + valueBufferSize + " bytes"
                    + (valueBufferSize != valueSize ? " (one " + roundUp8(valueSize) + "-byte slot per possible CPU)"
                            : "") + ", got " + length);
        }
    }

    private void checkDirect(ByteBuffer buffer, int size, String what) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException(subject() + ": the " + what + " buffer must be direct");
        }
        if (buffer.remaining() < size) {
            throw new IllegalArgumentException(subject() + ": the " + what + " buffer needs " + size
                    + " remaining bytes, has " + buffer.remaining());
        }
    }

    private void checkBatch(int length, int elementSize, int count, String what) {
        if (count <= 0 || (long) count * elementSize != length) {
            throw new IllegalArgumentException(subject() + ": " + what + " must be " + count + " x " + elementSize
                    + " bytes, got " + length);
        }
    }

    private String subject() {
        return name.isEmpty() ? "map " + fd : "map '" + name + "'";
    }

    private static int roundUp8(int n) {
        return (n + 7) & ~7;
    }
}

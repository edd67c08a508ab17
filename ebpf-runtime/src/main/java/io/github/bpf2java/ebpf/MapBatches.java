package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.BpfMap.UpdateFlag;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.bpf.BpfCommand;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The batch operations of one map: {@code BPF_MAP_*_BATCH} where the kernel has them for this map, and the same
 * results from single-element calls where it does not. Which applies is learned per operation from the first call:
 * when it fails with {@code EINVAL}, {@code ENOTSUPP} or {@code EOPNOTSUPP}, a batch of no elements asks whether
 * the kernel has the operation for this map (a kernel before 5.6 answers {@code EINVAL}, a map type without it
 * {@code ENOTSUPP}); only then does that operation of this map switch to single-element calls for good. Otherwise,
 * and for any later error, the error is the caller's: a kernel that has the operation answers {@code EINVAL} for a
 * flag or an element it refuses, too. The record of what applies is written racily on purpose: two threads learning
 * the same fact write the same value.
 */
final class MapBatches {
    private static final System.Logger LOG = System.getLogger(MapBatches.class.getName());
    static final int LOOKUP = 0;
    static final int LOOKUP_AND_DELETE = 1;
    static final int UPDATE = 2;
    static final int DELETE = 3;
    private static final BpfCommand[] COMMANDS = {BpfCommand.MAP_LOOKUP_BATCH,
            BpfCommand.MAP_LOOKUP_AND_DELETE_BATCH, BpfCommand.MAP_UPDATE_BATCH, BpfCommand.MAP_DELETE_BATCH};
    private static final String[] NAMES = {"BPF_MAP_LOOKUP_BATCH", "BPF_MAP_LOOKUP_AND_DELETE_BATCH",
            "BPF_MAP_UPDATE_BATCH", "BPF_MAP_DELETE_BATCH"};
    private static final int UNKNOWN = 0;
    private static final int KERNEL = 1;
    private static final int EMULATED = 2;

    private final BpfMap map;
    private final MapFd fd;
    private final int[] support = new int[4];

    MapBatches(BpfMap map, MapFd fd) {
        this.map = map;
        this.fd = fd;
    }

    /** Whether {@code operation}'s batches are made of single-element calls on this map (known after a call). */
    boolean emulated(int operation) {
        return support[operation] == EMULATED;
    }

    // ---- lookup ------------------------------------------------------------------------------------------------

    List<Map.Entry<byte[], byte[]>> lookup(MapBatchCursor cursor, int maxCount, boolean delete) {
        if (maxCount <= 0) {
            throw new IllegalArgumentException("map '" + map.name() + "': batch size must be positive: " + maxCount);
        }
        int keySize = fd.keySize();
        int valueSize = fd.valueBufferSize();
        ByteBuffer keys = ByteBuffer.allocateDirect(Math.multiplyExact(maxCount, keySize));
        ByteBuffer values = ByteBuffer.allocateDirect(Math.multiplyExact(maxCount, valueSize));
        int count = lookup(cursor, keys, values, delete);
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = new byte[keySize];
            byte[] value = new byte[valueSize];
            keys.get(i * keySize, key);
            values.get(i * valueSize, value);
            entries.add(Map.entry(key, value));
        }
        return entries;
    }

    /** How the elements of a map without keys are read instead. */
    private String withoutKeysHint() {
        return switch (map.type()) {
            case RINGBUF -> "read its records with RingBufferReader";
            case USER_RINGBUF -> "programs drain it; write records into it with UserRingBuffer";
            default -> "pop its elements with lookupAndDelete (or TypedQueue)";
        };
    }

    int lookup(MapBatchCursor cursor, ByteBuffer keys, ByteBuffer values, boolean delete) {
        if (delete) {
            refuseArrayDelete(NAMES[LOOKUP_AND_DELETE]);
        }
        int keySize = fd.keySize();
        int valueSize = fd.valueBufferSize();
        if (keySize == 0) {
            throw new IllegalStateException("map '" + map.name() + "' (" + map.type() + ") has no keys to walk in"
                    + " batches; " + withoutKeysHint());
        }
        requireDirect(keys, "keys");
        requireDirect(values, "values");
        if (values.isReadOnly()) {
            throw new IllegalArgumentException("map '" + map.name() + "': the values buffer is read-only");
        }
        int maxCount = Math.min(keys.remaining() / keySize, values.remaining() / valueSize);
        if (maxCount <= 0) {
            throw new IllegalArgumentException("map '" + map.name() + "': the buffers hold no whole element (keys "
                    + keySize + " bytes, values " + valueSize + " bytes each)");
        }
        cursor.bind(map, fd.batchTokenSize());
        if (cursor.done()) {
            return 0;
        }
        long keyAddress = NativeBuffer.addressOf(keys) + keys.position();
        long valueAddress = NativeBuffer.addressOf(values) + values.position();
        int operation = delete ? LOOKUP_AND_DELETE : LOOKUP;
        // A walk begun one way continues that way.
        if (support[operation] != EMULATED && cursor.lastKey == null) {
            try {
                long in = cursor.started ? NativeBuffer.addressOf(cursor.token) : 0;
                long result = fd.lookupBatch(in, NativeBuffer.addressOf(cursor.nextToken), keyAddress, valueAddress,
                        maxCount, delete);
                support[operation] = KERNEL;
                if ((result & MapFd.BATCH_FINISHED) != 0) {
                    cursor.finish();
                } else {
                    cursor.advance();
                }
                return (int) result;
            } catch (KernelException e) {
                if (!fallBack(operation, e) || cursor.started) {
                    throw e;
                }
            }
        }
        return delete ? emulatedLookupAndDelete(cursor, keyAddress, valueAddress, maxCount)
                : emulatedLookup(cursor, keys, keyAddress, valueAddress, maxCount);
    }

    private int emulatedLookup(MapBatchCursor cursor, ByteBuffer keys, long keyAddress, long valueAddress,
            int maxCount) {
        int keySize = fd.keySize();
        int valueSize = fd.valueBufferSize();
        long previous = 0;
        if (cursor.lastKey != null) {
            cursor.token.put(0, cursor.lastKey);
            previous = NativeBuffer.addressOf(cursor.token);
        }
        int count = 0;
        // Keys deleted between getting them and reading their value are skipped; the bound keeps a map that
        // changes faster than it can be read from holding this call forever.
        long budget = (long) maxCount + fd.maxEntries() + 16;
        while (count < maxCount && budget-- > 0) {
            long key = keyAddress + (long) count * keySize;
            if (!fd.nextKey(previous, key)) {
                cursor.finish();
                break;
            }
            previous = key;
            if (fd.lookup(key, valueAddress + (long) count * valueSize)) {
                count++;
            }
            // Else the key vanished: the next call continues after it, reading it from the slot it then overwrites
            // (the kernel copies the key in before it writes the next one out).
        }
        if (count > 0) {
            byte[] last = new byte[keySize];
            keys.get(keys.position() + (count - 1) * keySize, last);
            cursor.lastKey = last;
        }
        return count;
    }

    private int emulatedLookupAndDelete(MapBatchCursor cursor, long keyAddress, long valueAddress, int maxCount) {
        int keySize = fd.keySize();
        int valueSize = fd.valueBufferSize();
        int count = 0;
        long budget = (long) maxCount + fd.maxEntries() + 16;
        while (count < maxCount && budget-- > 0) {
            long key = keyAddress + (long) count * keySize;
            // Every element taken is deleted, so the first key is always the next one.
            if (!fd.nextKey(0, key)) {
                cursor.finish();
                break;
            }
            if (fd.lookup(key, valueAddress + (long) count * valueSize) && fd.delete(key)) {
                count++;
            }
        }
        return count;
    }

    // ---- update and delete -------------------------------------------------------------------------------------

    int update(List<byte[]> keys, List<byte[]> values, UpdateFlag flag) {
        if (keys.size() != values.size()) {
            throw new IllegalArgumentException("map '" + map.name() + "': " + keys.size() + " keys but "
                    + values.size() + " values");
        }
        if (flag == UpdateFlag.NO_EXIST || flag == UpdateFlag.EXIST) {
            // The UAPI header lists both for batches, but the kernel's batch update takes only BPF_F_LOCK as an
            // element flag and answers EINVAL to anything else, before storing any element.
            throw new IllegalArgumentException("map '" + map.name() + "': a batch update takes UpdateFlag.ANY (or "
                    + "LOCK), not " + flag + ": the kernel refuses " + flag + " for BPF_MAP_UPDATE_BATCH (EINVAL); "
                    + "store the entries one by one with update(key, value, " + flag + ") instead");
        }
        if (keys.isEmpty()) {
            return 0;
        }
        byte[] keyBytes = concat(keys, fd.keySize(), "key");
        byte[] valueBytes = concat(values, fd.valueBufferSize(), "value");
        if (support[UPDATE] != EMULATED) {
            try {
                int done = fd.updateBatch(keyBytes, valueBytes, keys.size(), flag.value());
                support[UPDATE] = KERNEL;
                return done;
            } catch (KernelException e) {
                if (!fallBack(UPDATE, e)) {
                    throw e;
                }
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            fd.update(keys.get(i), values.get(i), flag.value());
        }
        return keys.size();
    }

    int delete(List<byte[]> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        refuseArrayDelete(NAMES[DELETE]);
        byte[] keyBytes = concat(keys, fd.keySize(), "key");
        if (support[DELETE] != EMULATED) {
            try {
                int done = fd.deleteBatch(keyBytes, keys.size());
                support[DELETE] = KERNEL;
                return done;
            } catch (KernelException e) {
                if (!fallBack(DELETE, e)) {
                    throw e;
                }
            }
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!fd.delete(keys.get(i))) {
                // As the kernel's batch delete does: stop at the first absent key, the ones before it are deleted.
                throw KernelErrors.forErrno(NAMES[DELETE], Errno.ENOENT.number(), "map '" + map.name() + "'",
                        "key " + i + " is absent; the " + i + " keys before it were deleted");
            }
        }
        return keys.size();
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    /**
     * Whether {@code e}, from the first kernel batch of {@code operation}, means "no such batch operation": its errno
     * could say so, and a batch of no elements confirms it.
     */
    private boolean fallBack(int operation, KernelException e) {
        int errno = e.errno();
        boolean unsupported = Errno.EINVAL.is(errno) || Errno.ENOTSUPP.is(errno) || Errno.EOPNOTSUPP.is(errno);
        if (!unsupported || support[operation] == KERNEL) {
            return false;
        }
        if (fd.hasBatch(COMMANDS[operation])) {
            support[operation] = KERNEL;
            return false;
        }
        support[operation] = EMULATED;
        LOG.log(Level.DEBUG, () -> "map '" + map.name() + "' (" + map.type() + "): " + NAMES[operation] + " gave "
                + e.errnoName() + "; batches are made of single-element calls from now on");
        return true;
    }

    /**
     * Arrays have no deletion: said before any system call (the kernel answers {@code ENOTSUPP} for the batch, and
     * the single-element fallback would then report {@code EINVAL} of a call the user never made).
     */
    private void refuseArrayDelete(String operation) {
        if (map.type().isValueArray()) {
            throw fd.arrayDeleteRefused(operation, Errno.ENOTSUPP.number());
        }
    }

    private static void requireDirect(ByteBuffer buffer, String what) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("the " + what + " buffer of a batch must be direct");
        }
    }

    private byte[] concat(List<byte[]> parts, int size, String what) {
        byte[] all = new byte[Math.multiplyExact(parts.size(), size)];
        for (int i = 0; i < parts.size(); i++) {
            byte[] part = parts.get(i);
            if (part.length != size) {
                throw new IllegalArgumentException("map '" + map.name() + "': " + what + " " + i + " has "
                        + part.length + " bytes, the map's " + what + "s " + size);
            }
            System.arraycopy(part, 0, all, i * size, size);
        }
        return all;
    }
}

package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.spec.MapType;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A map created in the kernel, owned by its {@link BpfObject}. Keys and values are raw bytes in the host's byte
 * order; per-CPU maps take and give one value per possible CPU, each padded to 8 bytes.
 */
public final class BpfMap {
    // TODO(loader helper): implement.

    private BpfMap() {}

    public String name() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public MapType type() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public int keySize() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public int valueSize() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public int maxEntries() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public int fd() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The value stored under {@code key}, if any. */
    public Optional<byte[]> lookup(byte[] key) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Looks up without allocating: reads {@code key}'s remaining bytes, writes the value into {@code value}'s
     * remaining space. Both buffers must be direct.
     *
     * @return whether the key was present
     */
    public boolean lookup(ByteBuffer key, ByteBuffer value) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** One value per possible CPU, for per-CPU maps. */
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Stores {@code value} under {@code key}. */
    public void update(byte[] key, byte[] value, UpdateFlag flag) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Stores {@code value} under {@code key}, creating or replacing. */
    public void put(byte[] key, byte[] value) {
        update(key, value, UpdateFlag.ANY);
    }

    /** Removes {@code key}; returns whether it was present. */
    public boolean delete(byte[] key) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** A snapshot of the keys, in the kernel's iteration order. */
    public List<byte[]> keys() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** {@code BPF_ANY}, {@code BPF_NOEXIST}, {@code BPF_EXIST}, {@code BPF_F_LOCK}. */
    public enum UpdateFlag {
        ANY(0),
        NO_EXIST(1),
        EXIST(2),
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

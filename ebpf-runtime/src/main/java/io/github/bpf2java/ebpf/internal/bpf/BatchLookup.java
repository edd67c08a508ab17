package io.github.bpf2java.ebpf.internal.bpf;

import java.util.Arrays;
import java.util.Optional;

/**
 * The elements one {@code BPF_MAP_LOOKUP_BATCH} call returned.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param count     how many elements
 * @param keys      the keys back to back, {@code count * keySize} bytes
 * @param values    the values back to back, {@code count * valueSize} bytes (per-CPU: all CPUs' slots per value)
 * @param keySize   the size of one key
 * @param valueSize the size of one value in {@code values}
 * @param nextToken where the next call continues; empty when the map has been read to the end
 */
public record BatchLookup(int count, byte[] keys, byte[] values, int keySize, int valueSize,
        Optional<byte[]> nextToken) {

    /** The {@code i}th key. */
    public byte[] key(int i) {
        return Arrays.copyOfRange(keys, i * keySize, (i + 1) * keySize);
    }

    /** The {@code i}th value. */
    public byte[] value(int i) {
        return Arrays.copyOfRange(values, i * valueSize, (i + 1) * valueSize);
    }

    /** Whether the map has been read to the end. */
    public boolean finished() {
        return nextToken.isEmpty();
    }
}

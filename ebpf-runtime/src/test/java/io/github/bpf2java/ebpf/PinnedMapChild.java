package io.github.bpf2java.ebpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The other process of {@link PinningTest}: opens the map pinned at {@code args[0]}, prints the value under key 1
 * ({@code VALUE <n>}), and stores that value plus one under key 2 for the parent to read.
 */
public final class PinnedMapChild {
    private PinnedMapChild() {}

    public static void main(String[] args) {
        try (BpfMap map = BpfMap.openPinned(Path.of(args[0]))) {
            long value = ByteBuffer.wrap(map.lookup(key(1)).orElseThrow()).order(ByteOrder.nativeOrder())
                    .getLong(0);
            System.out.println("VALUE " + value);
            map.put(key(2), ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value + 1).array());
            System.out.println("WROTE " + (value + 1) + " to " + map);
        }
    }

    static byte[] key(int k) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, k).array();
    }
}

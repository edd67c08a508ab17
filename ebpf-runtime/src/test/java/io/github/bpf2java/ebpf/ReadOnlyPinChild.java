package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The other process of {@link PinningTest}'s read-only case, run without the capability to override file
 * permissions: opens the map pinned read-only at {@code args[0]} and prints the value under key 1 ({@code VALUE
 * <n>}), then what opening it for writing and writing through the read-only map give ({@code READ-WRITE: ...},
 * {@code WRITE: ...}).
 */
public final class ReadOnlyPinChild {
    private ReadOnlyPinChild() {}

    public static void main(String[] args) {
        Path pin = Path.of(args[0]);
        try (BpfMap map = BpfMap.openPinnedReadOnly(pin)) {
            long value = ByteBuffer.wrap(map.lookup(PinnedMapChild.key(1)).orElseThrow())
                    .order(ByteOrder.nativeOrder()).getLong(0);
            System.out.println("VALUE " + value);
            try (BpfMap writable = BpfMap.openPinned(pin)) {
                System.out.println("READ-WRITE opened " + writable);
            } catch (BpfException e) {
                System.out.println("READ-WRITE " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            try {
                map.put(PinnedMapChild.key(2), new byte[8]);
                System.out.println("WRITE done");
            } catch (BpfException e) {
                System.out.println("WRITE " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }
}

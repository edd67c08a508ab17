package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.MapInfo;
import io.github.bpf2java.ebpf.spec.MapType;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether an existing map (pinned, or handed over for reuse) can stand in for a map an object declares: same type,
 * key and value size, {@code max_entries}, flags and {@code map_extra}, as libbpf requires before it reuses one.
 *
 * @param type       the map type the object wants
 * @param keySize    its key size
 * @param valueSize  its value size (after overrides)
 * @param maxEntries its {@code max_entries} (after overrides)
 * @param flags      its {@code map_flags} (after overrides)
 * @param mapExtra   its {@code map_extra}
 */
public record MapCompatibility(MapType type, int keySize, int valueSize, int maxEntries, int flags, long mapExtra) {

    /**
     * Checks {@code existing} against what is wanted.
     *
     * @param what  the object's map, for the message, e.g. {@code map 'counts' of tracer}
     * @param where where the existing map came from, e.g. {@code pinned at /sys/fs/bpf/counts}
     * @param fix   how to resolve a mismatch
     * @throws BpfException listing every difference
     */
    void check(MapFd existing, String what, String where, String fix) {
        MapInfo info = existing.info();
        List<String> differences = new ArrayList<>();
        if (info.typeValue() != type.value()) {
            differences.add("type " + info.type().map(Enum::name).orElse("#" + info.typeValue()) + " instead of "
                    + type);
        }
        compare(differences, "key_size", info.keySize(), keySize);
        compare(differences, "value_size", info.valueSize(), valueSize);
        compare(differences, "max_entries", info.maxEntries(), maxEntries);
        if (info.flags() != flags) {
            differences.add("map_flags 0x" + Integer.toHexString(info.flags()) + " instead of 0x"
                    + Integer.toHexString(flags));
        }
        if (info.mapExtra() != mapExtra) {
            differences.add("map_extra " + info.mapExtra() + " instead of " + mapExtra);
        }
        if (!differences.isEmpty()) {
            throw new BpfException("the map " + where + " cannot be used as " + what + ": it has "
                    + String.join(", ", differences), fix, null);
        }
    }

    private static void compare(List<String> differences, String field, int existing, int wanted) {
        if (existing != wanted) {
            differences.add(field + " " + existing + " instead of " + wanted);
        }
    }
}

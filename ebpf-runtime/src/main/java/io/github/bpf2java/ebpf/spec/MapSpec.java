package io.github.bpf2java.ebpf.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One map as the object defines it.
 *
 * @param name         the map's name: the variable name for BTF-defined and legacy maps, the section name for
 *                     global data ({@code .rodata}, {@code .data}, {@code .bss}, {@code .rodata.foo}, {@code .kconfig})
 * @param kind         where the definition came from
 * @param type         the map type
 * @param keySize      key size in bytes
 * @param valueSize    value size in bytes
 * @param maxEntries   maximum number of entries
 * @param flags        {@code map_flags}
 * @param mapExtra     {@code map_extra} (bloom filter hash count, arena address)
 * @param numaNode     {@code numa_node}, meaningful only with {@code BPF_F_NUMA_NODE}
 * @param pinning      {@code LIBBPF_PIN_*} value: 0 none, 1 by name
 * @param keyTypeId    BTF type id of the key, 0 when unknown
 * @param valueTypeId  BTF type id of the value, 0 when unknown
 * @param innerMap     for map-in-map: the template of the inner map
 * @param initialSlots initial contents of a prog array or map-in-map, by index; for a struct_ops map, the programs
 *                     its function pointers name, by the byte offset of the pointer in the structure
 * @param contents     the bytes of a global data map's initial value that the object holds: the section's bytes,
 *                     none for {@code .bss} ({@code SHT_NOBITS}), whose value is all zeros; see {@link #contents()};
 *                     for a struct_ops map, the variable's bytes in the object's layout of the structure
 * @param sectionName  the ELF section the definition lives in
 */
public record MapSpec(
        String name,
        MapKind kind,
        MapType type,
        int keySize,
        int valueSize,
        int maxEntries,
        int flags,
        long mapExtra,
        int numaNode,
        int pinning,
        int keyTypeId,
        int valueTypeId,
        Optional<MapSpec> innerMap,
        List<InitialSlot> initialSlots,
        byte[] contents,
        String sectionName) {

    /** {@code BPF_F_RDONLY_PROG}: the program may only read the map. */
    public static final int BPF_F_RDONLY_PROG = 1 << 7;
    /** {@code BPF_F_MMAPABLE}. */
    public static final int BPF_F_MMAPABLE = 1 << 10;

    public MapSpec {
        initialSlots = List.copyOf(initialSlots);
        contents = contents.clone();
    }

    /**
     * A copy of the initial value: for a global data map, the section's bytes followed by zeros up to
     * {@link #valueSize()} (all zeros for {@code .bss}); for other maps, the bytes given. The zeros are made here,
     * when asked for, so reading an object whose {@code .bss} is large costs no memory for it.
     */
    @Override
    public byte[] contents() {
        if (kind == MapKind.GLOBAL_DATA && contents.length < valueSize) {
            return Arrays.copyOf(contents, valueSize);
        }
        return contents.clone();
    }

    /** Whether this map holds global variables of the program. */
    public boolean isGlobalData() {
        return kind == MapKind.GLOBAL_DATA;
    }

    /** Whether this is a read-only global data map ({@code .rodata*}), frozen after its contents are written. */
    public boolean isReadOnlyData() {
        return kind == MapKind.GLOBAL_DATA && name.startsWith(".rodata");
    }

    /** Where a map definition came from. */
    public enum MapKind {
        /** {@code SEC(".maps")} with {@code __uint}/{@code __type} fields. */
        BTF_DEFINED,
        /** {@code SEC("maps")} with a {@code struct bpf_map_def}. */
        LEGACY,
        /** A global data section turned into a single-entry array map. */
        GLOBAL_DATA,
        /** The {@code .kconfig} externs, filled in by the loader. */
        KCONFIG,
        /**
         * A variable in {@code SEC(".struct_ops")} or {@code SEC(".struct_ops.link")}: a kernel structure of
         * function pointers (e.g. {@code tcp_congestion_ops}, {@code sched_ext_ops}) that struct_ops programs
         * implement; its value type is the object's declaration of that structure.
         */
        STRUCT_OPS
    }

    /**
     * One initial element of a prog array or map-in-map: {@code values = { [2] = &prog }}; or one function pointer
     * of a struct_ops map: {@code .init = (void *)my_init}.
     *
     * @param index      the array index; for struct_ops, the byte offset of the pointer in the structure
     * @param targetName the program or map placed there
     */
    public record InitialSlot(int index, String targetName) {}
}

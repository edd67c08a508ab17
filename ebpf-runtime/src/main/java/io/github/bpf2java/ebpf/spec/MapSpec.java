package io.github.bpf2java.ebpf.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One map as the object defines it. Immutable; {@link #builder} makes one by naming each field, and
 * {@link #toBuilder()} a changed copy.
 */
public final class MapSpec {

    /** {@code BPF_F_RDONLY_PROG}: the program may only read the map. */
    public static final int BPF_F_RDONLY_PROG = 1 << 7;
    /** {@code BPF_F_MMAPABLE}. */
    public static final int BPF_F_MMAPABLE = 1 << 10;

    private final String name;
    private final MapKind kind;
    private final MapType type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final long mapExtra;
    private final int numaNode;
    private final int pinning;
    private final int keyTypeId;
    private final int valueTypeId;
    private final Optional<MapSpec> innerMap;
    private final List<InitialSlot> initialSlots;
    private final byte[] contents;
    private final String sectionName;

    private MapSpec(Builder b) {
        this.name = b.name;
        this.kind = b.kind;
        this.type = b.type;
        this.keySize = b.keySize;
        this.valueSize = b.valueSize;
        this.maxEntries = b.maxEntries;
        this.flags = b.flags;
        this.mapExtra = b.mapExtra;
        this.numaNode = b.numaNode;
        this.pinning = b.pinning;
        this.keyTypeId = b.keyTypeId;
        this.valueTypeId = b.valueTypeId;
        this.innerMap = b.innerMap;
        this.initialSlots = b.initialSlots;
        this.contents = b.contents.clone();
        this.sectionName = b.sectionName;
    }

    /**
     * A builder for a map named {@code name}, of {@code kind} and {@code type}; every other field starts at zero or
     * empty.
     *
     * @param name the map's name: the variable name for BTF-defined and legacy maps, the section name for global
     *             data ({@code .rodata}, {@code .data}, {@code .bss}, {@code .rodata.foo}, {@code .kconfig})
     * @param kind where the definition came from
     * @param type the map type
     */
    public static Builder builder(String name, MapKind kind, MapType type) {
        return new Builder(name, kind, type);
    }

    /**
     * A builder for a map made in Java ({@code BpfMap.create}), named {@code name}, of {@code type}: as
     * {@link #builder(String, MapKind, MapType)} with {@link MapKind#BTF_DEFINED}, the kind a map written in C today
     * has, e.g. {@code MapSpec.builder("counts", MapType.HASH).keySize(4).valueSize(8).maxEntries(1024).build()}.
     */
    public static Builder builder(String name, MapType type) {
        return builder(name, MapKind.BTF_DEFINED, type);
    }

    /** A builder holding this map's fields, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name, kind, type);
        b.keySize = keySize;
        b.valueSize = valueSize;
        b.maxEntries = maxEntries;
        b.flags = flags;
        b.mapExtra = mapExtra;
        b.numaNode = numaNode;
        b.pinning = pinning;
        b.keyTypeId = keyTypeId;
        b.valueTypeId = valueTypeId;
        b.innerMap = innerMap;
        b.initialSlots = initialSlots;
        b.contents = contents;
        b.sectionName = sectionName;
        return b;
    }

    /**
     * The map's name: the variable name for BTF-defined and legacy maps, the section name for global data
     * ({@code .rodata}, {@code .data}, {@code .bss}, {@code .rodata.foo}, {@code .kconfig}).
     */
    public String name() {
        return name;
    }

    /** Where the definition came from. */
    public MapKind kind() {
        return kind;
    }

    /** The map type. */
    public MapType type() {
        return type;
    }

    /** Key size in bytes. */
    public int keySize() {
        return keySize;
    }

    /** Value size in bytes. */
    public int valueSize() {
        return valueSize;
    }

    /** Maximum number of entries (for ring buffers, the size in bytes). */
    public int maxEntries() {
        return maxEntries;
    }

    /** {@code map_flags}. */
    public int flags() {
        return flags;
    }

    /** {@code map_extra} (bloom filter hash count, arena address). */
    public long mapExtra() {
        return mapExtra;
    }

    /** {@code numa_node}, meaningful only with {@code BPF_F_NUMA_NODE}. */
    public int numaNode() {
        return numaNode;
    }

    /** {@code LIBBPF_PIN_*} value: 0 none, 1 by name. */
    public int pinning() {
        return pinning;
    }

    /** BTF type id of the key, 0 when unknown. */
    public int keyTypeId() {
        return keyTypeId;
    }

    /** BTF type id of the value, 0 when unknown. */
    public int valueTypeId() {
        return valueTypeId;
    }

    /** For map-in-map: the template of the inner map. */
    public Optional<MapSpec> innerMap() {
        return innerMap;
    }

    /**
     * Initial contents of a prog array or map-in-map, by index; for a struct_ops map, the programs its function
     * pointers name, by the byte offset of the pointer in the structure.
     */
    public List<InitialSlot> initialSlots() {
        return initialSlots;
    }

    /** The ELF section the definition lives in. */
    public String sectionName() {
        return sectionName;
    }

    /**
     * A copy of the initial value: for a global data map, the section's bytes followed by zeros up to
     * {@link #valueSize()} (all zeros for {@code .bss}, which has no bytes in the file); for other maps, the bytes
     * given (for a struct_ops map, the variable's bytes in the object's layout of the structure). The zeros are made
     * here, when asked for, so reading an object whose {@code .bss} is large costs no memory for it.
     */
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

    @Override
    public boolean equals(Object o) {
        return o instanceof MapSpec m && name.equals(m.name) && kind == m.kind && type == m.type
                && keySize == m.keySize && valueSize == m.valueSize && maxEntries == m.maxEntries && flags == m.flags
                && mapExtra == m.mapExtra && numaNode == m.numaNode && pinning == m.pinning
                && keyTypeId == m.keyTypeId && valueTypeId == m.valueTypeId && innerMap.equals(m.innerMap)
                && initialSlots.equals(m.initialSlots) && Arrays.equals(contents, m.contents)
                && sectionName.equals(m.sectionName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, kind, type, keySize, valueSize, maxEntries, flags, sectionName);
    }

    @Override
    public String toString() {
        return "MapSpec[" + name + ", " + kind + ", " + type + ", key " + keySize + " B, value " + valueSize
                + " B, max_entries " + maxEntries + ", flags 0x" + Integer.toHexString(flags)
                + (sectionName.isEmpty() ? "" : ", section " + sectionName) + "]";
    }

    /** Makes a {@link MapSpec}, each field set by name; unset numbers are 0, unset lists empty. */
    public static final class Builder {
        private String name;
        private final MapKind kind;
        private final MapType type;
        private int keySize;
        private int valueSize;
        private int maxEntries;
        private int flags;
        private long mapExtra;
        private int numaNode;
        private int pinning;
        private int keyTypeId;
        private int valueTypeId;
        private Optional<MapSpec> innerMap = Optional.empty();
        private List<InitialSlot> initialSlots = List.of();
        private byte[] contents = new byte[0];
        private String sectionName = "";

        private Builder(String name, MapKind kind, MapType type) {
            this.name = Objects.requireNonNull(name, "name");
            this.kind = Objects.requireNonNull(kind, "kind");
            this.type = Objects.requireNonNull(type, "type");
        }

        /**
         * Renames the map: e.g. a copy of an inner-map template ({@link MapSpec#innerMap()}) for
         * {@code BpfMap.create}, named for what it holds.
         */
        public Builder name(String mapName) {
            this.name = Objects.requireNonNull(mapName, "name");
            return this;
        }

        /** Key size in bytes. */
        public Builder keySize(int bytes) {
            this.keySize = bytes;
            return this;
        }

        /** Value size in bytes. */
        public Builder valueSize(int bytes) {
            this.valueSize = bytes;
            return this;
        }

        /** Maximum number of entries (for ring buffers, the size in bytes). */
        public Builder maxEntries(int entries) {
            this.maxEntries = entries;
            return this;
        }

        /** {@code map_flags}. */
        public Builder flags(int mapFlags) {
            this.flags = mapFlags;
            return this;
        }

        /** {@code map_extra}. */
        public Builder mapExtra(long extra) {
            this.mapExtra = extra;
            return this;
        }

        /** {@code numa_node}. */
        public Builder numaNode(int node) {
            this.numaNode = node;
            return this;
        }

        /** {@code LIBBPF_PIN_*} value. */
        public Builder pinning(int libbpfPinning) {
            this.pinning = libbpfPinning;
            return this;
        }

        /** BTF type ids of the key and the value (0 when unknown). */
        public Builder typeIds(int keyTypeId, int valueTypeId) {
            this.keyTypeId = keyTypeId;
            this.valueTypeId = valueTypeId;
            return this;
        }

        /** The template of a map-in-map's inner map. */
        public Builder innerMap(Optional<MapSpec> inner) {
            this.innerMap = Objects.requireNonNull(inner, "inner");
            return this;
        }

        /** Initial slots of a prog array, map-in-map or struct_ops map. */
        public Builder initialSlots(List<InitialSlot> slots) {
            this.initialSlots = List.copyOf(slots);
            return this;
        }

        /** The initial value's bytes the object holds (copied). */
        public Builder contents(byte[] bytes) {
            this.contents = bytes.clone();
            return this;
        }

        /** The ELF section the definition lives in. */
        public Builder sectionName(String section) {
            this.sectionName = Objects.requireNonNull(section, "section");
            return this;
        }

        /** The map spec. */
        public MapSpec build() {
            return new MapSpec(this);
        }
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

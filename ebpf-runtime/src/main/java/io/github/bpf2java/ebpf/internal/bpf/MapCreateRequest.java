package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import java.util.Objects;
import java.util.Optional;

/**
 * The attributes of {@code BPF_MAP_CREATE}. Build one with {@link #builder(MapType, int, int, int)}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param type                    {@code map_type}
 * @param keySize                 {@code key_size} in bytes
 * @param valueSize               {@code value_size} in bytes (per CPU for per-CPU maps)
 * @param maxEntries              {@code max_entries}
 * @param flags                   {@code map_flags}, see {@link MapFlag}
 * @param name                    {@code map_name}; sanitized and truncated to 15 characters when sent
 * @param innerMap                {@code inner_map_fd}: the template of a map-of-maps' values
 * @param numaNode                {@code numa_node}; sent with {@link MapFlag#NUMA_NODE} when present
 * @param ifindex                 {@code map_ifindex} for offloaded maps, 0 for none
 * @param btf                     {@code btf_fd}: the BTF holding the key and value types
 * @param btfKeyTypeId            {@code btf_key_type_id}
 * @param btfValueTypeId          {@code btf_value_type_id}
 * @param btfVmlinuxValueTypeId   {@code btf_vmlinux_value_type_id} (struct_ops maps)
 * @param mapExtra                {@code map_extra} (bloom filter hash count, arena address)
 */
public record MapCreateRequest(MapType type, int keySize, int valueSize, int maxEntries, int flags, String name,
        Optional<Fd> innerMap, Optional<Integer> numaNode, int ifindex, Optional<Fd> btf, int btfKeyTypeId,
        int btfValueTypeId, int btfVmlinuxValueTypeId, long mapExtra) {

    public MapCreateRequest {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(innerMap, "innerMap");
        Objects.requireNonNull(numaNode, "numaNode");
        Objects.requireNonNull(btf, "btf");
        if (keySize < 0 || valueSize < 0) {
            throw new IllegalArgumentException("map '" + name + "': negative key or value size");
        }
    }

    /** A builder for a map with no name, flags or BTF. */
    public static Builder builder(MapType type, int keySize, int valueSize, int maxEntries) {
        return new Builder(type, keySize, valueSize, maxEntries);
    }

    /** What the map is called in messages: {@code map 'name'}. */
    String subject() {
        return name.isEmpty() ? "map of type " + type : "map '" + name + "'";
    }

    /** Builds a {@link MapCreateRequest}. */
    public static final class Builder {
        private final MapType type;
        private final int keySize;
        private final int valueSize;
        private final int maxEntries;
        private int flags;
        private String name = "";
        private Fd innerMap;
        private Integer numaNode;
        private int ifindex;
        private Fd btf;
        private int btfKeyTypeId;
        private int btfValueTypeId;
        private int btfVmlinuxValueTypeId;
        private long mapExtra;

        private Builder(MapType type, int keySize, int valueSize, int maxEntries) {
            this.type = type;
            this.keySize = keySize;
            this.valueSize = valueSize;
            this.maxEntries = maxEntries;
        }

        /** {@code map_flags}. */
        public Builder flags(int flags) {
            this.flags = flags;
            return this;
        }

        /** {@code map_name}. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        /** {@code inner_map_fd}, for {@code ARRAY_OF_MAPS} and {@code HASH_OF_MAPS}. */
        public Builder innerMap(Fd innerMap) {
            this.innerMap = innerMap;
            return this;
        }

        /** {@code numa_node}. */
        public Builder numaNode(int node) {
            this.numaNode = node;
            return this;
        }

        /** {@code map_ifindex}. */
        public Builder ifindex(int ifindex) {
            this.ifindex = ifindex;
            return this;
        }

        /** {@code btf_fd}, {@code btf_key_type_id}, {@code btf_value_type_id}. */
        public Builder btf(Fd btf, int keyTypeId, int valueTypeId) {
            this.btf = btf;
            this.btfKeyTypeId = keyTypeId;
            this.btfValueTypeId = valueTypeId;
            return this;
        }

        /** {@code btf_vmlinux_value_type_id}. */
        public Builder btfVmlinuxValueTypeId(int id) {
            this.btfVmlinuxValueTypeId = id;
            return this;
        }

        /** {@code map_extra}. */
        public Builder mapExtra(long extra) {
            this.mapExtra = extra;
            return this;
        }

        public MapCreateRequest build() {
            return new MapCreateRequest(type, keySize, valueSize, maxEntries, flags, name,
                    Optional.ofNullable(innerMap), Optional.ofNullable(numaNode), ifindex, Optional.ofNullable(btf),
                    btfKeyTypeId, btfValueTypeId, btfVmlinuxValueTypeId, mapExtra);
        }
    }
}

package io.github.bpf2java.ebpf.spec;

import java.util.Optional;

/** {@code enum bpf_map_type} from {@code linux/bpf.h}; the ordinal is the UAPI number. */
public enum MapType {
    /** {@code BPF_MAP_TYPE_UNSPEC} = 0. */
    UNSPEC,
    /** {@code BPF_MAP_TYPE_HASH} = 1. */
    HASH,
    /** {@code BPF_MAP_TYPE_ARRAY} = 2. */
    ARRAY,
    /** {@code BPF_MAP_TYPE_PROG_ARRAY} = 3. */
    PROG_ARRAY,
    /** {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} = 4. */
    PERF_EVENT_ARRAY,
    /** {@code BPF_MAP_TYPE_PERCPU_HASH} = 5. */
    PERCPU_HASH,
    /** {@code BPF_MAP_TYPE_PERCPU_ARRAY} = 6. */
    PERCPU_ARRAY,
    /** {@code BPF_MAP_TYPE_STACK_TRACE} = 7. */
    STACK_TRACE,
    /** {@code BPF_MAP_TYPE_CGROUP_ARRAY} = 8. */
    CGROUP_ARRAY,
    /** {@code BPF_MAP_TYPE_LRU_HASH} = 9. */
    LRU_HASH,
    /** {@code BPF_MAP_TYPE_LRU_PERCPU_HASH} = 10. */
    LRU_PERCPU_HASH,
    /** {@code BPF_MAP_TYPE_LPM_TRIE} = 11. */
    LPM_TRIE,
    /** {@code BPF_MAP_TYPE_ARRAY_OF_MAPS} = 12. */
    ARRAY_OF_MAPS,
    /** {@code BPF_MAP_TYPE_HASH_OF_MAPS} = 13. */
    HASH_OF_MAPS,
    /** {@code BPF_MAP_TYPE_DEVMAP} = 14. */
    DEVMAP,
    /** {@code BPF_MAP_TYPE_SOCKMAP} = 15. */
    SOCKMAP,
    /** {@code BPF_MAP_TYPE_CPUMAP} = 16. */
    CPUMAP,
    /** {@code BPF_MAP_TYPE_XSKMAP} = 17. */
    XSKMAP,
    /** {@code BPF_MAP_TYPE_SOCKHASH} = 18. */
    SOCKHASH,
    /** {@code BPF_MAP_TYPE_CGROUP_STORAGE} = 19. */
    CGROUP_STORAGE,
    /** {@code BPF_MAP_TYPE_REUSEPORT_SOCKARRAY} = 20. */
    REUSEPORT_SOCKARRAY,
    /** {@code BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE} = 21. */
    PERCPU_CGROUP_STORAGE,
    /** {@code BPF_MAP_TYPE_QUEUE} = 22. */
    QUEUE,
    /** {@code BPF_MAP_TYPE_STACK} = 23. */
    STACK,
    /** {@code BPF_MAP_TYPE_SK_STORAGE} = 24. */
    SK_STORAGE,
    /** {@code BPF_MAP_TYPE_DEVMAP_HASH} = 25. */
    DEVMAP_HASH,
    /** {@code BPF_MAP_TYPE_STRUCT_OPS} = 26. */
    STRUCT_OPS,
    /** {@code BPF_MAP_TYPE_RINGBUF} = 27. */
    RINGBUF,
    /** {@code BPF_MAP_TYPE_INODE_STORAGE} = 28. */
    INODE_STORAGE,
    /** {@code BPF_MAP_TYPE_TASK_STORAGE} = 29. */
    TASK_STORAGE,
    /** {@code BPF_MAP_TYPE_BLOOM_FILTER} = 30. */
    BLOOM_FILTER,
    /** {@code BPF_MAP_TYPE_USER_RINGBUF} = 31. */
    USER_RINGBUF,
    /** {@code BPF_MAP_TYPE_CGRP_STORAGE} = 32. */
    CGRP_STORAGE,
    /** {@code BPF_MAP_TYPE_ARENA} = 33. */
    ARENA;

    /** The UAPI number of this value. */
    public int value() {
        return ordinal();
    }

    /** The constant whose UAPI number is {@code value}, if this runtime knows it. */
    public static Optional<MapType> of(int value) {
        MapType[] all = values();
        return value >= 0 && value < all.length ? Optional.of(all[value]) : Optional.empty();
    }

    /** Whether lookups return one value per possible CPU. */
    public boolean isPerCpu() {
        return switch (this) {
            case PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH, PERCPU_CGROUP_STORAGE -> true;
            default -> false;
        };
    }

    /**
     * Whether this is an array of values ({@code ARRAY}, {@code PERCPU_ARRAY}): its entries always exist, at indexes
     * 0 to {@code max_entries - 1}, and cannot be deleted.
     */
    public boolean isValueArray() {
        return this == ARRAY || this == PERCPU_ARRAY;
    }

    /**
     * Whether user space can list the keys ({@code BPF_MAP_GET_NEXT_KEY}): not of queues, stacks and bloom filters,
     * which hold values without keys, ring buffers and arenas, nor of local storage (socket, inode, task, cgroup),
     * whose entries belong to the kernel objects that key them.
     */
    public boolean canListKeys() {
        return switch (this) {
            case QUEUE, STACK, BLOOM_FILTER, RINGBUF, USER_RINGBUF, ARENA, SK_STORAGE, INODE_STORAGE, TASK_STORAGE,
                    CGRP_STORAGE -> false;
            default -> true;
        };
    }

    /**
     * Whether this is local storage ({@code TASK_STORAGE}, {@code CGRP_STORAGE}, {@code INODE_STORAGE},
     * {@code SK_STORAGE}): each entry belongs to the kernel object that keys it.
     */
    public boolean isLocalStorage() {
        return this == TASK_STORAGE || this == CGRP_STORAGE || this == INODE_STORAGE || this == SK_STORAGE;
    }

    /** Whether this map holds values without keys: pushed and popped (queue, stack) or added and tested (bloom). */
    public boolean isKeyless() {
        return this == QUEUE || this == STACK || this == BLOOM_FILTER;
    }

    /** Whether values of this map are other maps (map-in-map). */
    public boolean isMapOfMaps() {
        return this == ARRAY_OF_MAPS || this == HASH_OF_MAPS;
    }
}

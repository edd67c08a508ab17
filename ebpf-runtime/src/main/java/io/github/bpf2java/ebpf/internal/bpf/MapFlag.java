package io.github.bpf2java.ebpf.internal.bpf;

/**
 * Flags for {@code map_flags} of {@code BPF_MAP_CREATE} ({@code BPF_F_*} in {@code linux/bpf.h}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public enum MapFlag {
    /** {@code BPF_F_NO_PREALLOC}. */
    NO_PREALLOC(1),
    /** {@code BPF_F_NO_COMMON_LRU}. */
    NO_COMMON_LRU(1 << 1),
    /** {@code BPF_F_NUMA_NODE}: {@code numa_node} is valid. */
    NUMA_NODE(1 << 2),
    /** {@code BPF_F_RDONLY}: read-only from user space. */
    RDONLY(1 << 3),
    /** {@code BPF_F_WRONLY}: write-only from user space. */
    WRONLY(1 << 4),
    /** {@code BPF_F_STACK_BUILD_ID}. */
    STACK_BUILD_ID(1 << 5),
    /** {@code BPF_F_ZERO_SEED}. */
    ZERO_SEED(1 << 6),
    /** {@code BPF_F_RDONLY_PROG}: read-only from programs. */
    RDONLY_PROG(1 << 7),
    /** {@code BPF_F_WRONLY_PROG}: write-only from programs. */
    WRONLY_PROG(1 << 8),
    /** {@code BPF_F_CLONE}. */
    CLONE(1 << 9),
    /** {@code BPF_F_MMAPABLE}: the array can be mmap()ed. */
    MMAPABLE(1 << 10),
    /** {@code BPF_F_PRESERVE_ELEMS}. */
    PRESERVE_ELEMS(1 << 11),
    /** {@code BPF_F_INNER_MAP}. */
    INNER_MAP(1 << 12),
    /** {@code BPF_F_LINK}: a struct_ops map registered through a link rather than by its update. */
    LINK(1 << 13);

    private final int value;

    MapFlag(int value) {
        this.value = value;
    }

    /** The UAPI bit. */
    public int value() {
        return value;
    }

    /** The bits of {@code flags} or'ed together. */
    public static int of(MapFlag... flags) {
        int bits = 0;
        for (MapFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }
}

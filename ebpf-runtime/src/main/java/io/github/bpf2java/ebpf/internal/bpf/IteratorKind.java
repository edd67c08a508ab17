package io.github.bpf2java.ebpf.internal.bpf;

import java.util.List;

/**
 * Which member of {@code union bpf_iter_link_info} (and of {@code bpf_link_info}'s iterator part) an iterator target
 * reads: the kernel gives no way to ask, and silently ignores parameters a target does not read, so the targets are
 * listed here.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public enum IteratorKind {
    /** A map to walk: {@code bpf_map_elem} (Linux 5.9+), {@code bpf_sk_storage_map} (5.9+), {@code sockmap} (5.10+). */
    MAP(List.of("bpf_map_elem", "bpf_sk_storage_map", "sockmap")),
    /** A thread, process or pidfd to limit the walk to (Linux 6.1+): {@code task}, {@code task_file}, {@code task_vma}. */
    TASK(List.of("task", "task_file", "task_vma")),
    /** A cgroup to start at and an order (Linux 6.1+): {@code cgroup}. */
    CGROUP(List.of("cgroup")),
    /** Every other target ({@code bpf_map}, {@code bpf_prog}, {@code tcp}, {@code ksym}, ...): no parameters. */
    NONE(List.of());

    private final List<String> targets;

    IteratorKind(List<String> targets) {
        this.targets = targets;
    }

    /** The targets of this kind, e.g. {@code task}; empty for {@link #NONE}. */
    public List<String> targets() {
        return targets;
    }

    /** The kind of iterator target {@code target} (the part after {@code iter/}). */
    public static IteratorKind of(String target) {
        for (IteratorKind k : values()) {
            if (k.targets.contains(target)) {
                return k;
            }
        }
        return NONE;
    }
}

package io.github.bpf2java.ebpf.attach;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What an iterator program ({@code SEC("iter/...")}) walks, for the targets that take a parameter (the kernel's
 * {@code union bpf_iter_link_info}): one thread, one process or a pidfd's process for {@code iter/task},
 * {@code iter/task_file} and {@code iter/task_vma}; a cgroup and the order of the walk for {@code iter/cgroup}.
 * Pass them to {@code BpfProgram.attachIterator(IteratorOptions)}; the map a map iterator walks
 * ({@code iter/bpf_map_elem}, {@code iter/bpf_sk_storage_map}, {@code iter/sockmap}) is passed as the map itself,
 * to {@code BpfProgram.attachIterator(BpfMap)}. Without options ({@code attach()}) a task iterator walks every task
 * and a cgroup iterator the whole cgroup v2 hierarchy, from its root, parents first.
 *
 * <pre>{@code
 * BpfLink link = program.attachIterator(IteratorOptions.process(pid));
 * try (InputStream in = link.openIterator()) { ... }
 * }</pre>
 *
 * <p>Both kinds need Linux 6.1 or later: older kernels ignore a task iterator's parameters and walk every task, so
 * they are refused here instead.
 */
public sealed interface IteratorOptions {

    /** Which tasks a task iterator visits. */
    enum TaskScope {
        /** One thread, by its thread id ({@code task.tid}). */
        THREAD,
        /** The threads of one process, by its process id ({@code task.pid}). */
        PROCESS,
        /** The threads of the process a pidfd refers to ({@code task.pid_fd}). */
        PIDFD
    }

    /**
     * The order of a cgroup iterator's walk ({@code enum bpf_cgroup_iter_order}); {@link #value()} is the UAPI
     * number.
     */
    enum CgroupOrder {
        /** {@code BPF_CGROUP_ITER_SELF_ONLY}: the cgroup alone. */
        SELF_ONLY(1),
        /** {@code BPF_CGROUP_ITER_DESCENDANTS_PRE}: the cgroup and its descendants, each before its children. */
        DESCENDANTS_PRE(2),
        /** {@code BPF_CGROUP_ITER_DESCENDANTS_POST}: the cgroup and its descendants, each after its children. */
        DESCENDANTS_POST(3),
        /** {@code BPF_CGROUP_ITER_ANCESTORS_UP}: the cgroup, then its parent, up to the root. */
        ANCESTORS_UP(4);

        private final int value;

        CgroupOrder(int value) {
            this.value = value;
        }

        /** The UAPI value. */
        public int value() {
            return value;
        }
    }

    /**
     * Limits a task iterator ({@code iter/task}, {@code iter/task_file}, {@code iter/task_vma}) to some tasks.
     *
     * @param scope  what {@code number} is
     * @param number the thread id, process id (both as this process's pid namespace numbers them) or pidfd
     *               descriptor; positive
     */
    record Task(TaskScope scope, int number) implements IteratorOptions {
        public Task {
            Objects.requireNonNull(scope, "scope");
            if (number <= 0) {
                throw new IllegalArgumentException("a task iterator's " + scope.name().toLowerCase(Locale.ROOT)
                        + " must be positive, not " + number);
            }
        }
    }

    /**
     * Where a cgroup iterator ({@code iter/cgroup}) starts, and in which order it walks: a cgroup v2 directory or a
     * cgroup id, exactly one of them.
     *
     * @param directory the cgroup's directory, or {@code null} when it is named by {@code id}
     * @param id        the cgroup's id (the inode number of its directory), or 0 when it is named by
     *                  {@code directory}
     * @param order     the walk
     */
    record Cgroup(Path directory, long id, CgroupOrder order) implements IteratorOptions {
        public Cgroup {
            Objects.requireNonNull(order, "order");
            if ((directory == null) == (id == 0)) {
                throw new IllegalArgumentException("a cgroup iterator starts at a cgroup directory or a cgroup id, "
                        + "exactly one of them");
            }
        }
    }

    /** Only the thread {@code tid} ({@code gettid()}, {@code /proc/<pid>/task/<tid>}). */
    static Task thread(int tid) {
        return new Task(TaskScope.THREAD, tid);
    }

    /** Only the threads of process {@code pid}. */
    static Task process(int pid) {
        return new Task(TaskScope.PROCESS, pid);
    }

    /**
     * Only the threads of the process the pidfd {@code pidfd} refers to ({@code pidfd_open(2)}, {@code clone3}'s
     * {@code CLONE_PIDFD}): unlike a process id, it cannot come to mean another process. The kernel reads the
     * descriptor when the link is made; the caller keeps and closes it.
     */
    static Task pidfd(int pidfd) {
        return new Task(TaskScope.PIDFD, pidfd);
    }

    /** The cgroup v2 directory {@code directory}, walked in {@code order}. */
    static Cgroup cgroup(Path directory, CgroupOrder order) {
        return new Cgroup(Objects.requireNonNull(directory, "directory"), 0, order);
    }

    /** The cgroup with id {@code id} (the inode number of its directory), walked in {@code order}. */
    static Cgroup cgroup(long id, CgroupOrder order) {
        if (id == 0) {
            throw new IllegalArgumentException("cgroup id 0 names no cgroup; ids are the inode numbers of the cgroup "
                    + "directories");
        }
        return new Cgroup(null, id, order);
    }
}

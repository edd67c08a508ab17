package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.Optional;

/**
 * The mainline kernel release that introduced each map and program type. Old kernels answer an unknown type with a
 * bare {@code EINVAL}; with this table the runtime can say "needs Linux 5.8, this is 5.4" instead. Distribution
 * kernels may have backported a type, so the table only ever explains a failure, never prevents an attempt.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class TypeAvailability {
    private TypeAvailability() {}

    /** The first mainline release with {@code type}, if known. */
    public static Optional<KernelVersion> firstKernel(MapType type) {
        return Optional.ofNullable(switch (type) {
            case UNSPEC -> null;
            case HASH, ARRAY -> KernelVersion.of(3, 19);
            case PROG_ARRAY -> KernelVersion.of(4, 2);
            case PERF_EVENT_ARRAY -> KernelVersion.of(4, 3);
            case PERCPU_HASH, PERCPU_ARRAY, STACK_TRACE -> KernelVersion.of(4, 6);
            case CGROUP_ARRAY -> KernelVersion.of(4, 8);
            case LRU_HASH, LRU_PERCPU_HASH -> KernelVersion.of(4, 10);
            case LPM_TRIE -> KernelVersion.of(4, 11);
            case ARRAY_OF_MAPS, HASH_OF_MAPS -> KernelVersion.of(4, 12);
            case DEVMAP, SOCKMAP -> KernelVersion.of(4, 14);
            case CPUMAP -> KernelVersion.of(4, 15);
            case XSKMAP, SOCKHASH -> KernelVersion.of(4, 18);
            case CGROUP_STORAGE, REUSEPORT_SOCKARRAY -> KernelVersion.of(4, 19);
            case PERCPU_CGROUP_STORAGE, QUEUE, STACK -> KernelVersion.of(4, 20);
            case SK_STORAGE -> KernelVersion.of(5, 2);
            case DEVMAP_HASH -> KernelVersion.of(5, 4);
            case STRUCT_OPS -> KernelVersion.of(5, 6);
            case RINGBUF -> KernelVersion.of(5, 8);
            case INODE_STORAGE -> KernelVersion.of(5, 10);
            case TASK_STORAGE -> KernelVersion.of(5, 11);
            case BLOOM_FILTER -> KernelVersion.of(5, 16);
            case USER_RINGBUF -> KernelVersion.of(6, 1);
            case CGRP_STORAGE -> KernelVersion.of(6, 2);
            case ARENA -> KernelVersion.of(6, 9);
            // Types added to the enum after this table was written: no claim.
            default -> null;
        });
    }

    /** The first mainline release with {@code type}, if known. */
    public static Optional<KernelVersion> firstKernel(ProgramType type) {
        return Optional.ofNullable(switch (type) {
            case UNSPEC -> null;
            case SOCKET_FILTER -> KernelVersion.of(3, 19);
            case KPROBE, SCHED_CLS, SCHED_ACT -> KernelVersion.of(4, 1);
            case TRACEPOINT -> KernelVersion.of(4, 7);
            case XDP -> KernelVersion.of(4, 8);
            case PERF_EVENT -> KernelVersion.of(4, 9);
            case CGROUP_SKB, CGROUP_SOCK, LWT_IN, LWT_OUT, LWT_XMIT -> KernelVersion.of(4, 10);
            case SOCK_OPS -> KernelVersion.of(4, 13);
            case SK_SKB -> KernelVersion.of(4, 14);
            case CGROUP_DEVICE -> KernelVersion.of(4, 15);
            case SK_MSG, RAW_TRACEPOINT, CGROUP_SOCK_ADDR -> KernelVersion.of(4, 17);
            case LWT_SEG6LOCAL, LIRC_MODE2 -> KernelVersion.of(4, 18);
            case SK_REUSEPORT -> KernelVersion.of(4, 19);
            case FLOW_DISSECTOR -> KernelVersion.of(4, 20);
            case CGROUP_SYSCTL, RAW_TRACEPOINT_WRITABLE -> KernelVersion.of(5, 2);
            case CGROUP_SOCKOPT -> KernelVersion.of(5, 3);
            case TRACING -> KernelVersion.of(5, 5);
            case STRUCT_OPS, EXT -> KernelVersion.of(5, 6);
            case LSM -> KernelVersion.of(5, 7);
            case SK_LOOKUP -> KernelVersion.of(5, 9);
            case SYSCALL -> KernelVersion.of(5, 14);
            case NETFILTER -> KernelVersion.of(6, 4);
            default -> null;
        });
    }
}

package io.github.bpf2java.ebpf.spec;

import java.util.Optional;

/** {@code enum bpf_prog_type} from {@code linux/bpf.h}; the ordinal is the UAPI number. */
public enum ProgramType {
    /** {@code BPF_PROG_TYPE_UNSPEC} = 0. */
    UNSPEC,
    /** {@code BPF_PROG_TYPE_SOCKET_FILTER} = 1. */
    SOCKET_FILTER,
    /** {@code BPF_PROG_TYPE_KPROBE} = 2. */
    KPROBE,
    /** {@code BPF_PROG_TYPE_SCHED_CLS} = 3. */
    SCHED_CLS,
    /** {@code BPF_PROG_TYPE_SCHED_ACT} = 4. */
    SCHED_ACT,
    /** {@code BPF_PROG_TYPE_TRACEPOINT} = 5. */
    TRACEPOINT,
    /** {@code BPF_PROG_TYPE_XDP} = 6. */
    XDP,
    /** {@code BPF_PROG_TYPE_PERF_EVENT} = 7. */
    PERF_EVENT,
    /** {@code BPF_PROG_TYPE_CGROUP_SKB} = 8. */
    CGROUP_SKB,
    /** {@code BPF_PROG_TYPE_CGROUP_SOCK} = 9. */
    CGROUP_SOCK,
    /** {@code BPF_PROG_TYPE_LWT_IN} = 10. */
    LWT_IN,
    /** {@code BPF_PROG_TYPE_LWT_OUT} = 11. */
    LWT_OUT,
    /** {@code BPF_PROG_TYPE_LWT_XMIT} = 12. */
    LWT_XMIT,
    /** {@code BPF_PROG_TYPE_SOCK_OPS} = 13. */
    SOCK_OPS,
    /** {@code BPF_PROG_TYPE_SK_SKB} = 14. */
    SK_SKB,
    /** {@code BPF_PROG_TYPE_CGROUP_DEVICE} = 15. */
    CGROUP_DEVICE,
    /** {@code BPF_PROG_TYPE_SK_MSG} = 16. */
    SK_MSG,
    /** {@code BPF_PROG_TYPE_RAW_TRACEPOINT} = 17. */
    RAW_TRACEPOINT,
    /** {@code BPF_PROG_TYPE_CGROUP_SOCK_ADDR} = 18. */
    CGROUP_SOCK_ADDR,
    /** {@code BPF_PROG_TYPE_LWT_SEG6LOCAL} = 19. */
    LWT_SEG6LOCAL,
    /** {@code BPF_PROG_TYPE_LIRC_MODE2} = 20. */
    LIRC_MODE2,
    /** {@code BPF_PROG_TYPE_SK_REUSEPORT} = 21. */
    SK_REUSEPORT,
    /** {@code BPF_PROG_TYPE_FLOW_DISSECTOR} = 22. */
    FLOW_DISSECTOR,
    /** {@code BPF_PROG_TYPE_CGROUP_SYSCTL} = 23. */
    CGROUP_SYSCTL,
    /** {@code BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE} = 24. */
    RAW_TRACEPOINT_WRITABLE,
    /** {@code BPF_PROG_TYPE_CGROUP_SOCKOPT} = 25. */
    CGROUP_SOCKOPT,
    /** {@code BPF_PROG_TYPE_TRACING} = 26. */
    TRACING,
    /** {@code BPF_PROG_TYPE_STRUCT_OPS} = 27. */
    STRUCT_OPS,
    /** {@code BPF_PROG_TYPE_EXT} = 28. */
    EXT,
    /** {@code BPF_PROG_TYPE_LSM} = 29. */
    LSM,
    /** {@code BPF_PROG_TYPE_SK_LOOKUP} = 30. */
    SK_LOOKUP,
    /** {@code BPF_PROG_TYPE_SYSCALL} = 31. */
    SYSCALL,
    /** {@code BPF_PROG_TYPE_NETFILTER} = 32. */
    NETFILTER;

    /** The UAPI number of this value. */
    public int value() {
        return ordinal();
    }

    /** The constant whose UAPI number is {@code value}, if this runtime knows it. */
    public static Optional<ProgramType> of(int value) {
        ProgramType[] all = values();
        return value >= 0 && value < all.length ? Optional.of(all[value]) : Optional.empty();
    }
}

package io.github.bpf2java.ebpf.attach;

import java.util.Optional;

/**
 * {@code enum bpf_link_type} from {@code linux/bpf.h}: what kind of hook a link holds, as
 * {@code BpfLink.info()} reports it. The ordinal is the UAPI number.
 */
public enum LinkType {
    /** {@code BPF_LINK_TYPE_UNSPEC} = 0. */
    UNSPEC,
    /** {@code BPF_LINK_TYPE_RAW_TRACEPOINT} = 1. */
    RAW_TRACEPOINT,
    /** {@code BPF_LINK_TYPE_TRACING} = 2. */
    TRACING,
    /** {@code BPF_LINK_TYPE_CGROUP} = 3. */
    CGROUP,
    /** {@code BPF_LINK_TYPE_ITER} = 4. */
    ITER,
    /** {@code BPF_LINK_TYPE_NETNS} = 5. */
    NETNS,
    /** {@code BPF_LINK_TYPE_XDP} = 6. */
    XDP,
    /** {@code BPF_LINK_TYPE_PERF_EVENT} = 7. */
    PERF_EVENT,
    /** {@code BPF_LINK_TYPE_KPROBE_MULTI} = 8. */
    KPROBE_MULTI,
    /** {@code BPF_LINK_TYPE_STRUCT_OPS} = 9. */
    STRUCT_OPS,
    /** {@code BPF_LINK_TYPE_NETFILTER} = 10. */
    NETFILTER,
    /** {@code BPF_LINK_TYPE_TCX} = 11. */
    TCX,
    /** {@code BPF_LINK_TYPE_UPROBE_MULTI} = 12. */
    UPROBE_MULTI,
    /** {@code BPF_LINK_TYPE_NETKIT} = 13. */
    NETKIT,
    /** {@code BPF_LINK_TYPE_SOCKMAP} = 14. */
    SOCKMAP;

    /** The UAPI number. */
    public int value() {
        return ordinal();
    }

    /** The constant whose UAPI number is {@code value}, if this runtime knows it. */
    public static Optional<LinkType> of(int value) {
        LinkType[] all = values();
        return value >= 0 && value < all.length ? Optional.of(all[value]) : Optional.empty();
    }
}

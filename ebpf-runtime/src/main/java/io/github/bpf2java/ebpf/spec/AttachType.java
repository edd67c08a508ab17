package io.github.bpf2java.ebpf.spec;

import java.util.Optional;

/** {@code enum bpf_attach_type} from {@code linux/bpf.h} (as of Linux 6.13); the ordinal is the UAPI number. */
public enum AttachType {
    /** {@code BPF_CGROUP_INET_INGRESS} = 0. */
    CGROUP_INET_INGRESS,
    /** {@code BPF_CGROUP_INET_EGRESS} = 1. */
    CGROUP_INET_EGRESS,
    /** {@code BPF_CGROUP_INET_SOCK_CREATE} = 2. */
    CGROUP_INET_SOCK_CREATE,
    /** {@code BPF_CGROUP_SOCK_OPS} = 3. */
    CGROUP_SOCK_OPS,
    /** {@code BPF_SK_SKB_STREAM_PARSER} = 4. */
    SK_SKB_STREAM_PARSER,
    /** {@code BPF_SK_SKB_STREAM_VERDICT} = 5. */
    SK_SKB_STREAM_VERDICT,
    /** {@code BPF_CGROUP_DEVICE} = 6. */
    CGROUP_DEVICE,
    /** {@code BPF_SK_MSG_VERDICT} = 7. */
    SK_MSG_VERDICT,
    /** {@code BPF_CGROUP_INET4_BIND} = 8. */
    CGROUP_INET4_BIND,
    /** {@code BPF_CGROUP_INET6_BIND} = 9. */
    CGROUP_INET6_BIND,
    /** {@code BPF_CGROUP_INET4_CONNECT} = 10. */
    CGROUP_INET4_CONNECT,
    /** {@code BPF_CGROUP_INET6_CONNECT} = 11. */
    CGROUP_INET6_CONNECT,
    /** {@code BPF_CGROUP_INET4_POST_BIND} = 12. */
    CGROUP_INET4_POST_BIND,
    /** {@code BPF_CGROUP_INET6_POST_BIND} = 13. */
    CGROUP_INET6_POST_BIND,
    /** {@code BPF_CGROUP_UDP4_SENDMSG} = 14. */
    CGROUP_UDP4_SENDMSG,
    /** {@code BPF_CGROUP_UDP6_SENDMSG} = 15. */
    CGROUP_UDP6_SENDMSG,
    /** {@code BPF_LIRC_MODE2} = 16. */
    LIRC_MODE2,
    /** {@code BPF_FLOW_DISSECTOR} = 17. */
    FLOW_DISSECTOR,
    /** {@code BPF_CGROUP_SYSCTL} = 18. */
    CGROUP_SYSCTL,
    /** {@code BPF_CGROUP_UDP4_RECVMSG} = 19. */
    CGROUP_UDP4_RECVMSG,
    /** {@code BPF_CGROUP_UDP6_RECVMSG} = 20. */
    CGROUP_UDP6_RECVMSG,
    /** {@code BPF_CGROUP_GETSOCKOPT} = 21. */
    CGROUP_GETSOCKOPT,
    /** {@code BPF_CGROUP_SETSOCKOPT} = 22. */
    CGROUP_SETSOCKOPT,
    /** {@code BPF_TRACE_RAW_TP} = 23. */
    TRACE_RAW_TP,
    /** {@code BPF_TRACE_FENTRY} = 24. */
    TRACE_FENTRY,
    /** {@code BPF_TRACE_FEXIT} = 25. */
    TRACE_FEXIT,
    /** {@code BPF_MODIFY_RETURN} = 26. */
    MODIFY_RETURN,
    /** {@code BPF_LSM_MAC} = 27. */
    LSM_MAC,
    /** {@code BPF_TRACE_ITER} = 28. */
    TRACE_ITER,
    /** {@code BPF_CGROUP_INET4_GETPEERNAME} = 29. */
    CGROUP_INET4_GETPEERNAME,
    /** {@code BPF_CGROUP_INET6_GETPEERNAME} = 30. */
    CGROUP_INET6_GETPEERNAME,
    /** {@code BPF_CGROUP_INET4_GETSOCKNAME} = 31. */
    CGROUP_INET4_GETSOCKNAME,
    /** {@code BPF_CGROUP_INET6_GETSOCKNAME} = 32. */
    CGROUP_INET6_GETSOCKNAME,
    /** {@code BPF_XDP_DEVMAP} = 33. */
    XDP_DEVMAP,
    /** {@code BPF_CGROUP_INET_SOCK_RELEASE} = 34. */
    CGROUP_INET_SOCK_RELEASE,
    /** {@code BPF_XDP_CPUMAP} = 35. */
    XDP_CPUMAP,
    /** {@code BPF_SK_LOOKUP} = 36. */
    SK_LOOKUP,
    /** {@code BPF_XDP} = 37. */
    XDP,
    /** {@code BPF_SK_SKB_VERDICT} = 38. */
    SK_SKB_VERDICT,
    /** {@code BPF_SK_REUSEPORT_SELECT} = 39. */
    SK_REUSEPORT_SELECT,
    /** {@code BPF_SK_REUSEPORT_SELECT_OR_MIGRATE} = 40. */
    SK_REUSEPORT_SELECT_OR_MIGRATE,
    /** {@code BPF_PERF_EVENT} = 41. */
    PERF_EVENT,
    /** {@code BPF_TRACE_KPROBE_MULTI} = 42. */
    TRACE_KPROBE_MULTI,
    /** {@code BPF_LSM_CGROUP} = 43. */
    LSM_CGROUP,
    /** {@code BPF_STRUCT_OPS} = 44. */
    STRUCT_OPS,
    /** {@code BPF_NETFILTER} = 45. */
    NETFILTER,
    /** {@code BPF_TCX_INGRESS} = 46. */
    TCX_INGRESS,
    /** {@code BPF_TCX_EGRESS} = 47. */
    TCX_EGRESS,
    /** {@code BPF_TRACE_UPROBE_MULTI} = 48. */
    TRACE_UPROBE_MULTI,
    /** {@code BPF_CGROUP_UNIX_CONNECT} = 49. */
    CGROUP_UNIX_CONNECT,
    /** {@code BPF_CGROUP_UNIX_SENDMSG} = 50. */
    CGROUP_UNIX_SENDMSG,
    /** {@code BPF_CGROUP_UNIX_RECVMSG} = 51. */
    CGROUP_UNIX_RECVMSG,
    /** {@code BPF_CGROUP_UNIX_GETPEERNAME} = 52. */
    CGROUP_UNIX_GETPEERNAME,
    /** {@code BPF_CGROUP_UNIX_GETSOCKNAME} = 53. */
    CGROUP_UNIX_GETSOCKNAME,
    /** {@code BPF_NETKIT_PRIMARY} = 54. */
    NETKIT_PRIMARY,
    /** {@code BPF_NETKIT_PEER} = 55. */
    NETKIT_PEER,
    /** {@code BPF_TRACE_KPROBE_SESSION} = 56. */
    TRACE_KPROBE_SESSION,
    /** {@code BPF_TRACE_UPROBE_SESSION} = 57. */
    TRACE_UPROBE_SESSION;

    /** The UAPI number of this value. */
    public int value() {
        return ordinal();
    }

    /** The constant whose UAPI number is {@code value}, if this runtime knows it. */
    public static Optional<AttachType> of(int value) {
        AttachType[] all = values();
        return value >= 0 && value < all.length ? Optional.of(all[value]) : Optional.empty();
    }
}

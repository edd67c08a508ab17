package io.github.bpf2java.ebpf.attach;

import io.github.bpf2java.ebpf.spec.AttachType;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a link is attached, as the kernel reports it ({@code struct bpf_link_info}), so that a link found by id or
 * pin can be told apart from others of its type: {@code BpfLink.info().target()}. Which record comes depends on the
 * link's type; test with {@code instanceof}:
 *
 * <pre>{@code
 * if (link.info().target() instanceof LinkTarget.NetworkInterface device) {
 *     System.out.println("on interface " + device.index());
 * }
 * }</pre>
 *
 * <p>Kernels report perf-event links (tracepoints, kprobes, uprobes, perf events) and kprobe.multi links from Linux
 * 6.6 on, uprobe.multi links from 6.8; before, and for link types whose target this runtime does not read, the target
 * is {@link Unreported}.
 */
public sealed interface LinkTarget {

    /** A raw tracepoint ({@code SEC("raw_tp/...")}), by name, e.g. {@code sys_enter}. */
    record RawTracepoint(String name) implements LinkTarget {
        public RawTracepoint {
            Objects.requireNonNull(name, "name");
        }
    }

    /** A tracepoint held by a perf-event link ({@code SEC("tracepoint/...")}), by the name tracefs gives it. */
    record Tracepoint(String name) implements LinkTarget {
        public Tracepoint {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A uprobe or uretprobe held by a perf-event link.
     *
     * @param binary      the probed file's path, as the probe was made with it (this runtime makes it absolute;
     *                    {@code /proc/<pid>/exe} stays that), not resolving symbolic links
     * @param offset      the probe's offset in that file
     * @param returnProbe whether it is a uretprobe
     */
    record Uprobe(String binary, long offset, boolean returnProbe) implements LinkTarget {
        public Uprobe {
            Objects.requireNonNull(binary, "binary");
        }
    }

    /**
     * A kprobe or kretprobe held by a perf-event link.
     *
     * @param function    the probed kernel function (empty when probed by address)
     * @param offset      the offset into it
     * @param returnProbe whether it is a kretprobe
     */
    record Kprobe(String function, long offset, boolean returnProbe) implements LinkTarget {
        public Kprobe {
            Objects.requireNonNull(function, "function");
        }
    }

    /**
     * Kernel functions probed by one kprobe.multi link ({@code SEC("kprobe.multi/...")}), reported from Linux 6.6.
     *
     * @param count       how many functions
     * @param returnProbe whether the probes are kretprobes
     * @param missed      how many times the program was not run on a hit (recursion), from Linux 6.7; else 0
     */
    record KprobeMulti(int count, boolean returnProbe, long missed) implements LinkTarget {}

    /**
     * Functions of one file probed by one uprobe.multi link ({@code SEC("uprobe.multi/...")}), reported from Linux
     * 6.8.
     *
     * @param binary      the probed file's path, as the kernel resolves it (symbolic links followed)
     * @param count       how many offsets in it are probed
     * @param returnProbe whether the probes are uretprobes
     * @param pid         the process the probes are limited to, or 0 for every process
     */
    record UprobeMulti(String binary, int count, boolean returnProbe, int pid) implements LinkTarget {
        public UprobeMulti {
            Objects.requireNonNull(binary, "binary");
        }
    }

    /**
     * A perf event ({@code SEC("perf_event")}).
     *
     * @param type   its {@code perf_event_attr.type} as the kernel keeps it: {@code PERF_TYPE_SOFTWARE} = 1, ...,
     *               or a PMU's dynamic type (recent kernels move the CPU and task clocks to PMUs of their own)
     * @param config its {@code perf_event_attr.config}
     */
    record PerfEvent(int type, long config) implements LinkTarget {}

    /**
     * A BTF-typed attachment: fentry, fexit, fmod_ret, LSM, freplace, tp_btf.
     *
     * @param attachTypeValue its {@code enum bpf_attach_type} number
     * @param targetObjectId  the id of the BTF object holding the target (of the program, for freplace)
     * @param targetBtfId     the target's BTF type id in it
     */
    record Tracing(int attachTypeValue, int targetObjectId, int targetBtfId) implements LinkTarget, AtHook {
        /**
         * As a record prints, with the hook's name, e.g.
         * {@code Tracing[attachType=TRACE_FENTRY (24), targetObjectId=0, targetBtfId=1234]}.
         */
        @Override
        public String toString() {
            return "Tracing[attachType=" + hook(attachTypeValue) + ", targetObjectId=" + targetObjectId
                    + ", targetBtfId=" + targetBtfId + "]";
        }
    }

    /**
     * A cgroup.
     *
     * @param cgroupId        the cgroup's id, the inode number of its directory
     * @param attachTypeValue the hook's {@code enum bpf_attach_type} number
     */
    record Cgroup(long cgroupId, int attachTypeValue) implements LinkTarget, AtHook {
        /**
         * As a record prints, with the hook's name, e.g.
         * {@code Cgroup[cgroupId=4711, attachType=CGROUP_INET_INGRESS (0)]}.
         */
        @Override
        public String toString() {
            return "Cgroup[cgroupId=" + cgroupId + ", attachType=" + hook(attachTypeValue) + "]";
        }

        /**
         * Whether the cgroup is gone: once a removed cgroup is released (shortly after its directory is removed), the
         * kernel reports id 0. The program runs nowhere; close the link.
         */
        public boolean detached() {
            return cgroupId == 0;
        }
    }

    /**
     * A network namespace (flow dissector, sk_lookup).
     *
     * @param inode           the namespace's inode number ({@code ls -iL /proc/<pid>/ns/net})
     * @param attachTypeValue the hook's {@code enum bpf_attach_type} number
     */
    record NetworkNamespace(long inode, int attachTypeValue) implements LinkTarget, AtHook {
        /**
         * As a record prints, with the hook's name, e.g.
         * {@code NetworkNamespace[inode=4026531840, attachType=SK_LOOKUP (36)]}.
         */
        @Override
        public String toString() {
            return "NetworkNamespace[inode=" + inode + ", attachType=" + hook(attachTypeValue) + "]";
        }

        /** Whether the namespace is gone: the kernel then reports inode 0. The program runs nowhere. */
        public boolean detached() {
            return inode == 0;
        }
    }

    /**
     * A sockmap or sockhash (sk_msg, sk_skb programs; reported from Linux 6.10).
     *
     * @param mapId           the map's id ({@code BpfMap.id()}, {@code bpftool map show id <id>})
     * @param attachTypeValue the hook's {@code enum bpf_attach_type} number
     */
    record SocketMap(int mapId, int attachTypeValue) implements LinkTarget, AtHook {
        /**
         * As a record prints, with the hook's name, e.g. {@code SocketMap[mapId=12, attachType=SK_MSG_VERDICT (7)]}.
         */
        @Override
        public String toString() {
            return "SocketMap[mapId=" + mapId + ", attachType=" + hook(attachTypeValue) + "]";
        }
    }

    /**
     * A network interface: XDP, tcx or netkit.
     *
     * @param index           the interface index, in the namespace the link was made in
     * @param attachTypeValue the hook's {@code enum bpf_attach_type} number ({@code BPF_XDP} for XDP)
     */
    record NetworkInterface(int index, int attachTypeValue) implements LinkTarget, AtHook {
        /**
         * As a record prints, with the hook's name, e.g.
         * {@code NetworkInterface[index=2, attachType=XDP (37)]}.
         */
        @Override
        public String toString() {
            return "NetworkInterface[index=" + index + ", attachType=" + hook(attachTypeValue) + "]";
        }

        /**
         * Whether the interface is gone (deleted, or moved away with its namespace): the kernel then reports index 0.
         * The link still holds its program, which runs nowhere; an interface made again under the same name is
         * another one. Close the link and attach anew.
         */
        public boolean detached() {
            return index == 0;
        }
    }

    /**
     * A netfilter hook.
     *
     * @param protocolFamily {@code NFPROTO_IPV4} = 2, {@code NFPROTO_IPV6} = 10
     * @param hook           {@code NF_INET_PRE_ROUTING} = 0 ... {@code NF_INET_POST_ROUTING} = 4
     * @param priority       the hook priority
     * @param flags          {@code BPF_F_NETFILTER_IP_DEFRAG} = 1
     */
    record Netfilter(int protocolFamily, int hook, int priority, int flags) implements LinkTarget {}

    /**
     * An iterator ({@code SEC("iter/...")}): what it iterates, and the parameters it was attached with as the kernel
     * reports them ({@link IteratorOptions}); a field the target does not take is 0.
     *
     * @param target           the iterator target, e.g. {@code task}, {@code bpf_map_elem}, {@code cgroup}
     * @param mapId            the id of the map a map iterator walks
     * @param cgroupId         the id of the cgroup a cgroup iterator starts at (the root's, when attached without
     *                         options)
     * @param cgroupOrderValue the cgroup walk's {@code enum bpf_cgroup_iter_order} number
     * @param tid              the thread a task iterator is limited to, or 0
     * @param pid              the process a task iterator is limited to (also when given by pidfd), or 0
     */
    record Iterator(String target, int mapId, long cgroupId, int cgroupOrderValue, int tid, int pid)
            implements LinkTarget {
        public Iterator {
            Objects.requireNonNull(target, "target");
        }

        /** An iterator over {@code target} with no parameters reported. */
        public Iterator(String target) {
            this(target, 0, 0, 0, 0, 0);
        }

        /** The cgroup walk's order, for a cgroup iterator whose order this runtime knows. */
        public Optional<IteratorOptions.CgroupOrder> cgroupOrder() {
            for (IteratorOptions.CgroupOrder o : IteratorOptions.CgroupOrder.values()) {
                if (o.value() == cgroupOrderValue) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }

    /** A link whose target the kernel does not report, or this runtime does not read. */
    record Unreported() implements LinkTarget {}

    /** An attach type's name with its number, e.g. {@code XDP (37)}, or the number alone when this runtime has none. */
    /** A target reached through a hook of the kernel's {@code enum bpf_attach_type}. */
    interface AtHook {
        /** The hook's {@code enum bpf_attach_type} number, as the kernel reports it. */
        int attachTypeValue();

        /** The hook, e.g. {@code XDP}, {@code TCX_INGRESS}, {@code CGROUP_INET_EGRESS}, if this runtime knows it. */
        default Optional<AttachType> attachType() {
            return AttachType.of(attachTypeValue());
        }
    }

    private static String hook(int attachTypeValue) {
        return AttachType.of(attachTypeValue).map(t -> t.name() + " (" + attachTypeValue + ")")
                .orElse(Integer.toString(attachTypeValue));
    }
}

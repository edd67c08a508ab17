package io.github.bpf2java.ebpf.spec;

import io.github.bpf2java.ebpf.spec.SectionDef.AttachKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The section-name conventions of current libbpf ({@code SEC("...")}): which program type, expected attach type and
 * attach mechanism a section name implies. Entries are tried in order and the first match wins, so more specific
 * names ({@code xdp/devmap}) come before shorter ones ({@code xdp}). Entries ending in {@code /} also match the bare
 * name ({@code SEC("kprobe")}), as libbpf's {@code type+} rule says; the others must match exactly.
 */
public final class SectionTable {
    private static final List<SectionDef> DEFS = build();

    private SectionTable() {}

    /** Every entry, in match order. */
    public static List<SectionDef> definitions() {
        return DEFS;
    }

    /** The first entry matching {@code sectionName}, or empty for a section name libbpf would not recognise. */
    public static Optional<SectionDef> find(String sectionName) {
        for (SectionDef d : DEFS) {
            if (d.matches(sectionName)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    /**
     * The entry libbpf before 1.0 would have matched {@code sectionName} with, by the longest entry name the section
     * name merely starts with (it read {@code SEC("xdp_pass")} as {@code xdp}); empty when none. Current libbpf,
     * like {@link #find}, does not accept such names; this only helps to say what was meant.
     */
    public static Optional<SectionDef> legacyPrefixMatch(String sectionName) {
        SectionDef best = null;
        for (SectionDef d : DEFS) {
            String bare = d.exactMatch() ? d.prefix() : d.prefix().substring(0, d.prefix().length() - 1);
            if (sectionName.startsWith(bare) && (best == null || bare.length() > best.prefix().length()
                    - (best.exactMatch() ? 0 : 1))) {
                best = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The entry a lenient loader (libbpf before 1.0, cilium/ebpf) takes {@code sectionName} for when {@link #find}
     * has none: {@code name/anything} for a type libbpf matches exactly ({@code socket/filter},
     * {@code sk_lookup/dispatch}, {@code xdp/prog}), a leading dot dropped ({@code .xdp}), or, as
     * {@link #legacyPrefixMatch}, the longest such name the section starts with ({@code xdp_sock}, {@code xdp_pass}).
     * Only types that take no attach target from the section name are matched this way; a loader using the answer
     * should warn with the entry's {@link SectionDef#prefix() canonical name}.
     */
    public static Optional<SectionDef> lenientMatch(String sectionName) {
        String name = sectionName.startsWith(".") ? sectionName.substring(1) : sectionName;
        Optional<SectionDef> exact = find(name).filter(SectionDef::exactMatch);
        if (exact.isPresent()) {
            return exact;
        }
        SectionDef best = null;
        for (SectionDef d : DEFS) {
            if (d.exactMatch() && name.startsWith(d.prefix())
                    && (best == null || d.prefix().length() > best.prefix().length())) {
                best = d;
            }
        }
        return Optional.ofNullable(best);
    }

    private static List<SectionDef> build() {
        List<SectionDef> d = new ArrayList<>();
        exact(d, "socket", ProgramType.SOCKET_FILTER, null);
        exact(d, "sk_reuseport/migrate", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT_OR_MIGRATE);
        exact(d, "sk_reuseport", ProgramType.SK_REUSEPORT, AttachType.SK_REUSEPORT_SELECT);
        prefix(d, "kprobe/", ProgramType.KPROBE, null, AttachKind.KPROBE, false);
        prefix(d, "uprobe/", ProgramType.KPROBE, null, AttachKind.UPROBE, false);
        prefix(d, "uprobe.s/", ProgramType.KPROBE, null, AttachKind.UPROBE, true);
        prefix(d, "kretprobe/", ProgramType.KPROBE, null, AttachKind.KRETPROBE, false);
        prefix(d, "uretprobe/", ProgramType.KPROBE, null, AttachKind.URETPROBE, false);
        prefix(d, "uretprobe.s/", ProgramType.KPROBE, null, AttachKind.URETPROBE, true);
        prefix(d, "kprobe.multi/", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, AttachKind.KPROBE_MULTI, false);
        prefix(d, "kretprobe.multi/", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI, AttachKind.KRETPROBE_MULTI,
                false);
        prefix(d, "kprobe.session/", ProgramType.KPROBE, AttachType.TRACE_KPROBE_SESSION, AttachKind.KPROBE_SESSION,
                false);
        prefix(d, "uprobe.multi/", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, AttachKind.UPROBE_MULTI, false);
        prefix(d, "uretprobe.multi/", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, AttachKind.URETPROBE_MULTI,
                false);
        prefix(d, "uprobe.session/", ProgramType.KPROBE, AttachType.TRACE_UPROBE_SESSION, AttachKind.UPROBE_SESSION,
                false);
        prefix(d, "uprobe.multi.s/", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI, AttachKind.UPROBE_MULTI,
                true);
        prefix(d, "uretprobe.multi.s/", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI,
                AttachKind.URETPROBE_MULTI, true);
        prefix(d, "uprobe.session.s/", ProgramType.KPROBE, AttachType.TRACE_UPROBE_SESSION,
                AttachKind.UPROBE_SESSION, true);
        prefix(d, "ksyscall/", ProgramType.KPROBE, null, AttachKind.KSYSCALL, false);
        prefix(d, "kretsyscall/", ProgramType.KPROBE, null, AttachKind.KRETSYSCALL, false);
        prefix(d, "usdt/", ProgramType.KPROBE, null, AttachKind.USDT, false);
        prefix(d, "usdt.s/", ProgramType.KPROBE, null, AttachKind.USDT, true);
        // libbpf treats tc/ingress and tc/egress as aliases of tcx.
        exact(d, "tc/ingress", ProgramType.SCHED_CLS, AttachType.TCX_INGRESS);
        exact(d, "tc/egress", ProgramType.SCHED_CLS, AttachType.TCX_EGRESS);
        exact(d, "tcx/ingress", ProgramType.SCHED_CLS, AttachType.TCX_INGRESS);
        exact(d, "tcx/egress", ProgramType.SCHED_CLS, AttachType.TCX_EGRESS);
        exact(d, "tc", ProgramType.SCHED_CLS, null);
        exact(d, "classifier", ProgramType.SCHED_CLS, null);
        exact(d, "action", ProgramType.SCHED_ACT, null);
        exact(d, "netkit/primary", ProgramType.SCHED_CLS, AttachType.NETKIT_PRIMARY);
        exact(d, "netkit/peer", ProgramType.SCHED_CLS, AttachType.NETKIT_PEER);
        prefix(d, "tracepoint/", ProgramType.TRACEPOINT, null, AttachKind.TRACEPOINT, false);
        prefix(d, "tp/", ProgramType.TRACEPOINT, null, AttachKind.TRACEPOINT, false);
        prefix(d, "raw_tracepoint/", ProgramType.RAW_TRACEPOINT, null, AttachKind.RAW_TRACEPOINT, false);
        prefix(d, "raw_tp/", ProgramType.RAW_TRACEPOINT, null, AttachKind.RAW_TRACEPOINT, false);
        prefix(d, "raw_tracepoint.w/", ProgramType.RAW_TRACEPOINT_WRITABLE, null, AttachKind.RAW_TRACEPOINT, false);
        prefix(d, "raw_tp.w/", ProgramType.RAW_TRACEPOINT_WRITABLE, null, AttachKind.RAW_TRACEPOINT, false);
        prefix(d, "tp_btf/", ProgramType.TRACING, AttachType.TRACE_RAW_TP, AttachKind.BTF_TRACEPOINT, false);
        prefix(d, "fentry/", ProgramType.TRACING, AttachType.TRACE_FENTRY, AttachKind.TRACING, false);
        prefix(d, "fmod_ret/", ProgramType.TRACING, AttachType.MODIFY_RETURN, AttachKind.TRACING, false);
        prefix(d, "fexit/", ProgramType.TRACING, AttachType.TRACE_FEXIT, AttachKind.TRACING, false);
        prefix(d, "fentry.s/", ProgramType.TRACING, AttachType.TRACE_FENTRY, AttachKind.TRACING, true);
        prefix(d, "fmod_ret.s/", ProgramType.TRACING, AttachType.MODIFY_RETURN, AttachKind.TRACING, true);
        prefix(d, "fexit.s/", ProgramType.TRACING, AttachType.TRACE_FEXIT, AttachKind.TRACING, true);
        prefix(d, "freplace/", ProgramType.EXT, null, AttachKind.TRACING, false);
        prefix(d, "lsm/", ProgramType.LSM, AttachType.LSM_MAC, AttachKind.LSM, false);
        prefix(d, "lsm.s/", ProgramType.LSM, AttachType.LSM_MAC, AttachKind.LSM, true);
        prefix(d, "lsm_cgroup/", ProgramType.LSM, AttachType.LSM_CGROUP, AttachKind.MANUAL, false);
        prefix(d, "iter/", ProgramType.TRACING, AttachType.TRACE_ITER, AttachKind.ITERATOR, false);
        prefix(d, "iter.s/", ProgramType.TRACING, AttachType.TRACE_ITER, AttachKind.ITERATOR, true);
        d.add(new SectionDef("syscall", ProgramType.SYSCALL, Optional.empty(), AttachKind.MANUAL, true, true));
        exact(d, "xdp.frags/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP);
        exact(d, "xdp/devmap", ProgramType.XDP, AttachType.XDP_DEVMAP);
        exact(d, "xdp.frags/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP);
        exact(d, "xdp/cpumap", ProgramType.XDP, AttachType.XDP_CPUMAP);
        exact(d, "xdp.frags", ProgramType.XDP, AttachType.XDP);
        exact(d, "xdp", ProgramType.XDP, AttachType.XDP);
        d.add(new SectionDef("perf_event", ProgramType.PERF_EVENT, Optional.empty(), AttachKind.PERF_EVENT, false,
                true));
        exact(d, "lwt_in", ProgramType.LWT_IN, null);
        exact(d, "lwt_out", ProgramType.LWT_OUT, null);
        exact(d, "lwt_xmit", ProgramType.LWT_XMIT, null);
        exact(d, "lwt_seg6local", ProgramType.LWT_SEG6LOCAL, null);
        exact(d, "sockops", ProgramType.SOCK_OPS, AttachType.CGROUP_SOCK_OPS);
        exact(d, "sk_skb/stream_parser", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_PARSER);
        exact(d, "sk_skb/stream_verdict", ProgramType.SK_SKB, AttachType.SK_SKB_STREAM_VERDICT);
        exact(d, "sk_skb/verdict", ProgramType.SK_SKB, AttachType.SK_SKB_VERDICT);
        exact(d, "sk_skb", ProgramType.SK_SKB, null);
        exact(d, "sk_msg", ProgramType.SK_MSG, AttachType.SK_MSG_VERDICT);
        exact(d, "lirc_mode2", ProgramType.LIRC_MODE2, AttachType.LIRC_MODE2);
        exact(d, "flow_dissector", ProgramType.FLOW_DISSECTOR, AttachType.FLOW_DISSECTOR);
        exact(d, "cgroup_skb/ingress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS);
        exact(d, "cgroup_skb/egress", ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS);
        exact(d, "cgroup/skb", ProgramType.CGROUP_SKB, null);
        exact(d, "cgroup/sock_create", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE);
        exact(d, "cgroup/sock_release", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_RELEASE);
        exact(d, "cgroup/sock", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE);
        exact(d, "cgroup/post_bind4", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET4_POST_BIND);
        exact(d, "cgroup/post_bind6", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET6_POST_BIND);
        exact(d, "cgroup/bind4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_BIND);
        exact(d, "cgroup/bind6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_BIND);
        exact(d, "cgroup/connect4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT);
        exact(d, "cgroup/connect6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_CONNECT);
        exact(d, "cgroup/connect_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_CONNECT);
        exact(d, "cgroup/sendmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_SENDMSG);
        exact(d, "cgroup/sendmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_SENDMSG);
        exact(d, "cgroup/sendmsg_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_SENDMSG);
        exact(d, "cgroup/recvmsg4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP4_RECVMSG);
        exact(d, "cgroup/recvmsg6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UDP6_RECVMSG);
        exact(d, "cgroup/recvmsg_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_RECVMSG);
        exact(d, "cgroup/getpeername4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETPEERNAME);
        exact(d, "cgroup/getpeername6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETPEERNAME);
        exact(d, "cgroup/getpeername_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETPEERNAME);
        exact(d, "cgroup/getsockname4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_GETSOCKNAME);
        exact(d, "cgroup/getsockname6", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET6_GETSOCKNAME);
        exact(d, "cgroup/getsockname_unix", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_GETSOCKNAME);
        exact(d, "cgroup/sysctl", ProgramType.CGROUP_SYSCTL, AttachType.CGROUP_SYSCTL);
        exact(d, "cgroup/getsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_GETSOCKOPT);
        exact(d, "cgroup/setsockopt", ProgramType.CGROUP_SOCKOPT, AttachType.CGROUP_SETSOCKOPT);
        exact(d, "cgroup/dev", ProgramType.CGROUP_DEVICE, AttachType.CGROUP_DEVICE);
        prefix(d, "struct_ops/", ProgramType.STRUCT_OPS, null, AttachKind.STRUCT_OPS, false);
        prefix(d, "struct_ops.s/", ProgramType.STRUCT_OPS, null, AttachKind.STRUCT_OPS, true);
        exact(d, "sk_lookup", ProgramType.SK_LOOKUP, AttachType.SK_LOOKUP);
        exact(d, "netfilter", ProgramType.NETFILTER, AttachType.NETFILTER);
        return List.copyOf(d);
    }

    private static void exact(List<SectionDef> d, String name, ProgramType type, AttachType attach) {
        d.add(new SectionDef(name, type, Optional.ofNullable(attach), AttachKind.MANUAL, false, true));
    }

    private static void prefix(List<SectionDef> d, String prefix, ProgramType type, AttachType attach,
            AttachKind kind, boolean sleepable) {
        d.add(new SectionDef(prefix, type, Optional.ofNullable(attach), kind, sleepable, false));
    }
}

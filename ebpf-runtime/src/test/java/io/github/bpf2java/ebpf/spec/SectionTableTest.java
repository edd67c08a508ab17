package io.github.bpf2java.ebpf.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.spec.SectionDef.AttachKind;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SectionTableTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "-", value = {
        "tracepoint/syscalls/sys_enter_execve, TRACEPOINT, -, TRACEPOINT, false, syscalls/sys_enter_execve",
        "tp/sched/sched_switch, TRACEPOINT, -, TRACEPOINT, false, sched/sched_switch",
        "raw_tp/sched_switch, RAW_TRACEPOINT, -, RAW_TRACEPOINT, false, sched_switch",
        "raw_tracepoint/sys_enter, RAW_TRACEPOINT, -, RAW_TRACEPOINT, false, sys_enter",
        "raw_tp.w/bpf_test_finish, RAW_TRACEPOINT_WRITABLE, -, RAW_TRACEPOINT, false, bpf_test_finish",
        "tp_btf/sched_process_exec, TRACING, TRACE_RAW_TP, BTF_TRACEPOINT, false, sched_process_exec",
        "kprobe/do_unlinkat, KPROBE, -, KPROBE, false, do_unlinkat",
        "kprobe, KPROBE, -, KPROBE, false, ''",
        "kretprobe/do_unlinkat, KPROBE, -, KRETPROBE, false, do_unlinkat",
        "ksyscall/execve, KPROBE, -, KSYSCALL, false, execve",
        "kretsyscall/execve, KPROBE, -, KRETSYSCALL, false, execve",
        "kprobe.multi/tcp_*, KPROBE, TRACE_KPROBE_MULTI, KPROBE_MULTI, false, tcp_*",
        "kretprobe.multi/tcp_*, KPROBE, TRACE_KPROBE_MULTI, KRETPROBE_MULTI, false, tcp_*",
        "kprobe.session/vfs_read, KPROBE, TRACE_KPROBE_SESSION, KPROBE_SESSION, false, vfs_read",
        "uprobe//bin/bash:readline, KPROBE, -, UPROBE, false, /bin/bash:readline",
        "uretprobe/libc.so.6:malloc, KPROBE, -, URETPROBE, false, libc.so.6:malloc",
        "uprobe.s/libc.so.6:free, KPROBE, -, UPROBE, true, libc.so.6:free",
        "uprobe.multi/libc.so.6:*, KPROBE, TRACE_UPROBE_MULTI, UPROBE_MULTI, false, libc.so.6:*",
        "usdt/libc.so.6:libc:setjmp, KPROBE, -, USDT, false, libc.so.6:libc:setjmp",
        "xdp, XDP, XDP, MANUAL, false, ''",
        "xdp.frags, XDP, XDP, MANUAL, false, ''",
        "xdp/devmap, XDP, XDP_DEVMAP, MANUAL, false, ''",
        "xdp/cpumap, XDP, XDP_CPUMAP, MANUAL, false, ''",
        "tc, SCHED_CLS, -, MANUAL, false, ''",
        "tc/ingress, SCHED_CLS, TCX_INGRESS, MANUAL, false, ''",
        "tc/egress, SCHED_CLS, TCX_EGRESS, MANUAL, false, ''",
        "tcx/ingress, SCHED_CLS, TCX_INGRESS, MANUAL, false, ''",
        "tcx/egress, SCHED_CLS, TCX_EGRESS, MANUAL, false, ''",
        "netkit/primary, SCHED_CLS, NETKIT_PRIMARY, MANUAL, false, ''",
        "netkit/peer, SCHED_CLS, NETKIT_PEER, MANUAL, false, ''",
        "classifier, SCHED_CLS, -, MANUAL, false, ''",
        "action, SCHED_ACT, -, MANUAL, false, ''",
        "socket, SOCKET_FILTER, -, MANUAL, false, ''",
        "sk_skb/stream_parser, SK_SKB, SK_SKB_STREAM_PARSER, MANUAL, false, ''",
        "sk_skb/stream_verdict, SK_SKB, SK_SKB_STREAM_VERDICT, MANUAL, false, ''",
        "sk_skb, SK_SKB, -, MANUAL, false, ''",
        "sk_msg, SK_MSG, SK_MSG_VERDICT, MANUAL, false, ''",
        "sk_lookup, SK_LOOKUP, SK_LOOKUP, MANUAL, false, ''",
        "sk_reuseport, SK_REUSEPORT, SK_REUSEPORT_SELECT, MANUAL, false, ''",
        "sk_reuseport/migrate, SK_REUSEPORT, SK_REUSEPORT_SELECT_OR_MIGRATE, MANUAL, false, ''",
        "flow_dissector, FLOW_DISSECTOR, FLOW_DISSECTOR, MANUAL, false, ''",
        "cgroup_skb/ingress, CGROUP_SKB, CGROUP_INET_INGRESS, MANUAL, false, ''",
        "cgroup_skb/egress, CGROUP_SKB, CGROUP_INET_EGRESS, MANUAL, false, ''",
        "cgroup/skb, CGROUP_SKB, -, MANUAL, false, ''",
        "cgroup/sock_create, CGROUP_SOCK, CGROUP_INET_SOCK_CREATE, MANUAL, false, ''",
        "cgroup/sock_release, CGROUP_SOCK, CGROUP_INET_SOCK_RELEASE, MANUAL, false, ''",
        "cgroup/post_bind4, CGROUP_SOCK, CGROUP_INET4_POST_BIND, MANUAL, false, ''",
        "cgroup/connect4, CGROUP_SOCK_ADDR, CGROUP_INET4_CONNECT, MANUAL, false, ''",
        "cgroup/connect6, CGROUP_SOCK_ADDR, CGROUP_INET6_CONNECT, MANUAL, false, ''",
        "cgroup/connect_unix, CGROUP_SOCK_ADDR, CGROUP_UNIX_CONNECT, MANUAL, false, ''",
        "cgroup/sendmsg4, CGROUP_SOCK_ADDR, CGROUP_UDP4_SENDMSG, MANUAL, false, ''",
        "cgroup/recvmsg6, CGROUP_SOCK_ADDR, CGROUP_UDP6_RECVMSG, MANUAL, false, ''",
        "cgroup/getpeername4, CGROUP_SOCK_ADDR, CGROUP_INET4_GETPEERNAME, MANUAL, false, ''",
        "cgroup/getsockname_unix, CGROUP_SOCK_ADDR, CGROUP_UNIX_GETSOCKNAME, MANUAL, false, ''",
        "cgroup/bind6, CGROUP_SOCK_ADDR, CGROUP_INET6_BIND, MANUAL, false, ''",
        "cgroup/dev, CGROUP_DEVICE, CGROUP_DEVICE, MANUAL, false, ''",
        "cgroup/sysctl, CGROUP_SYSCTL, CGROUP_SYSCTL, MANUAL, false, ''",
        "cgroup/getsockopt, CGROUP_SOCKOPT, CGROUP_GETSOCKOPT, MANUAL, false, ''",
        "cgroup/setsockopt, CGROUP_SOCKOPT, CGROUP_SETSOCKOPT, MANUAL, false, ''",
        "sockops, SOCK_OPS, CGROUP_SOCK_OPS, MANUAL, false, ''",
        "lirc_mode2, LIRC_MODE2, LIRC_MODE2, MANUAL, false, ''",
        "lwt_in, LWT_IN, -, MANUAL, false, ''",
        "lwt_xmit, LWT_XMIT, -, MANUAL, false, ''",
        "lwt_seg6local, LWT_SEG6LOCAL, -, MANUAL, false, ''",
        "perf_event, PERF_EVENT, -, PERF_EVENT, false, ''",
        "iter/task, TRACING, TRACE_ITER, ITERATOR, false, task",
        "iter.s/task_file, TRACING, TRACE_ITER, ITERATOR, true, task_file",
        "fentry/do_unlinkat, TRACING, TRACE_FENTRY, TRACING, false, do_unlinkat",
        "fexit/do_unlinkat, TRACING, TRACE_FEXIT, TRACING, false, do_unlinkat",
        "fmod_ret/security_file_open, TRACING, MODIFY_RETURN, TRACING, false, security_file_open",
        "fentry.s/do_sys_open, TRACING, TRACE_FENTRY, TRACING, true, do_sys_open",
        "fexit.s/do_sys_open, TRACING, TRACE_FEXIT, TRACING, true, do_sys_open",
        "fmod_ret.s/x, TRACING, MODIFY_RETURN, TRACING, true, x",
        "freplace/handler, EXT, -, TRACING, false, handler",
        "lsm/file_open, LSM, LSM_MAC, LSM, false, file_open",
        "lsm.s/file_open, LSM, LSM_MAC, LSM, true, file_open",
        "lsm_cgroup/socket_bind, LSM, LSM_CGROUP, MANUAL, false, socket_bind",
        "struct_ops/dctcp_init, STRUCT_OPS, -, STRUCT_OPS, false, dctcp_init",
        "struct_ops.s/init, STRUCT_OPS, -, STRUCT_OPS, true, init",
        "syscall, SYSCALL, -, MANUAL, true, ''",
        "netfilter, NETFILTER, NETFILTER, MANUAL, false, ''",
    })
    void mapsSectionNamesLikeLibbpf(String section, ProgramType type, AttachType attach, AttachKind kind,
            boolean sleepable, String target) {
        SectionDef def = SectionTable.find(section).orElseThrow(() -> new AssertionError("no entry for " + section));
        assertEquals(type, def.programType(), section);
        assertEquals(Optional.ofNullable(attach), def.expectedAttachType(), section);
        assertEquals(kind, def.attachKind(), section);
        assertEquals(sleepable, def.sleepable(), section);
        assertEquals(target, def.attachTarget(section), section);
    }

    @Test
    void rejectsNamesLibbpfRejects() {
        for (String name : new String[] {"xdp_prog", "tracepointx/y", "kprobes/x", "socket1", "tcx", "cgroup/bogus",
                "", ".text", "license"}) {
            assertFalse(SectionTable.find(name).isPresent(), name);
        }
    }

    @Test
    void prefersSpecificEntries() {
        assertEquals("xdp.frags/devmap", SectionTable.find("xdp.frags/devmap").orElseThrow().prefix());
        assertEquals("uprobe.multi.s/", SectionTable.find("uprobe.multi.s/lib:f").orElseThrow().prefix());
        assertTrue(SectionTable.definitions().size() > 90);
    }

    @Test
    void typesEveryProgramOfTheSectionsFixture() {
        ObjectSpec spec = ObjectSpec.read("sections", BpfFixtures.compile("sections").bytes());
        Map<String, ProgramType> expected = Map.ofEntries(
                Map.entry("prog_xdp", ProgramType.XDP), Map.entry("prog_xdp_frags", ProgramType.XDP),
                Map.entry("prog_xdp_devmap", ProgramType.XDP), Map.entry("prog_tc", ProgramType.SCHED_CLS),
                Map.entry("prog_tc_ingress", ProgramType.SCHED_CLS),
                Map.entry("prog_tcx_egress", ProgramType.SCHED_CLS),
                Map.entry("prog_classifier", ProgramType.SCHED_CLS),
                Map.entry("prog_socket", ProgramType.SOCKET_FILTER),
                Map.entry("prog_cgroup_skb", ProgramType.CGROUP_SKB),
                Map.entry("prog_connect4", ProgramType.CGROUP_SOCK_ADDR),
                Map.entry("prog_sock_create", ProgramType.CGROUP_SOCK),
                Map.entry("prog_dev", ProgramType.CGROUP_DEVICE), Map.entry("prog_sysctl", ProgramType.CGROUP_SYSCTL),
                Map.entry("prog_sockops", ProgramType.SOCK_OPS), Map.entry("prog_sk_msg", ProgramType.SK_MSG),
                Map.entry("prog_sk_skb", ProgramType.SK_SKB), Map.entry("prog_raw_tp", ProgramType.RAW_TRACEPOINT),
                Map.entry("prog_kprobe", ProgramType.KPROBE), Map.entry("prog_uretprobe_s", ProgramType.KPROBE),
                Map.entry("prog_perf_event", ProgramType.PERF_EVENT), Map.entry("prog_lsm_s", ProgramType.LSM));
        assertEquals(expected.size() + 1, spec.programs().size());
        expected.forEach((name, type) -> assertEquals(Optional.of(type), spec.program(name).orElseThrow().type(),
                name));
        assertTrue(spec.program("prog_uretprobe_s").orElseThrow().sleepable());
        assertTrue(spec.program("prog_lsm_s").orElseThrow().sleepable());
        assertEquals("libc.so.6:malloc", spec.program("prog_uretprobe_s").orElseThrow().attachTarget());
        ProgramSpec unknown = spec.program("prog_unknown").orElseThrow();
        assertTrue(unknown.type().isEmpty() && unknown.sectionDef().isEmpty(), "the loader decides");
        assertEquals("my_custom_section", unknown.sectionName());
    }
}

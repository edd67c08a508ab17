package io.github.bpf2java.ebpf.internal.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.bpf.KernelLog;
import io.github.bpf2java.ebpf.internal.bpf.TypeAvailability;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelErrorsTest {
    @Test
    void picksTheSubclassForTheErrno() {
        assertInstanceOf(PermissionException.class, KernelErrors.forErrno("BPF_MAP_CREATE", 1, "map 'm'"));
        assertInstanceOf(PermissionException.class, KernelErrors.forErrno("BPF_PROG_LOAD", 13, "program 'p'"));
        assertInstanceOf(NotFoundException.class, KernelErrors.forErrno("BPF_OBJ_GET", 2, "pin"));
        assertInstanceOf(BusyException.class, KernelErrors.forErrno("BPF_OBJ_PIN", 17, "pin"));
        assertInstanceOf(BusyException.class, KernelErrors.forErrno("BPF_PROG_ATTACH", 16, "cgroup"));
        assertInstanceOf(NotSupportedException.class, KernelErrors.forErrno("BPF_LINK_CREATE", 524, "link"));
        assertInstanceOf(NotSupportedException.class, KernelErrors.forErrno("BPF_LINK_CREATE", 95, "link"));
        KernelException plain = KernelErrors.forErrno("BPF_MAP_CREATE", 22, "map 'm'");
        assertEquals(KernelException.class, plain.getClass());
        assertEquals("EINVAL", plain.errnoName());
        assertEquals("BPF_MAP_CREATE", plain.operation());
        assertEquals("map 'm'", plain.subject());
    }

    @Test
    void messageNamesOperationSubjectAndErrno() {
        KernelException e = KernelErrors.forErrno("BPF_MAP_CREATE", 7, "map 'big'");
        assertTrue(e.getMessage().startsWith("BPF_MAP_CREATE for map 'big' failed: E2BIG (7, Argument list too long)"),
                e.getMessage());
        assertTrue(e.hint().isPresent());
        assertEquals("errno 4242", KernelErrors.forErrno("x", 4242, "").errnoName());
    }

    @Test
    void permissionHintDescribesThisMachine() {
        PermissionException e = (PermissionException) KernelErrors.forErrno("BPF_MAP_CREATE", 1, "map 'm'");
        String hint = e.hint().orElseThrow();
        // Either the capabilities it lacks and the sysctl, or (running privileged) what else refuses.
        assertTrue(hint.contains("kernel.unprivileged_bpf_disabled") || hint.contains("already has"), hint);
        PermissionException perf = (PermissionException) KernelErrors.forErrno("perf_event_open", 13, "event");
        assertTrue(perf.hint().orElseThrow().contains("kernel.perf_event_paranoid = "), perf.getMessage());
    }

    @Test
    void aProgramTypeNeedingMoreThanCapBpfNamesTheCapabilityTheProcessLacks() {
        long bpfOnly = 1L << 39;
        String netAdmin = KernelErrors.missingCapabilitiesHint("a CGROUP_SOCK_ADDR program", true, false, bpfOnly);
        assertTrue(netAdmin.startsWith("a CGROUP_SOCK_ADDR program needs CAP_BPF and CAP_NET_ADMIN (or "
                + "CAP_SYS_ADMIN); this process lacks CAP_NET_ADMIN"), netAdmin);
        assertTrue(netAdmin.contains("--ambient-caps=+net_admin"), netAdmin);
        String perfmon = KernelErrors.missingCapabilitiesHint("a KPROBE program", false, true, bpfOnly);
        assertTrue(perfmon.contains("lacks CAP_PERFMON"), perfmon);
        long withPerfmon = bpfOnly | 1L << 38;
        assertEquals(null, KernelErrors.missingCapabilitiesHint("a KPROBE program", false, true, withPerfmon),
                "nothing is missing: something else refused");
        assertEquals(null, KernelErrors.missingCapabilitiesHint("an XDP program", true, false, 1L << 21),
                "CAP_SYS_ADMIN stands for them all");
        assertTrue(KernelErrors.missingCapabilitiesHint("an EXT program", true, true, 0).contains(
                "lacks CAP_BPF and CAP_NET_ADMIN and CAP_PERFMON"));
    }

    @Test
    void typeNewerThanTheKernelIsNotSupportedWithBothVersions() {
        Optional<KernelException> e = KernelErrors.newerThanKernel("BPF_MAP_CREATE", 22, "map 'rb'",
                "map type RINGBUF", TypeAvailability.firstKernel(io.github.bpf2java.ebpf.spec.MapType.RINGBUF),
                KernelVersion.parse("5.4.0-150-generic"));
        NotSupportedException ns = assertInstanceOf(NotSupportedException.class, e.orElseThrow());
        assertTrue(ns.getMessage().contains("map type RINGBUF needs Linux 5.8 or later, this kernel is "
                + "5.4.0-150-generic"), ns.getMessage());

        assertTrue(KernelErrors.newerThanKernel("BPF_MAP_CREATE", 22, "m", "map type RINGBUF",
                Optional.of(KernelVersion.of(5, 8)), KernelVersion.parse("5.8.0")).isEmpty(),
                "a kernel that has the type failed for another reason");
        assertTrue(KernelErrors.newerThanKernel("BPF_MAP_CREATE", 1, "m", "map type RINGBUF",
                Optional.of(KernelVersion.of(5, 8)), KernelVersion.parse("5.4.0")).isEmpty(),
                "only EINVAL means an unknown type");
    }

    @Test
    void verifierMessageShowsTheErrorLinesWithoutStatistics() {
        String log = """
                func#0 @0
                0: R1=ctx() R10=fp0
                0: (bf) r0 = r2
                R2 !read_ok
                processed 1 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
                """;
        assertEquals(List.of("0: R1=ctx() R10=fp0", "0: (bf) r0 = r2", "R2 !read_ok"),
                VerifierException.errorLines(log, 3));
        VerifierException e = new VerifierException("prog", 13, log, false);
        assertTrue(e.getMessage().contains("| R2 !read_ok"), e.getMessage());
        assertTrue(!e.getMessage().contains("processed 1 insns"), e.getMessage());
        assertEquals(List.of(), VerifierException.errorLines("", 3));
    }

    @Test
    void aVerifierRefusalForAnUnprivilegedProcessSaysCapPerfmonAllowsIt() {
        // The last lines of a real log (an XDP parser loaded with CAP_BPF and CAP_NET_ADMIN, without CAP_PERFMON).
        String log = """
                ; if (cursor + ihl > data_end) @ port_filter.c:105
                140: (0f) r2 += r3
                R2 has pointer with unsupported alu operation, pointer arithmetic with it prohibited for !root
                """;
        VerifierException unprivileged = new VerifierException("filter_ports", 13, log, false);
        assertTrue(unprivileged.hint().orElseThrow().startsWith("the verifier checked the program as unprivileged, "
                + "and what it says is prohibited \"for !root\" it allows to a process with CAP_PERFMON"),
                unprivileged.getMessage());
        VerifierException unsafe = new VerifierException("p", 13, "R1 invalid mem access 'scalar'", false);
        assertTrue(unsafe.hint().orElseThrow().startsWith("EACCES from the verifier means an unsafe instruction"),
                unsafe.getMessage());
    }

    @Test
    void verifierSourceLineSkipsTheLinesClangNumbersZero() {
        String log = """
                ; __u32 remote = skops->remote_ip6[3]; @ conn_tracker.c:31
                18: (bf) r4 = r1
                ;  @ conn_tracker.c:0
                19: (61) r2 = *(u32 *)(r4 +0)
                dereference of modified ctx ptr R4 off=28 disallowed
                """;
        assertEquals(Optional.of("conn_tracker.c:31: __u32 remote = skops->remote_ip6[3];"),
                new VerifierException("record", 13, log, false).sourceLine());
        assertEquals(Optional.empty(), new VerifierException("record", 13, ";  @ only.c:0\n1: exit", false)
                .sourceLine());
    }

    @Test
    void verifierMessageNamesTheLastSourceLineTheVerifierChecked() {
        String log = """
                0: R1=ctx() R10=fp0
                ; void *data = (void *)(long)ctx->data; @ bad_filter.c:18
                0: (61) r1 = *(u32 *)(r1 +0)
                ; __u32 key = ip->protocol; @ bad_filter.c:21
                1: (71) r1 = *(u8 *)(r1 +23)
                invalid access to packet, off=23 size=1, R1(id=0,off=23,r=0)
                R1 offset is outside of the packet
                processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
                """;
        VerifierException e = new VerifierException("xdp_unchecked", 13, log, false);
        assertEquals(Optional.of("bad_filter.c:21: __u32 key = ip->protocol;"), e.sourceLine());
        assertTrue(e.getMessage().contains("\n  at bad_filter.c:21: __u32 key = ip->protocol;\n  | 1: (71)"),
                e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("not missing privileges"), e.hint().toString());
        assertEquals(Optional.empty(), new VerifierException("p", 22, "0: (bf) r0 = r2\nR2 !read_ok", false)
                .sourceLine());
    }

    @Test
    void logBufferGrowsToWhatTheKernelAsksThenStops() {
        assertEquals(4 * KernelLog.INITIAL_SIZE, KernelLog.nextSize(KernelLog.INITIAL_SIZE, 0));
        assertEquals(300_000, KernelLog.nextSize(KernelLog.INITIAL_SIZE, 300_000));
        assertEquals(KernelLog.MAX_BLIND_SIZE, KernelLog.nextSize(8 << 20, 0));
        assertEquals(-1, KernelLog.nextSize(KernelLog.MAX_BLIND_SIZE, 0));
        assertEquals(-1, KernelLog.nextSize(KernelLog.INITIAL_SIZE, KernelLog.MAX_SIZE + 1));
    }
}

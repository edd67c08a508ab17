package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.CgroupOptions;
import io.github.bpf2java.ebpf.attach.PerfEventSpec;
import io.github.bpf2java.ebpf.attach.SoftwareEvent;
import io.github.bpf2java.ebpf.attach.TcxOptions;
import io.github.bpf2java.ebpf.attach.UprobeOptions;
import io.github.bpf2java.ebpf.attach.XdpOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.fs.MountTable;
import io.github.bpf2java.ebpf.internal.link.CgroupAttacher;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.TestCgroup;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mistakes new users made when attaching, each attempted for real on this kernel: the error (or, where the call is
 * legal but likely wrong, the warning) names the thing and the fix.
 */
class AttachMistakesTest {
    @TempDir
    Path scratch;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
    }

    @Test
    void aDirectoryThatIsNotCgroupV2IsNamedWithWhereCgroupV2IsMounted() {
        MountTable mounts = MountTable.read();
        List<MountTable.Mount> v2 = mounts.ofType("cgroup2");
        try (BpfObject object = net("cgroup_count")) {
            BpfProgram program = object.program("cgroup_count");
            BpfException notCgroup = assertThrows(BpfException.class, () -> program.attachCgroup(scratch));
            assertFalse(notCgroup instanceof KernelException, "refused before the kernel's bare EBADF");
            assertTrue(notCgroup.getMessage().contains(scratch + " is on a ")
                    && notCgroup.getMessage().contains("not a cgroup v2 directory"), notCgroup.getMessage());
            String hint = notCgroup.hint().orElseThrow();
            if (v2.isEmpty()) {
                assertTrue(hint.contains("mount -t cgroup2"), hint);
            } else {
                assertTrue(hint.contains("cgroup v2 is mounted at " + v2.get(0).mountPoint()), hint);
            }

            Optional<MountTable.Mount> v1 = mounts.ofType("cgroup").stream().findFirst();
            if (v1.isPresent()) {
                BpfException legacy = assertThrows(BpfException.class,
                        () -> program.attachCgroup(v1.get().mountPoint()));
                assertTrue(legacy.getMessage().contains(v1.get().mountPoint() + " is a cgroup v1 directory"),
                        legacy.getMessage());
            }
            NotFoundException missing = assertThrows(NotFoundException.class,
                    () -> program.attachCgroup(scratch.resolve("no-such-group")));
            assertTrue(missing.getMessage().contains("no-such-group does not exist"), missing.getMessage());
        }
    }

    @Test
    void anAttachTypeTheProgramTypeDoesNotTakeIsNamedWithTheOnesItTakes() throws Exception {
        try (TestCgroup cgroup = TestCgroup.create("attachmistakes");
                BpfObject object = net("cgroup_count", "cgroup_connect_deny")) {
            BpfException skb = assertThrows(BpfException.class, () -> object.program("cgroup_count")
                    .attachCgroup(cgroup.path(), CgroupOptions.defaults()
                            .withAttachType(AttachType.CGROUP_INET4_CONNECT)));
            assertTrue(skb.getMessage().contains("has type CGROUP_SKB")
                    && skb.getMessage().contains("not attach at CGROUP_INET4_CONNECT")
                    && skb.getMessage().contains("CGROUP_INET_INGRESS, CGROUP_INET_EGRESS"), skb.getMessage());
            assertTrue(skb.hint().orElseThrow().contains("CGROUP_SOCK_ADDR"), skb.hint().orElseThrow());

            BpfException otherHook = assertThrows(BpfException.class, () -> object.program("cgroup_connect_deny")
                    .attachCgroup(cgroup.path(), CgroupOptions.defaults()
                            .withAttachType(AttachType.CGROUP_INET6_CONNECT)));
            assertTrue(otherHook.getMessage().contains("loaded for CGROUP_INET4_CONNECT")
                    && otherHook.getMessage().contains("not at CGROUP_INET6_CONNECT"), otherHook.getMessage());

            // An egress program at ingress: the kernel takes it, and the runtime says so.
            try (LogCapture warnings = new LogCapture(CgroupAttacher.class);
                    BpfLink ingress = object.program("cgroup_count").attachCgroup(cgroup.path(),
                            CgroupOptions.defaults().withAttachType(AttachType.CGROUP_INET_INGRESS))) {
                assertTrue(warnings.single().contains("program 'cgroup_count' is written for CGROUP_INET_EGRESS (by "
                        + "its section) and attached at CGROUP_INET_INGRESS"), "warned");
            }
        }
    }

    @Test
    void aProgramAttachedTwiceToOneTracepointIsToldItIsAttachedAlready() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("counter",
                BpfFixtures.installedCompilers().get(0)))) {
            BpfProgram program = object.program("count_execve");
            try (BpfLink first = program.attach()) {
                BusyException twice = assertThrows(BusyException.class, program::attach);
                assertTrue(twice.getMessage().contains("the program is attached to tracepoint "
                        + "syscalls/sys_enter_execve already"), twice.getMessage());
                assertTrue(twice.hint().orElse("").contains("a program runs once per hook"), twice.getMessage());
                assertFalse(first.isClosed(), "the first link is untouched");
            }
            try (BpfLink again = program.attach()) {
                assertFalse(again.isClosed(), "attachable again once the first link is closed");
            }
        }
    }

    @Test
    void aUprobeForAProcessThatDoesNotExistSaysSo() {
        Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
        try (BpfObject object = BpfObject.load(ProbeAttachTest.probes())) {
            NotFoundException gone = assertThrows(NotFoundException.class, () -> object.program("on_probed_add")
                    .attachUprobe(target.toString(), "probed_add", UprobeOptions.defaults().pid(999999999)));
            assertTrue(gone.getMessage().contains("no process 999999999 (has it exited?)"), gone.getMessage());
            assertEquals(Errno.ESRCH.number(), gone.errno());
        }
    }

    @Test
    void aProgramGivenToTheAttachMethodOfAnotherTypeIsRefusedBeforeTheKernelSaysEinval() {
        Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
        try (BpfObject probes = BpfObject.load(ProbeAttachTest.probes(),
                LoadOptions.builder().programs(Set.of("on_clock", "on_probed_add")).build());
                BpfObject tracepoints = BpfObject.load(BpfFixtures.hostSpec("alternatives",
                        BpfFixtures.installedCompilers().get(0)))) {
            BpfProgram perfEvent = probes.program("on_clock");
            assertRefused(() -> perfEvent.attachTracepoint("sched", "sched_switch"),
                    "program 'on_clock' has type PERF_EVENT; attachTracepoint takes [TRACEPOINT] programs",
                    "attachPerfEventOnEveryCpu");
            assertRefused(() -> perfEvent.attachUprobe(target.toString(), "probed_add"),
                    "has type PERF_EVENT; attachUprobe takes [KPROBE] programs", "SEC(\"uprobe\")");
            assertRefused(() -> probes.program("on_probed_add").attachPerfEvent(
                    PerfEventSpec.software(SoftwareEvent.CPU_CLOCK).sampleFrequency(99), 0),
                    "has type KPROBE; attachPerfEvent takes [PERF_EVENT] programs", "SEC(\"perf_event\")");
            assertRefused(() -> tracepoints.program("exec_by_raw_tracepoint").attachTracepoint("sched",
                    "sched_process_exec"), "has type RAW_TRACEPOINT; attachTracepoint takes [TRACEPOINT]",
                    "program.attach()");
            assertRefused(() -> tracepoints.program("exec_by_tracepoint").attachRawTracepoint("sched_process_exec"),
                    "has type TRACEPOINT; attachRawTracepoint takes [RAW_TRACEPOINT, RAW_TRACEPOINT_WRITABLE]",
                    "program.attach()");
        }
    }

    private static void assertRefused(org.junit.jupiter.api.function.Executable attach, String message,
            String hint) {
        BpfException refused = assertThrows(BpfException.class, attach);
        assertFalse(refused instanceof KernelException, "refused before the kernel: " + refused.getMessage());
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
        assertTrue(refused.hint().orElse("").contains(hint), refused.getMessage());
    }

    @Test
    void xdpOnAnInterfaceIndexThatDoesNotExistSaysSo() {
        try (BpfObject object = net("xdp_drop")) {
            NotFoundException missing = assertThrows(NotFoundException.class,
                    () -> object.program("xdp_drop").attachXdp(999999, XdpOptions.defaults()));
            assertTrue(missing.getMessage().contains("no network interface with index 999999 in this network "
                    + "namespace"), missing.getMessage());
            assertTrue(missing.hint().orElseThrow().contains("ip link show"), missing.hint().orElseThrow());
        }
    }

    @Test
    void updatingADetachedLinkOrWithAnotherProgramTypeSaysWhy() {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("mistakes");
                BpfObject object = net("xdp_drop", "tc_drop")) {
            String ifname = ns.veth().hostName();
            BpfLink link = object.program("xdp_drop").attachXdp(ifname);

            KernelException otherType = assertThrows(KernelException.class,
                    () -> link.update(object.program("tc_drop")));
            assertTrue(otherType.getMessage().contains("runs a program of type XDP and tc_drop has type SCHED_CLS"),
                    otherType.getMessage());
            assertTrue(otherType.hint().orElseThrow().contains("same type (XDP)"), otherType.hint().orElseThrow());

            link.detach();
            KernelException detached = assertThrows(KernelException.class,
                    () -> link.update(object.program("xdp_drop")));
            assertTrue(detached.getMessage().contains("was detached"), detached.getMessage());
            assertTrue(detached.hint().orElseThrow().contains("close it and attach xdp_drop again"),
                    detached.hint().orElseThrow());
            link.close();
        }
    }

    @Test
    void probesAttachedTheOtherWayThanTheirSectionAreWarnedAbout() {
        Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
        try (LogCapture log = new LogCapture(BpfProgram.class);
                BpfObject object = BpfObject.load(ProbeAttachTest.probes())) {
            object.program("on_probed_add_return").attachUprobe(target.toString(), "probed_add").close();
            String warning = log.single();
            assertTrue(warning.contains("'on_probed_add_return' (section 'uretprobe')")
                    && warning.contains("attachUprobe") && warning.contains("call attachUretprobe"), warning);

            object.program("on_probed_add").attachUretprobe(target.toString(), "probed_add").close();
            assertTrue(log.single().contains("'on_probed_add' (section 'uprobe') is attached with attachUretprobe"));

            object.program("on_probed_add").attachUprobe(target.toString(), "probed_add").close();
            assertEquals(List.of(), log.records(), "the direction the section says is not warned about");
        }
    }

    @Test
    void tcxTakesItsDirectionFromTheSectionAndWarnsWhenToldOtherwise() {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("mistakes");
                LogCapture log = new LogCapture(BpfProgram.class);
                BpfObject object = net("tcx_drop", "tc_drop")) {
            String ifname = ns.veth().hostName();
            try (BpfLink bySection = object.program("tcx_drop").attachTcx(ifname)) {
                assertEquals("tcx ingress on " + ifname, bySection.description());
            }
            assertEquals(List.of(), log.records());

            try (BpfLink egress = object.program("tcx_drop").attachTcx(ifname, TcxOptions.egress())) {
                assertEquals("tcx egress on " + ifname, egress.description());
            }
            String warning = log.single();
            assertTrue(warning.contains("'tcx_drop' (section 'tcx/ingress')") && warning.contains("tcx egress")
                    && warning.contains("TcxOptions.ingress()"), warning);

            BpfException noDirection = assertThrows(BpfException.class,
                    () -> object.program("tc_drop").attachTcx(ifname));
            assertTrue(noDirection.getMessage().contains("(section 'tc') does not say whether it is for ingress "
                    + "or egress"), noDirection.getMessage());
            assertTrue(noDirection.hint().orElseThrow().contains("TcxOptions.ingress()"));
        }
    }

    @Test
    void unattachedUprobeProgramsAreCalledUprobePrograms() {
        try (BpfObject object = BpfObject.load(ProbeAttachTest.probes(), LoadOptions.builder()
                .programs(Set.of("on_probed_add", "on_probed_add_return")).build())) {
            AttachReport report = object.attachAll();
            List<String> messages = report.unattached().stream().map(AttachReport.Unattached::message).toList();
            assertTrue(messages.stream().anyMatch(m -> m.startsWith("uprobe program 'on_probed_add' (section "
                    + "'uprobe')")), messages.toString());
            assertTrue(messages.stream().noneMatch(m -> m.startsWith("kprobe")), messages.toString());
        }
    }

    private static BpfObject net(String... programs) {
        ObjectSpec spec = BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0));
        return BpfObject.load(spec, LoadOptions.builder().programs(Set.of(programs)).build());
    }

    /** The WARNING records a class logs (through System.Logger, which goes to java.util.logging here). */
    private static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<String> messages = new ArrayList<>();

        LogCapture(Class<?> source) {
            logger = Logger.getLogger(source.getName());
            setLevel(Level.WARNING);
            logger.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                messages.add(record.getMessage());
            }
        }

        /** The one record logged since the last call, which it clears. */
        synchronized String single() {
            assertEquals(1, messages.size(), messages.toString());
            return messages.remove(0);
        }

        synchronized List<String> records() {
            return List.copyOf(messages);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}

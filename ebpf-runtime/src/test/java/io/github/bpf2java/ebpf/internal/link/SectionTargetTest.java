package io.github.bpf2java.ebpf.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.AttachReport;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.fs.MountTable;
import io.github.bpf2java.ebpf.spec.FunctionSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.SectionDef;
import io.github.bpf2java.ebpf.spec.SectionTable;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** libbpf's section conventions read into attach targets, without a kernel. */
class SectionTargetTest {

    @Test
    void probeSectionsNameTheirTargets() {
        assertEquals(new SectionTarget.Uprobe("/bin/bash", "readline", 0, true), of("uretprobe//bin/bash:readline"));
        assertEquals(new SectionTarget.Uprobe("libc.so.6", "getenv", 0, false), of("uprobe/libc.so.6:getenv"));
        assertEquals(new SectionTarget.Uprobe("libc.so.6", "getenv@@GLIBC_2.2.5", 0x10, false),
                of("uprobe/libc.so.6:getenv@@GLIBC_2.2.5+0x10"));
        assertEquals(new SectionTarget.Uprobe("/usr/bin/x", "", 0x1234, false), of("uprobe//usr/bin/x:0x1234"));
        assertEquals(new SectionTarget.Uprobe("libc.so.6", "malloc", 0, true), of("uretprobe.s/libc.so.6:malloc"));
        assertEquals(new SectionTarget.UprobeMulti("libc.so.6", "get*", false), of("uprobe.multi/libc.so.6:get*"));
        assertEquals(new SectionTarget.Usdt("/usr/bin/python3", "python", "function__entry"),
                of("usdt//usr/bin/python3:python:function__entry"));
        assertEquals(new SectionTarget.Kprobe("do_unlinkat", 0, false), of("kprobe/do_unlinkat"));
        assertEquals(new SectionTarget.Kprobe("do_unlinkat", 8, false), of("kprobe/do_unlinkat+8"));
        assertEquals(new SectionTarget.Kprobe("do_unlinkat", 0, true), of("kretprobe/do_unlinkat"));
        assertEquals(new SectionTarget.Ksyscall("openat", false), of("ksyscall/openat"));
        assertEquals(new SectionTarget.Ksyscall("openat", true), of("kretsyscall/openat"));
        assertEquals(new SectionTarget.KprobeMulti("vfs_*", true), of("kretprobe.multi/vfs_*"));
        assertEquals(new SectionTarget.Tracepoint("syscalls", "sys_enter_execve"),
                of("tp/syscalls/sys_enter_execve"));
        assertEquals(new SectionTarget.RawTracepoint("sched_switch"), of("raw_tp/sched_switch"));
    }

    @Test
    void sectionsWithoutTargetsSayWhichMethodToCall() {
        assertEquals("program.attachUprobe(\"/path/to/binary\", \"function\")", manual("uprobe").howTo());
        assertEquals("program.attachUretprobe(\"/path/to/binary\", \"function\")", manual("uretprobe").howTo());
        assertEquals("program.attachKsyscall(\"openat\")", manual("ksyscall").howTo());
        assertEquals("program.attachUsdt(\"/path/to/binary\", \"provider\", \"name\")", manual("usdt").howTo());
        assertEquals("program.attachXdp(\"eth0\")", manual("xdp").howTo());
        assertEquals("program.attachTcx(\"eth0\")", manual("tcx/egress").howTo(), "the section gives the direction");
        assertEquals("needs a network interface", manual("tcx/ingress").reason());
        assertTrue(manual("tc").howTo().contains("TcxOptions"), "tc sections do not: " + manual("tc").howTo());
        assertTrue(manual("cgroup_skb/ingress").howTo().contains("attachCgroup"));
        assertTrue(manual("perf_event").howTo().contains("attachPerfEvent"));
        assertEquals("needs a socket", manual("socket").reason());
        // A map iterator needs its map, which the kernel requires and no section names; other iterators attach.
        assertEquals("program.attachIterator(map)", manual("iter/bpf_map_elem").howTo());
        assertEquals("needs the map to walk", manual("iter/sockmap").reason());
        assertEquals(new SectionTarget.Iterator("task"), of("iter/task"));
        assertEquals(new SectionTarget.Iterator("cgroup"), of("iter.s/cgroup"));
    }

    @Test
    void cgroupHowToNamesThisMachinesCgroup2MountNotAlwaysSysFsCgroup() {
        MountTable hybrid = MountTable.parse("""
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
                41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
                """);
        assertEquals("/sys/fs/cgroup/unified/...", CgroupAttacher.exampleGroup(hybrid));
        assertEquals("/sys/fs/cgroup/...", CgroupAttacher.exampleGroup(new MountTable(List.of())),
                "no cgroup2 mount: the usual place");
        String here = CgroupAttacher.exampleGroup(MountTable.read());
        assertEquals("program.attachCgroup(Path.of(\"" + here + "\"))", manual("cgroup_skb/ingress").howTo());
        assertEquals("program.attachCgroup(Path.of(\"" + here + "\"))", manual("sockops").howTo());
    }

    @Test
    void malformedTargetsAreRefusalsNotSkips() {
        SectionTarget.Invalid uprobe = invalid("uprobe//bin/bash");
        assertEquals("does not name its target as <binary>:<function>[+<offset>]", uprobe.problem());
        assertTrue(invalid("uretprobe/libc.so.6:malloc+4").problem().contains("which a uretprobe cannot have"));
        assertTrue(invalid("usdt//bin/x:provider").problem().contains("<binary>:<provider>:<name>"));
        invalid("tracepoint/no_slash");
        invalid("uretprobe/readline"); // libbpf-tools' bashreadline: a function, no binary
        BpfException refusal = SectionTarget.refusal(program("uprobe//bin/bash"), uprobe);
        assertEquals("program 'prog' in section 'uprobe//bin/bash' does not name its target as "
                + "<binary>:<function>[+<offset>]", refusal.getMessage().lines().findFirst().orElseThrow());
        assertTrue(refusal.hint().orElseThrow().contains("attachUprobe(binary, function)"), refusal.getMessage());
    }

    @Test
    void thePublicPlanSaysWhatAttachingBySectionDoes() {
        assertEquals(new AttachReport.Plan(AttachReport.Plan.Outcome.ATTACHED, ""),
                AttachReport.plan(program("tracepoint/syscalls/sys_enter_execve")));
        assertEquals(new AttachReport.Plan(AttachReport.Plan.Outcome.LEFT_OUT, "needs a network interface"),
                AttachReport.plan(program("xdp")));
        assertEquals(new AttachReport.Plan(AttachReport.Plan.Outcome.REFUSED,
                "does not name its target as <binary>:<function>[+<offset>]"),
                AttachReport.plan(program("uretprobe/readline")));
    }

    private static SectionTarget.Invalid invalid(String section) {
        return assertInstanceOf(SectionTarget.Invalid.class, of(section));
    }

    private static SectionTarget.Manual manual(String section) {
        return assertInstanceOf(SectionTarget.Manual.class, of(section));
    }

    private static SectionTarget of(String section) {
        return SectionTarget.of(program(section));
    }

    private static ProgramSpec program(String section) {
        Optional<SectionDef> def = SectionTable.find(section);
        return new ProgramSpec("prog", section, def.map(SectionDef::programType),
                def.flatMap(SectionDef::expectedAttachType), def.map(d -> d.attachTarget(section)).orElse(""), def,
                def.map(SectionDef::sleepable).orElse(false), new FunctionSpec("prog", section, true, new byte[8],
                java.nio.ByteOrder.nativeOrder(), java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.List.of()));
    }
}

package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.link.SectionTarget;
import io.github.bpf2java.ebpf.spec.FunctionSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.SectionDef;
import io.github.bpf2java.ebpf.spec.SectionTable;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the generated Javadoc says {@code attach()} does with a program agrees with what the runtime does: the plugin
 * may not use the runtime's internal section parser, so it keeps the same rules, and this test holds the two
 * together section by section.
 */
class ProgramAttachmentTest {

    @ParameterizedTest
    @ValueSource(strings = {"tracepoint/syscalls/sys_enter_execve", "tracepoint/syscalls", "tp/syscalls/",
            "tracepoint", "raw_tp/sched_switch", "raw_tp", "kprobe/do_unlinkat", "kprobe/do_unlinkat+0x10",
            "kprobe", "kretprobe/do_unlinkat", "kretprobe/do_unlinkat+8", "kretprobe/do_unlinkat+0",
            "ksyscall/openat", "kretsyscall", "kprobe.multi/tcp_v4_*", "uprobe//bin/bash:readline",
            "uprobe/libc.so.6:malloc+4", "uprobe/libc.so.6:0x1234", "uprobe/libc.so.6:", "uprobe/:malloc", "uprobe",
            "uretprobe/readline", "uretprobe/bash_readline", "uretprobe//bin/bash:readline",
            "uretprobe/libc.so.6:malloc+4", "uretprobe", "uprobe.multi/libc.so.6:get*", "uprobe.multi/libc.so.6",
            "uretprobe.multi", "usdt", "usdt//usr/bin/python3:python:function__entry", "usdt/python3:function__entry",
            "usdt/a::b", "iter/task", "iter/bpf_map_elem", "fentry/do_unlinkat", "lsm/file_open", "xdp", "tc",
            "tcx/ingress", "cgroup_skb/egress", "perf_event", "socket", "struct_ops/test"})
    void saysWhatTheRuntimesAttachDoes(String section) {
        ProgramSpec program = program(section);
        boolean throwsInRuntime;
        boolean attachesInRuntime;
        try {
            SectionTarget target = SectionTarget.of(program);
            throwsInRuntime = false;
            attachesInRuntime = !(target instanceof SectionTarget.Manual);
        } catch (BpfException malformed) {
            throwsInRuntime = true;
            attachesInRuntime = false;
        }
        assertEquals(throwsInRuntime, ProgramAttachment.malformedTarget(program).isPresent(),
                "whether attach() throws for " + section);
        assertEquals(attachesInRuntime, ProgramAttachment.bySection(program), "whether attach() attaches " + section);
    }

    /** A program in {@code section}, as the runtime's object reader makes it. */
    private static ProgramSpec program(String section) {
        Optional<SectionDef> def = SectionTable.find(section).or(() -> SectionTable.lenientMatch(section));
        FunctionSpec function = new FunctionSpec("prog", section, true, new byte[8], ByteOrder.LITTLE_ENDIAN,
                List.of(), List.of(), List.of(), List.of());
        return new ProgramSpec("prog", section, def.map(SectionDef::programType),
                def.flatMap(SectionDef::expectedAttachType), def.map(d -> d.attachTarget(section)).orElse(""), def,
                false, function);
    }
}

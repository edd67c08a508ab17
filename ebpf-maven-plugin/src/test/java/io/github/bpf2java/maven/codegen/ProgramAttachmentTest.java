package io.github.bpf2java.maven.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * What the generated Javadoc says {@code attach()} does with a program, by section: the runtime's own reading of it
 * ({@code AttachReport.plan}), worded for the program's accessor.
 */
class ProgramAttachmentTest {

    @ParameterizedTest
    @ValueSource(strings = {"tracepoint/syscalls/sys_enter_execve", "raw_tp/sched_switch", "kprobe/do_unlinkat",
            "uprobe//bin/bash:readline", "usdt//usr/bin/python3:python:function__entry", "iter/task"})
    void sectionsThatNameATargetAreAttached(String section) {
        assertTrue(ProgramAttachment.bySection(program(section)), section);
        assertEquals(Optional.empty(), ProgramAttachment.malformedTarget(program(section)), section);
        String doc = ProgramAttachment.doc(program(section)).orElseThrow().toString();
        assertTrue(doc.contains("{@link #attach()} attaches it where its section says"), doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xdp", "tc", "cgroup_skb/egress", "perf_event", "socket", "uprobe", "iter/bpf_map_elem"})
    void sectionsThatNameNoTargetAreLeftOutWithTheMethodToCall(String section) {
        assertFalse(ProgramAttachment.bySection(program(section)), section);
        assertEquals(Optional.empty(), ProgramAttachment.malformedTarget(program(section)), section);
        String doc = ProgramAttachment.doc(program(section)).orElseThrow().toString();
        assertTrue(doc.contains("leaves it out"), doc);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uretprobe/readline", "uretprobe/bash_readline", "uprobe/libc.so.6:", "tp/syscalls/",
            "usdt/a::b", "kretprobe/do_unlinkat+8"})
    void sectionsWhoseTargetDoesNotParseAreSaidToMakeAttachThrow(String section) {
        assertFalse(ProgramAttachment.bySection(program(section)), section);
        assertTrue(ProgramAttachment.malformedTarget(program(section)).isPresent(), section);
        String doc = ProgramAttachment.doc(program(section)).orElseThrow().toString();
        assertTrue(doc.contains("so {@link #attach()} throws"), doc);
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

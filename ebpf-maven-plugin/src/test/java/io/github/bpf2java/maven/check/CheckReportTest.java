package io.github.bpf2java.maven.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.spec.CoreRelocationKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckReportTest {
    private static final String PROBE = "com/example/ebpf/probe_bpfel.o";
    private static final RelocationFailure PID_ON_OLD = new RelocationFailure(PROBE, "handle_exec", 7,
            CoreRelocationKind.FIELD_BYTE_OFFSET, "task_struct.pid", "struct task_struct",
            "no field pid in struct task_struct");

    @Test
    void everyKernelGetsALineAndPassingSaysSo() {
        CheckReport report = new CheckReport(new CheckResult(List.of(PROBE),
                List.of(ok("/sys/kernel/btf/vmlinux", 3), ok("kernels/6.1.btf", 3)), List.of()));
        assertEquals(List.of("/sys/kernel/btf/vmlinux: OK (3 relocations in 1 object)",
                "kernels/6.1.btf: OK (3 relocations in 1 object)"), report.kernelLines());
        assertEquals(List.of(), report.failureLines());
        assertEquals("CO-RE check passed: every relocation of 1 object is satisfied on 2 kernels", report.summary());
    }

    @Test
    void relocationsBehindAnExistenceCheckAreCountedNotFailed() {
        KernelResult guarded = new KernelResult(new KernelBtf(Path.of("kernels/5.4.btf"), "kernels/5.4.btf"), 1, 12,
                List.of(), 1, Optional.empty());
        CheckReport report = new CheckReport(new CheckResult(List.of(PROBE), List.of(guarded), List.of()));
        assertEquals(List.of("kernels/5.4.btf: OK (12 relocations in 1 object; 1 unsatisfied behind an existence"
                + " check)"), report.kernelLines());
        assertEquals(List.of(), report.failureLines());
        assertEquals("CO-RE check passed: every relocation of 1 object is satisfied on 1 kernel, except in code"
                + " behind an existence check that the kernel answers no, which cannot run there", report.summary());
        assertTrue(guarded.ok());
    }

    @Test
    void aRelocationFailingOnSeveralKernelsIsListedOnceWithTheKernelsByReason() {
        RelocationFailure commOnOld = new RelocationFailure(PROBE, "handle_exec", 3,
                CoreRelocationKind.FIELD_EXISTS, "task_struct.comm", "struct task_struct",
                "no field comm in struct task_struct");
        RelocationFailure pidMoved = new RelocationFailure(PROBE, "handle_exec", 7,
                CoreRelocationKind.FIELD_BYTE_OFFSET, "task_struct.pid", "struct task_struct",
                "struct task_struct has pid___v2 and pid___v3, which differ");
        CheckReport report = new CheckReport(new CheckResult(List.of(PROBE, "com/example/ebpf/probe_bpfeb.o"), List.of(
                ok("/sys/kernel/btf/vmlinux", 3),
                failing("kernels/4.18.btf", 3, PID_ON_OLD, commOnOld),
                failing("kernels/5.4.btf", 3, PID_ON_OLD),
                failing("kernels/odd.btf", 3, pidMoved),
                KernelResult.unreadable(new KernelBtf(Path.of("kernels/bad.btf"), "kernels/bad.btf"),
                        "kernels/bad.btf is not valid BTF: this raw BTF does not parse: BTF: truncated")),
                List.of("com/example/ebpf/probe_bpfeb.o")));
        assertEquals(List.of("/sys/kernel/btf/vmlinux: OK (3 relocations in 1 object)",
                "kernels/4.18.btf: 2 failures (of 3 relocations in 1 object)",
                "kernels/5.4.btf: 1 failure (of 3 relocations in 1 object)",
                "kernels/odd.btf: 1 failure (of 3 relocations in 1 object)",
                "kernels/bad.btf: cannot be used: kernels/bad.btf is not valid BTF: this raw BTF does not parse: BTF:"
                        + " truncated"), report.kernelLines());
        assertEquals(List.of(
                PROBE + ": program 'handle_exec' instruction 3: FIELD_EXISTS of task_struct.comm (local type struct"
                        + " task_struct)",
                "    no field comm in struct task_struct: kernels/4.18.btf",
                PROBE + ": program 'handle_exec' instruction 7: FIELD_BYTE_OFFSET of task_struct.pid (local type"
                        + " struct task_struct)",
                "    no field pid in struct task_struct: kernels/4.18.btf, kernels/5.4.btf",
                "    struct task_struct has pid___v2 and pid___v3, which differ: kernels/odd.btf"),
                report.failureLines());
        assertEquals("CO-RE check failed: 2 relocations in 1 object cannot be satisfied on 3 of 5 kernels"
                + " (kernels/4.18.btf, kernels/5.4.btf, kernels/odd.btf); 1 kernel BTF cannot be used"
                + " (kernels/bad.btf). Not checked, as no kernel listed has their byte order:"
                + " com/example/ebpf/probe_bpfeb.o", report.summary());
    }

    @Test
    void aLongListOfKernelsIsCutShort() {
        List<KernelResult> kernels = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            kernels.add(failing("btfhub/5.4.0-" + i + ".btf", 1, PID_ON_OLD));
        }
        CheckReport report = new CheckReport(new CheckResult(List.of(PROBE), kernels, List.of()));
        assertEquals("    no field pid in struct task_struct: btfhub/5.4.0-0.btf, btfhub/5.4.0-1.btf,"
                + " btfhub/5.4.0-2.btf, btfhub/5.4.0-3.btf, btfhub/5.4.0-4.btf, btfhub/5.4.0-5.btf, btfhub/5.4.0-6.btf,"
                + " btfhub/5.4.0-7.btf, btfhub/5.4.0-8.btf, btfhub/5.4.0-9.btf and 15 more",
                report.failureLines().get(1));
        assertEquals(2, report.failureLines().size());
        assertEquals(25, report.kernelLines().size());
    }

    @Test
    void manyUncheckedObjectsAreCountedAfterAFew() {
        List<String> unchecked = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            unchecked.add("com/example/ebpf/o" + i + "_bpfeb.o");
        }
        CheckReport report = new CheckReport(new CheckResult(List.of(PROBE), List.of(ok("kernels/6.1.btf", 3)),
                unchecked));
        assertTrue(report.summary().endsWith(". Not checked, as no kernel listed has their byte order:"
                + " com/example/ebpf/o0_bpfeb.o, com/example/ebpf/o1_bpfeb.o, com/example/ebpf/o2_bpfeb.o and 4 more"),
                report.summary());
    }

    private static KernelResult ok(String name, int relocations) {
        return new KernelResult(new KernelBtf(Path.of(name), name), 1, relocations, List.of(), 0, Optional.empty());
    }

    private static KernelResult failing(String name, int relocations, RelocationFailure... failures) {
        return new KernelResult(new KernelBtf(Path.of(name), name), 1, relocations, List.of(failures), 0,
                Optional.empty());
    }
}

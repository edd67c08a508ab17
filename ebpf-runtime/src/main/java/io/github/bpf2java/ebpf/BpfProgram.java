package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import io.github.bpf2java.ebpf.internal.link.Attacher;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;

/**
 * A program loaded into the kernel, owned by its {@link BpfObject}. The links made through it belong to the object
 * too: closing a link detaches the program, closing the object detaches everything.
 */
public final class BpfProgram {
    private final BpfObject owner;
    private final ProgramSpec spec;
    private final ProgramType type;
    private final Fd fd;

    BpfProgram(BpfObject owner, ProgramSpec spec, ProgramType type, Fd fd) {
        this.owner = owner;
        this.spec = spec;
        this.type = type;
        this.fd = fd;
    }

    /** The C function name. */
    public String name() {
        return spec.name();
    }

    /** The ELF section it came from, e.g. {@code tracepoint/syscalls/sys_enter_execve}. */
    public String sectionName() {
        return spec.sectionName();
    }

    /** The program type it was loaded as. */
    public ProgramType type() {
        return type;
    }

    /** What the object file says about this program. */
    public ProgramSpec spec() {
        return spec;
    }

    /** The program's file descriptor, valid until its object is closed. */
    public int fd() {
        return fd.raw();
    }

    /** The kernel's id of this program, as {@code bpftool prog show} lists it. */
    public int id() {
        return ProgramInfo.of(fd).id();
    }

    /** Whether {@link #attach()} knows where this program goes: its section names a tracepoint, a BTF target, .... */
    public boolean attachesBySection() {
        return Attacher.attachesBySection(spec);
    }

    /**
     * Attaches where the section name says: {@code tracepoint/<category>/<name>}, {@code raw_tp/<name>},
     * {@code tp_btf/<name>}, {@code fentry/<function>}, {@code lsm/<hook>}, {@code iter/<target>}.
     *
     * @throws BpfException when the section does not say where or the kernel refuses
     */
    public BpfLink attach() {
        return owner.adopt(Attacher.attachBySection(spec, fd));
    }

    /** Attaches to the tracepoint {@code category/name} (tracefs {@code events/<category>/<name>}). */
    public BpfLink attachTracepoint(String category, String name) {
        return owner.adopt(Attacher.tracepoint(fd, category, name));
    }

    /** Attaches to the raw tracepoint {@code name}, e.g. {@code sched_switch}. */
    public BpfLink attachRawTracepoint(String name) {
        return owner.adopt(Attacher.rawTracepoint(fd, name));
    }

    // --- testing and introspection (issue 13): test runs, statistics, kernel info ---

    /**
     * Runs this program once (or {@link TestRun#repeat()} times) on test input, without attaching it
     * ({@code BPF_PROG_TEST_RUN}). What each program type accepts (data, context, flags) is listed in
     * {@link io.github.bpf2java.ebpf.run}.
     *
     * @throws io.github.bpf2java.ebpf.error.KernelException when this program type cannot be test-run
     *                                                       ({@code ENOTSUPP}) or the input is refused
     *                                                       ({@code EINVAL}: too short a frame, a context field
     *                                                       the type does not allow, repeat on a raw tracepoint)
     */
    public TestRunResult testRun(TestRun run) {
        return ProgramTestRuns.run(fd, type, run);
    }

    /** How often this program ran and for how long, counted while {@link BpfStats#enable()} is on. */
    public BpfProgramStats stats() {
        return info().stats();
    }

    /** What the kernel reports about this program: id, tag, verified instructions, memlock, statistics. */
    public BpfProgramInfo info() {
        return BpfProgramInfo.of(fd);
    }

    Fd handle() {
        return fd;
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name() + ", " + type + ", section " + sectionName() + "]";
    }
}

package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.attach.CgroupOptions;
import io.github.bpf2java.ebpf.attach.IteratorOptions;
import io.github.bpf2java.ebpf.attach.KprobeOptions;
import io.github.bpf2java.ebpf.attach.NetfilterOptions;
import io.github.bpf2java.ebpf.attach.PerfEventSpec;
import io.github.bpf2java.ebpf.attach.TcDirection;
import io.github.bpf2java.ebpf.attach.TcOptions;
import io.github.bpf2java.ebpf.attach.TcxOptions;
import io.github.bpf2java.ebpf.attach.UprobeOptions;
import io.github.bpf2java.ebpf.attach.UsdtOptions;
import io.github.bpf2java.ebpf.attach.XdpOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.Pins;
import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.link.Attacher;
import io.github.bpf2java.ebpf.internal.link.CgroupAttacher;
import io.github.bpf2java.ebpf.internal.link.IteratorAttacher;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.link.NetworkAttacher;
import io.github.bpf2java.ebpf.internal.link.SectionTarget;
import io.github.bpf2java.ebpf.internal.link.SocketAttacher;
import io.github.bpf2java.ebpf.internal.link.TracingAttacher;
import io.github.bpf2java.ebpf.internal.load.Closeables;
import io.github.bpf2java.ebpf.internal.netlink.Interfaces;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.SectionDef;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A program loaded into the kernel, owned by its {@link BpfObject}. The links made through it belong to the object
 * too: closing a link detaches the program, closing the object detaches everything.
 */
public final class BpfProgram {
    private static final System.Logger LOG = System.getLogger(BpfProgram.class.getName());

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

    /**
     * Whether {@link #attach()} knows where this program goes: its section names a tracepoint, a probe target, a
     * BTF target, .... The others are listed by {@link BpfObject#attachAll()} with the method to call.
     */
    public boolean attachesBySection() {
        // A refused target counts: the section names one, wrongly, and attach() says what is wrong with it.
        return AttachReport.plan(spec).outcome() != AttachReport.Plan.Outcome.LEFT_OUT;
    }

    /**
     * Attaches where the section name says, in libbpf's conventions: {@code tracepoint/<category>/<name>},
     * {@code raw_tp/<name>}, {@code tp_btf/<name>}, {@code fentry/<function>}, {@code lsm/<hook>},
     * {@code iter/<target>}, {@code kprobe/<function>[+<offset>]}, {@code kretprobe/<function>},
     * {@code ksyscall/<name>}, {@code kprobe.multi/<pattern>}, {@code uprobe/<binary>:<function>[+<offset>]},
     * {@code uretprobe/<binary>:<function>}, {@code uprobe.multi/<binary>:<pattern>},
     * {@code usdt/<binary>:<provider>:<name>}. A binary is a path or a name looked up like the shell and the
     * dynamic linker do ({@code bash}, {@code libc.so.6}).
     *
     * @throws BpfException when the section does not say where (the message names the method to call instead) or
     *     the kernel refuses
     */
    public BpfLink attach() {
        try {
            return attachBySection();
        } catch (KernelException e) {
            // What failed may name only a file or a function: say which program's section asked for it.
            throw KernelErrors.withContext(e, "program '" + name() + "' (section '" + sectionName() + "')");
        }
    }

    private BpfLink attachBySection() {
        SectionTarget target = SectionTarget.of(spec);
        if (target instanceof SectionTarget.Invalid invalid) {
            throw SectionTarget.refusal(spec, invalid);
        } else if (target instanceof SectionTarget.Tracepoint t) {
            return attachTracepoint(t.category(), t.name());
        } else if (target instanceof SectionTarget.RawTracepoint t) {
            return attachRawTracepoint(t.name());
        } else if (target instanceof SectionTarget.BtfTyped t) {
            return adopt(type == ProgramType.LSM ? Attacher.lsm(fd, t.description())
                    : Attacher.btfTyped(fd, t.description()));
        } else if (target instanceof SectionTarget.Iterator t) {
            return adopt(IteratorAttacher.attach(fd, t.target()));
        } else if (target instanceof SectionTarget.Kprobe k) {
            return adopt(TracingAttacher.kprobe(fd, k.function(), k.offset(), k.ret(), 0));
        } else if (target instanceof SectionTarget.Ksyscall k) {
            return adopt(TracingAttacher.ksyscall(fd, k.syscall(), k.ret()));
        } else if (target instanceof SectionTarget.KprobeMulti k) {
            return adopt(TracingAttacher.kprobeMulti(fd, k.pattern(), k.ret()));
        } else if (target instanceof SectionTarget.Uprobe u) {
            return adopt(u.function().isEmpty()
                    ? TracingAttacher.uprobeAt(fd, u.binary(), u.offset(), u.ret(), -1, 0, 0, forUprobeMulti())
                    : TracingAttacher.uprobe(fd, u.binary(), u.function(), u.ret(), -1, u.offset(), 0, 0,
                            forUprobeMulti()));
        } else if (target instanceof SectionTarget.UprobeMulti u) {
            return adopt(TracingAttacher.uprobeMulti(fd, u.binary(), u.pattern(), u.ret(), -1, 0));
        } else if (target instanceof SectionTarget.Usdt u) {
            return attachUsdt(u.binary(), u.provider(), u.name());
        }
        SectionTarget.Manual manual = (SectionTarget.Manual) target;
        throw new BpfException(SectionTarget.programKind(spec, type) + " program '" + name()
                + "' in section '" + sectionName() + "' cannot attach by itself: it " + manual.reason(),
                manual.howTo().isEmpty() ? null : "call " + manual.howTo(), null);
    }

    /** Attaches to the tracepoint {@code category/name} (tracefs {@code events/<category>/<name>}). */
    public BpfLink attachTracepoint(String category, String name) {
        requireType("attachTracepoint", "SEC(\"tracepoint/<category>/<name>\")", ProgramType.TRACEPOINT);
        return adopt(Attacher.tracepoint(fd, category, name));
    }

    /** Attaches to the raw tracepoint {@code name}, e.g. {@code sched_switch}. */
    public BpfLink attachRawTracepoint(String name) {
        requireType("attachRawTracepoint", "SEC(\"raw_tracepoint/<name>\")", ProgramType.RAW_TRACEPOINT,
                ProgramType.RAW_TRACEPOINT_WRITABLE);
        return adopt(Attacher.rawTracepoint(fd, name));
    }

    /**
     * Attaches this iterator program ({@code SEC("iter/<target>")}) with parameters: limited to one thread, one
     * process or a pidfd's process ({@code iter/task}, {@code iter/task_file}, {@code iter/task_vma}), or starting
     * at a cgroup and walking in an order ({@code iter/cgroup}); Linux 6.1+. Read it with
     * {@link BpfLink#openIterator()}. {@link #attach()} attaches it without parameters, to walk everything.
     *
     * @throws BpfException when this is no iterator program, or its target does not take {@code options} (say
     *     {@code IteratorOptions.process} for an {@code iter/cgroup} program): the kernel would ignore them
     * @throws NotSupportedException on kernels before Linux 6.1, which ignore a task iterator's parameters
     * @throws KernelException when the kernel refuses: {@code EBADF} for a descriptor that is no pidfd or a
     *     directory that is no cgroup, {@code ENOENT} for a cgroup id that does not exist
     */
    public BpfLink attachIterator(IteratorOptions options) {
        Objects.requireNonNull(options, "options");
        return adopt(IteratorAttacher.attach(fd, name(), iteratorTarget("attachIterator(IteratorOptions)"),
                options));
    }

    /**
     * Attaches this map iterator ({@code SEC("iter/bpf_map_elem")}, {@code iter/bpf_sk_storage_map},
     * {@code iter/sockmap}) to walk the elements of {@code map}; read it with {@link BpfLink#openIterator()}. The
     * link keeps the map alive while it exists.
     *
     * @throws BpfException when this is no iterator program, its target walks no map, or not maps of this type
     *     ({@code iter/sockmap} walks SOCKMAP and SOCKHASH, {@code iter/bpf_sk_storage_map} SK_STORAGE)
     * @throws KernelException when the kernel refuses: {@code EINVAL} for a map {@code iter/bpf_map_elem} cannot
     *     walk (it walks hash maps and arrays), {@code EACCES} when the program reads more of a key or value than
     *     the map's elements have
     */
    public BpfLink attachIterator(BpfMap map) {
        Objects.requireNonNull(map, "map");
        return adopt(IteratorAttacher.attachToMap(fd, name(), iteratorTarget("attachIterator(BpfMap)"),
                map.handle(), map.name()));
    }

    private String iteratorTarget(String method) {
        if (spec.sectionDef().filter(d -> d.attachKind() == SectionDef.AttachKind.ITERATOR).isPresent()) {
            return spec.attachTarget();
        }
        throw new BpfException("program '" + name() + "' (section '" + sectionName() + "') is no iterator program; "
                + method + " takes programs of SEC(\"iter/<target>\")", "attach it with the method for its type, "
                        + "or declare an iterator, e.g. SEC(\"iter/task\")", null);
    }

    // --- testing and introspection: test runs, statistics, kernel info ---

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

    /**
     * The instructions as the kernel runs them, after the verifier's rewrites ({@code xlated_prog_insns}, what
     * {@code bpftool prog dump xlated} shows): 8 bytes per instruction in host byte order, map references as map
     * ids ({@link BpfMap#id()}).
     */
    public byte[] translatedInstructions() {
        return ProgramInfo.translatedInstructions(fd);
    }

    // ---- Probes and perf events (kprobe-type and perf_event programs) ----

    /** Attaches a kprobe to the entry of kernel function {@code function}. */
    public BpfLink attachKprobe(String function) {
        return attachKprobe(function, KprobeOptions.defaults());
    }

    /**
     * Attaches a kprobe to kernel function {@code function}, {@code options.offset()} bytes in.
     *
     * @throws NotSupportedException when the kernel has no kprobes (built without {@code CONFIG_KPROBES})
     */
    public BpfLink attachKprobe(String function, KprobeOptions options) {
        requireProbeType("attachKprobe", "SEC(\"kprobe/<function>\")");
        warnIfReturnDiffers("attachKprobe", false);
        return adopt(TracingAttacher.kprobe(fd, function, options.offset(), false, options.cookie()));
    }

    /** Attaches a kretprobe: the program runs when kernel function {@code function} returns. */
    public BpfLink attachKretprobe(String function) {
        return attachKretprobe(function, KprobeOptions.defaults());
    }

    /** {@link #attachKretprobe(String)} with a BPF cookie (the offset must be 0). */
    public BpfLink attachKretprobe(String function, KprobeOptions options) {
        if (options.offset() != 0) {
            throw new IllegalArgumentException("a kretprobe has no offset: it fires when " + function + " returns");
        }
        requireProbeType("attachKretprobe", "SEC(\"kretprobe/<function>\")");
        warnIfReturnDiffers("attachKretprobe", true);
        return adopt(TracingAttacher.kprobe(fd, function, 0, true, options.cookie()));
    }

    /**
     * Attaches a kprobe to the kernel entry of system call {@code syscall} (e.g. {@code openat}), found under its
     * architecture-specific name ({@code __x64_sys_openat}, {@code __arm64_sys_openat}, or {@code sys_openat}).
     */
    public BpfLink attachKsyscall(String syscall) {
        requireProbeType("attachKsyscall", "SEC(\"ksyscall/<syscall>\")");
        return adopt(TracingAttacher.ksyscall(fd, syscall, false));
    }

    /** Attaches a kretprobe to the kernel entry of system call {@code syscall}. */
    public BpfLink attachKretsyscall(String syscall) {
        requireProbeType("attachKretsyscall", "SEC(\"kretsyscall/<syscall>\")");
        return adopt(TracingAttacher.ksyscall(fd, syscall, true));
    }

    /**
     * Attaches to every traceable kernel function matching {@code pattern} ({@code *}, {@code ?}) through one
     * {@code kprobe.multi} link (Linux 5.18+ with {@code CONFIG_FPROBE}); the program must come from a
     * {@code SEC("kprobe.multi...")} section.
     */
    public BpfLink attachKprobeMulti(String pattern) {
        requireProbeType("attachKprobeMulti", "SEC(\"kprobe.multi\")");
        return adopt(TracingAttacher.kprobeMulti(fd, pattern, false));
    }

    /** {@link #attachKprobeMulti} at the functions' returns ({@code SEC("kretprobe.multi...")}). */
    public BpfLink attachKretprobeMulti(String pattern) {
        requireProbeType("attachKretprobeMulti", "SEC(\"kretprobe.multi\")");
        return adopt(TracingAttacher.kprobeMulti(fd, pattern, true));
    }

    /** Attaches a uprobe to the entry of {@code function} in {@code binary}, in every process. */
    public BpfLink attachUprobe(String binary, String function) {
        return attachUprobe(binary, function, UprobeOptions.defaults());
    }

    /**
     * Attaches a uprobe to {@code function} in {@code binary}.
     *
     * @param binary   a path, a program name found on {@code PATH} ({@code bash}) or a shared library name found
     *                 through {@code /etc/ld.so.cache} ({@code libc.so.6})
     * @param function a function of its {@code .dynsym} or {@code .symtab}, optionally with a GNU symbol version
     *                 ({@code getenv}, {@code pthread_cond_wait@GLIBC_2.3.2})
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when the binary or function does not exist
     */
    public BpfLink attachUprobe(String binary, String function, UprobeOptions options) {
        requireProbeType("attachUprobe", "SEC(\"uprobe\")");
        warnIfReturnDiffers("attachUprobe", false);
        return adopt(TracingAttacher.uprobe(fd, binary, function, false, options.pid(), options.offset(),
                options.refCtrOffset(), options.cookie(), forUprobeMulti()));
    }

    /**
     * Attaches a uprobe at a file offset of {@code binary} (what {@code SEC("uprobe/<binary>:0x1234")} means), e.g.
     * a function of a stripped binary found in its debug symbols. The offset must be where an instruction starts:
     * the kernel cannot tell, and a probe in the middle of one corrupts what the traced process runs.
     *
     * @throws IllegalArgumentException when {@code fileOffset} is negative
     */
    public BpfLink attachUprobeAt(String binary, long fileOffset, UprobeOptions options) {
        requireProbeType("attachUprobeAt", "SEC(\"uprobe\")");
        requireFileOffset(fileOffset);
        warnIfReturnDiffers("attachUprobeAt", false);
        return adopt(TracingAttacher.uprobeAt(fd, binary, fileOffset + options.offset(), false,
                options.pid(), options.refCtrOffset(), options.cookie(), forUprobeMulti()));
    }

    /**
     * Attaches a uretprobe to the function starting at a file offset of {@code binary} (what
     * {@code SEC("uretprobe/<binary>:0x1234")} means): the program runs when that function returns.
     *
     * @throws IllegalArgumentException when {@code fileOffset} is negative, or {@code options} has an offset
     */
    public BpfLink attachUretprobeAt(String binary, long fileOffset, UprobeOptions options) {
        requireProbeType("attachUretprobeAt", "SEC(\"uretprobe\")");
        requireFileOffset(fileOffset);
        if (options.offset() != 0) {
            throw new IllegalArgumentException("a uretprobe has no offset: give the function's own file offset");
        }
        warnIfReturnDiffers("attachUretprobeAt", true);
        return adopt(TracingAttacher.uprobeAt(fd, binary, fileOffset, true, options.pid(), options.refCtrOffset(),
                options.cookie(), forUprobeMulti()));
    }

    private static void requireFileOffset(long fileOffset) {
        if (fileOffset < 0) {
            throw new IllegalArgumentException("file offset must not be negative: " + fileOffset);
        }
    }

    /** Attaches a uretprobe: the program runs when {@code function} of {@code binary} returns, in every process. */
    public BpfLink attachUretprobe(String binary, String function) {
        return attachUretprobe(binary, function, UprobeOptions.defaults());
    }

    /** {@link #attachUretprobe(String, String)} with a process filter, semaphore or cookie (no offset). */
    public BpfLink attachUretprobe(String binary, String function, UprobeOptions options) {
        if (options.offset() != 0) {
            throw new IllegalArgumentException("a uretprobe has no offset: it fires when " + function + " returns");
        }
        requireProbeType("attachUretprobe", "SEC(\"uretprobe\")");
        warnIfReturnDiffers("attachUretprobe", true);
        return adopt(TracingAttacher.uprobe(fd, binary, function, true, options.pid(), 0,
                options.refCtrOffset(), options.cookie(), forUprobeMulti()));
    }

    /**
     * Attaches to every function of {@code binary} matching {@code pattern} ({@code *}, {@code ?}) through one
     * {@code uprobe.multi} link (Linux 6.6+); the program must come from a {@code SEC("uprobe.multi...")} section.
     * The options' pid and cookie apply to every function.
     */
    public BpfLink attachUprobeMulti(String binary, String pattern, UprobeOptions options) {
        requireProbeType("attachUprobeMulti", "SEC(\"uprobe.multi\")");
        requireUprobeMulti("attachUprobeMulti", "uprobe.multi", options);
        return adopt(TracingAttacher.uprobeMulti(fd, binary, pattern, false, options.pid(),
                options.cookie()));
    }

    /** {@link #attachUprobeMulti} at the functions' returns ({@code SEC("uretprobe.multi...")}). */
    public BpfLink attachUretprobeMulti(String binary, String pattern, UprobeOptions options) {
        requireProbeType("attachUretprobeMulti", "SEC(\"uretprobe.multi\")");
        requireUprobeMulti("attachUretprobeMulti", "uretprobe.multi", options);
        return adopt(TracingAttacher.uprobeMulti(fd, binary, pattern, true, options.pid(),
                options.cookie()));
    }

    /** Attaches to USDT probe {@code provider:name} of {@code binary}, in every process. */
    public BpfLink attachUsdt(String binary, String provider, String name) {
        return attachUsdt(binary, provider, name, UsdtOptions.defaults());
    }

    /**
     * Attaches to every call site of the USDT probe {@code provider:name} (a {@code sys/sdt.h} {@code DTRACE_PROBE}
     * or {@code STAP_PROBE}) in {@code binary}, so that a program written with libbpf's {@code usdt.bpf.h}
     * ({@code BPF_USDT}, {@code bpf_usdt_arg}, {@code bpf_usdt_cookie}) reads the probe's arguments. Probes with a
     * semaphore have it raised by the kernel while attached (in the process of {@link UsdtOptions#pid} only, when
     * given; to 1 however many links are on the probe), and lowered when the link closes.
     *
     * <p>Where the kernel has uprobe.multi links (Linux 6.6+, {@link BpfFeatures.Feature#UPROBE_MULTI_LINK}), the
     * object loads its {@code SEC("usdt")} programs for them, as libbpf does, and the call sites of a probe are one
     * such link, which {@link BpfLink#info} describes; on older kernels each call site is a uprobe of its own, and
     * closing each takes the kernel about 0.1 s. Each distinct argument spec takes an entry of the object's
     * {@code __bpf_usdt_specs} map ({@code BPF_USDT_MAX_SPEC_CNT}, 256 by default): attaching more fails naming the
     * map, and {@code LoadOptions.maxEntries("__bpf_usdt_specs", n)} makes room.
     *
     * @throws BpfException when the object has no {@code usdt.bpf.h} maps, or the binary no such probe ({@link
     *     io.github.bpf2java.ebpf.error.NotFoundException}, also for a pid of no process)
     */
    public BpfLink attachUsdt(String binary, String provider, String name, UsdtOptions options) {
        requireProbeType("attachUsdt", "SEC(\"usdt\")");
        return adopt(owner.usdt().attach(fd, name(), binary, provider, name, options.pid(),
                options.cookie(), forUprobeMulti()));
    }

    /**
     * Whether this program was loaded for uprobe.multi links (a {@code SEC("usdt")} program on a kernel that has
     * them): it then attaches to user-space code only through such links, a single uprobe being one of one offset.
     */
    private boolean forUprobeMulti() {
        return owner.loadedForUprobeMulti(name());
    }

    /**
     * Attaches a perf_event program to a sampling event on CPU {@code cpu} (or, with {@link PerfEventSpec#pid}, on
     * any CPU when {@code cpu} is -1); {@link #attachPerfEventOnEveryCpu} makes one per online CPU.
     *
     * @throws NotSupportedException for a hardware event on a machine without hardware counters
     */
    public BpfLink attachPerfEvent(PerfEventSpec event, int cpu) {
        requireType("attachPerfEvent", "SEC(\"perf_event\")", ProgramType.PERF_EVENT);
        return adopt(TracingAttacher.perfEvent(fd, event.hardware(), event.config(), event.periodOrFrequency(),
                event.isFrequency(), event.pid(), cpu, event.toString()));
    }

    /**
     * Attaches a perf_event program to a sampling event on every online CPU ({@code /sys/devices/system/cpu/online}),
     * as a profiler does, e.g. with {@code PerfEventSpec.software(SoftwareEvent.CPU_CLOCK).sampleFrequency(99)}: one
     * link per CPU, in CPU order. When one CPU's attach fails, the links already made are closed and the error is
     * thrown. CPUs brought online later are not sampled.
     *
     * @throws NotSupportedException for a hardware event on a machine without hardware counters
     */
    public List<BpfLink> attachPerfEventOnEveryCpu(PerfEventSpec event) {
        requireType("attachPerfEventOnEveryCpu", "SEC(\"perf_event\")", ProgramType.PERF_EVENT);
        List<BpfLink> links = new ArrayList<>();
        try {
            for (int cpu : CpuList.online().cpus()) {
                links.add(attachPerfEvent(event, cpu));
            }
        } catch (RuntimeException e) {
            try {
                Closeables.closeAll(links);
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return List.copyOf(links);
    }

    // ---- Networking, cgroups, sockets and pinning: one-line entries; the mechanics live in internal.link ----------

    /** {@link #attachXdp(String, XdpOptions)} in the kernel's choice of mode. */
    public BpfLink attachXdp(String interfaceName) {
        return attachXdp(interfaceName, XdpOptions.defaults());
    }

    /**
     * Attaches this XDP program to the network interface {@code interfaceName} of the calling thread's network
     * namespace, through a {@code bpf_link} (Linux 5.9+; rtnetlink before, or when the options ask for it).
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when there is no such interface
     * @throws io.github.bpf2java.ebpf.error.BusyException when the interface has an XDP program already
     * @throws IllegalArgumentException when {@code interfaceName} cannot name an interface (1 to 15 characters, no
     *     {@code /})
     */
    public BpfLink attachXdp(String interfaceName, XdpOptions options) {
        requireType("attachXdp", "SEC(\"xdp\")", ProgramType.XDP);
        return adopt(NetworkAttacher.xdp(fd, Interfaces.index(interfaceName), interfaceName, options));
    }

    /**
     * {@link #attachXdp(String, XdpOptions)} by interface index.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when this network namespace has no interface with
     *     that index
     */
    public BpfLink attachXdp(int interfaceIndex, XdpOptions options) {
        requireType("attachXdp", "SEC(\"xdp\")", ProgramType.XDP);
        String interfaceName = Interfaces.name(interfaceIndex);
        return adopt(NetworkAttacher.xdp(fd, interfaceIndex, interfaceName, options));
    }

    /**
     * Attaches this {@code SCHED_CLS} program through tcx in the direction its section names
     * ({@code SEC("tcx/ingress")} or {@code SEC("tcx/egress")}), after the programs already there.
     *
     * @throws BpfException when the section names no direction (e.g. {@code SEC("tc")}): then call
     *     {@link #attachTcx(String, TcxOptions)}
     */
    public BpfLink attachTcx(String interfaceName) {
        requireType("attachTcx", "SEC(\"tcx/ingress\") or SEC(\"tcx/egress\")", ProgramType.SCHED_CLS);
        TcDirection direction = sectionDirection().orElseThrow(() -> new BpfException("program '" + name()
                + "' (section '" + sectionName() + "') does not say whether it is for ingress or egress",
                "call attachTcx(\"" + interfaceName + "\", TcxOptions.ingress()) or TcxOptions.egress(), or declare "
                        + "it with SEC(\"tcx/ingress\") or SEC(\"tcx/egress\")", null));
        return attachTcx(interfaceName, direction == TcDirection.INGRESS ? TcxOptions.ingress()
                : TcxOptions.egress());
    }

    /**
     * Attaches this {@code SCHED_CLS} program to {@code interfaceName} through tcx (Linux 6.6+): in order among the
     * programs there, detached when the link is closed.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when there is no such interface
     * @throws IllegalArgumentException when {@code interfaceName} cannot name an interface (1 to 15 characters, no
     *     {@code /})
     */
    public BpfLink attachTcx(String interfaceName, TcxOptions options) {
        requireType("attachTcx", "SEC(\"tcx/ingress\") or SEC(\"tc\")", ProgramType.SCHED_CLS);
        // Resolved first: no warning about the direction for an interface that is not there.
        return attachTcx(Interfaces.index(interfaceName), interfaceName, options);
    }

    /**
     * {@link #attachTcx(String, TcxOptions)} by interface index.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when this network namespace has no interface with
     *     that index
     */
    public BpfLink attachTcx(int interfaceIndex, TcxOptions options) {
        requireType("attachTcx", "SEC(\"tcx/ingress\") or SEC(\"tc\")", ProgramType.SCHED_CLS);
        return attachTcx(interfaceIndex, Interfaces.name(interfaceIndex), options);
    }

    private BpfLink attachTcx(int interfaceIndex, String interfaceName, TcxOptions options) {
        sectionDirection().filter(d -> d != options.direction()).ifPresent(d -> LOG.log(System.Logger.Level.WARNING,
                () -> "program '" + name() + "' (section '" + sectionName() + "') is attached to " + interfaceName
                        + " at tcx " + lower(options.direction()) + ", though its section says "
                        + lower(d) + "; if that is not deliberate, attach with TcxOptions." + lower(d) + "() or "
                        + "attachTcx(\"" + interfaceName + "\")"));
        return adopt(NetworkAttacher.tcx(fd, interfaceIndex, interfaceName, options));
    }

    /**
     * Attaches this {@code SCHED_CLS} program the legacy way, as a direct-action {@code cls_bpf} filter on the
     * interface's {@code clsact} qdisc (added when missing, removed again on close if this added it and nothing
     * else uses it), for kernels without tcx. The filter stays if the process dies without closing the link.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when there is no such interface
     * @throws IllegalArgumentException when {@code interfaceName} cannot name an interface (1 to 15 characters, no
     *     {@code /})
     */
    public BpfLink attachTc(String interfaceName, TcOptions options) {
        requireType("attachTc", "SEC(\"tc\")", ProgramType.SCHED_CLS);
        return adopt(NetworkAttacher.tc(fd, name(), Interfaces.index(interfaceName), interfaceName, options));
    }

    /**
     * {@link #attachTc(String, TcOptions)} by interface index.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when this network namespace has no interface with
     *     that index
     */
    public BpfLink attachTc(int interfaceIndex, TcOptions options) {
        requireType("attachTc", "SEC(\"tc\")", ProgramType.SCHED_CLS);
        return adopt(NetworkAttacher.tc(fd, name(), interfaceIndex, Interfaces.name(interfaceIndex), options));
    }

    /** {@link #attachCgroup(Path, CgroupOptions)} with a {@code bpf_link} at the hook the section names. */
    public BpfLink attachCgroup(Path cgroup) {
        return attachCgroup(cgroup, CgroupOptions.defaults());
    }

    /**
     * Attaches this program to a cgroup v2 directory (skb, sock, sock_addr, sockopt, sysctl, device, sock_ops
     * programs): a {@code bpf_link} (Linux 5.7+), or the legacy attachment with flags when the options ask for it.
     * A legacy attachment in exclusive or override mode replaces the program attached there the same way (the
     * kernel does so without an error; it is logged); see {@link BpfLink#close()} for what closing then does.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when {@code cgroup} does not exist
     * @throws BpfException when {@code cgroup} is not a directory of a cgroup v2 hierarchy (a plain directory, a
     *     cgroup v1 one), when neither the section nor the options give the hook, or when this program's type does
     *     not attach at that hook (the message names those it does)
     * @throws io.github.bpf2java.ebpf.error.PermissionException when an attachment is in the way (an exclusive
     *     program on this cgroup's hook, attachments made in another mode there, or an ancestor's exclusive one:
     *     the hint names it and what to do), or the process lacks the privileges
     * @throws io.github.bpf2java.ebpf.error.KernelException for other refusals, e.g. this program already attached
     *     here with {@code ALLOW_MULTI} ({@code EINVAL}: the kernel takes a program once per cgroup and hook that
     *     way; links can attach it again)
     * @throws IllegalStateException when the object is closed
     */
    public BpfLink attachCgroup(Path cgroup, CgroupOptions options) {
        return adopt(CgroupAttacher.attach(fd, name(), type, spec.expectedAttachType(), cgroup,
                options));
    }

    /**
     * Attaches this socket filter ({@code SEC("socket")}) to the socket behind {@code channel}. The channel must be
     * bound: the JDK gives no public way to a channel's descriptor, so its socket is found among this process's
     * descriptors by its type and addresses. The link holds its own descriptor of the socket, so the socket stays
     * open until both the channel and the link are closed.
     */
    public BpfLink attachSocketFilter(NetworkChannel channel) {
        requireType("attachSocketFilter", "SEC(\"socket\")", ProgramType.SOCKET_FILTER);
        return adopt(SocketAttacher.socketFilter(fd, ChannelSockets.duplicate(channel)));
    }

    /**
     * Attaches this socket filter to the socket {@code socketFd} ({@code SO_ATTACH_BPF}); the link duplicates the
     * descriptor, so the caller may close its own. Closing the link detaches the filter.
     */
    public BpfLink attachSocketFilter(int socketFd) {
        requireType("attachSocketFilter", "SEC(\"socket\")", ProgramType.SOCKET_FILTER);
        return adopt(SocketAttacher.socketFilter(fd, Fd.duplicate(socketFd, "socket fd " + socketFd)));
    }

    /**
     * Attaches this sk_reuseport program ({@code SEC("sk_reuseport")}) to the {@code SO_REUSEPORT} group of the
     * socket behind {@code channel} ({@code SO_ATTACH_REUSEPORT_EBPF}): from then on it picks which socket of the group
     * gets each new connection or datagram, typically with {@code bpf_sk_select_reuseport} from a
     * {@code REUSEPORT_SOCKARRAY} filled with {@link BpfMap#putSocket(byte[], NetworkChannel)}.
     *
     * <p>The channel must have had {@code SO_REUSEPORT} set before it was bound, and be bound (listening, for TCP).
     * The program serves the whole group: attaching another replaces it, and closing the link detaches whichever
     * program the group has. The link holds its own descriptor of the socket, so the socket stays open, and in its
     * group, until both the channel and the link are closed. The socket is found as for
     * {@link #attachSocketFilter(NetworkChannel)}; members of one group, which share their address, are told apart.
     */
    public BpfLink attachReuseport(NetworkChannel channel) {
        requireType("attachReuseport", "SEC(\"sk_reuseport\")", ProgramType.SK_REUSEPORT);
        return adopt(SocketAttacher.reuseport(fd, ChannelSockets.duplicate(channel)));
    }

    /**
     * Attaches this sk_reuseport program to the {@code SO_REUSEPORT} group of the socket {@code socketFd}, as
     * {@link #attachReuseport(NetworkChannel)} does; the link duplicates the descriptor, so the caller may close its
     * own.
     */
    public BpfLink attachReuseport(int socketFd) {
        requireType("attachReuseport", "SEC(\"sk_reuseport\")", ProgramType.SK_REUSEPORT);
        return adopt(SocketAttacher.reuseport(fd, Fd.duplicate(socketFd, "socket fd " + socketFd)));
    }

    /**
     * Attaches this sk_msg or sk_skb program to a sockmap or sockhash, at the hook its section names. It applies to
     * the sockets stored in the map after this call ({@link BpfMap#putSocket(byte[], NetworkChannel)}): the kernel
     * sets a socket's programs up when the socket enters the map, so attach first, then fill the map.
     */
    public BpfLink attachSocketMap(BpfMap map) {
        requireType("attachSocketMap", "SEC(\"sk_msg\") or SEC(\"sk_skb/...\")", ProgramType.SK_MSG,
                ProgramType.SK_SKB);
        if (map.type() != MapType.SOCKMAP && map.type() != MapType.SOCKHASH) {
            throw new BpfException("map '" + map.name() + "' is a map of type " + map.type() + "; " + type
                    + " programs attach to SOCKMAP and SOCKHASH maps", "pass the sockmap or sockhash whose sockets "
                            + "the program should see", null);
        }
        return adopt(SocketAttacher.sockmap(fd, name(), spec.expectedAttachType(), map.handle().fd()));
    }

    /**
     * Attaches this sk_lookup or flow dissector program to a network namespace, named by a file that refers to it:
     * {@code /proc/self/ns/net} for this process's, {@code /run/netns/<name>} for one {@code ip netns} made.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when {@code namespace} does not exist
     * @throws IllegalArgumentException                        when it is not a network namespace
     */
    public BpfLink attachNetworkNamespace(Path namespace) {
        requireNetworkNamespaceProgram();
        try (NetworkNamespace opened = NetworkNamespace.open(namespace)) {
            return attachNetworkNamespace(opened);
        }
    }

    /**
     * Attaches this sk_lookup or flow dissector program to an open network namespace. The link keeps the namespace
     * (not the {@link NetworkNamespace} object, which may be closed afterwards).
     *
     * @throws IllegalStateException when {@code namespace} is closed
     */
    public BpfLink attachNetworkNamespace(NetworkNamespace namespace) {
        requireNetworkNamespaceProgram();
        return adopt(SocketAttacher.networkNamespace(fd, name(), spec.expectedAttachType(), namespace.fd(),
                namespace.path()));
    }

    private void requireNetworkNamespaceProgram() {
        requireType("attachNetworkNamespace", "SEC(\"sk_lookup\") or SEC(\"flow_dissector\")",
                ProgramType.SK_LOOKUP, ProgramType.FLOW_DISSECTOR);
    }

    /** Attaches this netfilter program to a hook of the calling thread's network namespace (Linux 6.4+). */
    public BpfLink attachNetfilter(NetfilterOptions options) {
        requireType("attachNetfilter", "SEC(\"netfilter\")", ProgramType.NETFILTER);
        return adopt(SocketAttacher.netfilter(fd, options));
    }

    /**
     * Pins this program at {@code path} on a bpffs, where it stays loaded after the object is closed and other
     * processes can open it, until the file is removed.
     *
     * @throws io.github.bpf2java.ebpf.error.BusyException when something is pinned there already
     */
    public void pin(Path path) {
        Pins.pin(fd, path);
    }

    /** The tcx direction the section names ({@code tcx/ingress}, {@code tcx/egress}), if any. */
    private Optional<TcDirection> sectionDirection() {
        return spec.expectedAttachType().flatMap(t -> switch (t) {
            case TCX_INGRESS -> Optional.of(TcDirection.INGRESS);
            case TCX_EGRESS -> Optional.of(TcDirection.EGRESS);
            default -> Optional.empty();
        });
    }

    private static String lower(TcDirection direction) {
        return direction.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Logs a warning when a probe is attached at the entry while its section says return, or the other way round:
     * legal, and sometimes meant, but a return probe's {@code PT_REGS_RC} read at the entry is garbage.
     */
    private void warnIfReturnDiffers(String method, boolean ret) {
        Optional<Boolean> sectionRet = spec.sectionDef().map(d -> switch (d.attachKind()) {
            case KRETPROBE, URETPROBE, KRETSYSCALL -> Boolean.TRUE;
            case KPROBE, UPROBE, KSYSCALL -> Boolean.FALSE;
            default -> null;
        });
        if (sectionRet.isEmpty() || sectionRet.get() == ret) {
            return;
        }
        String other = (method.startsWith("attachU") ? "attachU" : "attachK")
                + (sectionRet.get() ? "retprobe" : "probe");
        LOG.log(System.Logger.Level.WARNING, () -> "program '" + name() + "' (section '" + sectionName() + "') is "
                + "attached with " + method + ", at the function's " + (ret ? "return" : "entry") + ", though its "
                + "section says it runs at the " + (sectionRet.get() ? "return" : "entry") + (sectionRet.get()
                        ? " (PT_REGS_RC reads the return value, which does not exist yet at the entry)"
                        : " (the function's arguments are gone at its return)") + "; if that is not deliberate, "
                + "call " + other);
    }

    /**
     * A uprobe.multi link takes only a program loaded for it (its expected attach type), which the section decides;
     * the kernel's refusal of another says nothing of why.
     */
    private void requireUprobeMulti(String method, String section, UprobeOptions options) {
        if (options.offset() != 0 || options.refCtrOffset() != 0) {
            throw new IllegalArgumentException(method + " attaches at each matching function's start, with the "
                    + "options' pid and cookie; an offset or semaphore (" + options + ") applies to one function: "
                    + "attach it with attachUprobe");
        }
        if (!forUprobeMulti()) {
            throw new BpfException("program '" + name() + "' (section '" + sectionName() + "') was loaded for single "
                    + "uprobes; " + method + " takes a program loaded for uprobe.multi links", "declare it with SEC(\""
                            + section + "\") (Linux 6.6+), or attach it to each function with attachUprobe", null);
        }
    }

    /** Kprobes, uprobes and USDT probes take kprobe-type programs (the kernel's name for all three). */
    private void requireProbeType(String method, String section) {
        requireType(method, section, ProgramType.KPROBE);
    }

    private void requireType(String method, String section, ProgramType... accepted) {
        if (Arrays.stream(accepted).noneMatch(t -> t == type)) {
            // What attaches the program as it is: attach() where its section names a target, else the method
            // for its type.
            SectionTarget target = SectionTarget.of(spec);
            String instead = target instanceof SectionTarget.Manual manual ? manual.howTo()
                    : target instanceof SectionTarget.Invalid ? "" : "program.attach()";
            throw new BpfException("program '" + name() + "' has type " + type + "; " + method + " takes "
                    + Arrays.toString(accepted) + " programs", "declare it with " + section
                            + (instead.isEmpty() ? "" : ", or attach it as it is with " + instead), null);
        }
    }

    /** The BTF id of global function {@code function} of this program's object, for an freplace target. */
    int btfFunctionId(String function) {
        io.github.bpf2java.ebpf.btf.Btf btf = owner.spec().btf().orElseThrow(() -> new BpfException(
                owner.spec().name() + " has no BTF, so its functions cannot be replaced", "compile with -g", null));
        return btf.find(function, io.github.bpf2java.ebpf.btf.BtfType.Func.class)
                .map(io.github.bpf2java.ebpf.btf.BtfType::id)
                .orElseThrow(() -> new BpfException(owner.spec().name() + " has no function '" + function
                        + "' to replace", "freplace replaces a global (non-static) __noinline function of the "
                                + "target program", null));
    }

    Fd handle() {
        return fd;
    }

    /** Hands a new attachment of this program to the object, which owns and closes it. */
    private BpfLink adopt(KernelLink link) {
        return owner.adopt(name(), link);
    }

    @Override
    public String toString() {
        return "BpfProgram[" + name() + ", " + type + ", section " + sectionName() + "]";
    }
}

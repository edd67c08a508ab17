package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile;
import io.github.bpf2java.ebpf.internal.elf.ProbeSymbols;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.host.BinaryPaths;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.host.KernelFunctions;
import io.github.bpf2java.ebpf.internal.host.Sysctl;
import io.github.bpf2java.ebpf.internal.perf.PerfEventAttr;
import io.github.bpf2java.ebpf.internal.perf.PerfEventFlag;
import io.github.bpf2java.ebpf.internal.perf.PerfEvents;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Attaches kprobe-type programs (kprobes, syscalls, uprobes, their multi forms) and perf_event programs: resolves
 * what the caller names (a binary by name, a function to a file offset, a syscall to its kernel entry, a pattern to
 * functions) and hands the result to {@link Probes} or {@code BPF_LINK_CREATE}.
 *
 * <p>Internal: users attach through {@code BpfProgram}.
 */
public final class TracingAttacher {
    /** {@code BPF_F_KPROBE_MULTI_RETURN}, {@code BPF_F_UPROBE_MULTI_RETURN}. */
    private static final int MULTI_RETURN = 1;

    private TracingAttacher() {}

    /** A kprobe or kretprobe on kernel function {@code function}. */
    public static KernelLink kprobe(Fd program, String function, long offset, boolean ret, long cookie) {
        return Probes.kprobe(program, function, offset, ret, cookie);
    }

    /** A kprobe or kretprobe on the kernel entry of system call {@code syscall} ({@code openat}). */
    public static KernelLink ksyscall(Fd program, String syscall, boolean ret) {
        return Probes.kprobe(program, KernelFunctions.syscallFunction(syscall), 0, ret, 0);
    }

    /** One link running the program on every traceable kernel function matching {@code pattern}. */
    public static KernelLink kprobeMulti(Fd program, String pattern, boolean ret) {
        String description = (ret ? "kretprobe.multi " : "kprobe.multi ") + pattern;
        Tracefs tracefs = Tracefs.findOrMount();
        List<String> functions = KernelFunctions.traceable(tracefs.root(),
                name -> ProbeSymbols.globMatches(pattern, name)).stream().distinct().toList();
        if (functions.isEmpty()) {
            throw new NotFoundException("no traceable kernel function matches '" + pattern + "'", "attach "
                    + description, Errno.ENOENT.number(), description, "the candidates are listed in "
                            + tracefs.root().resolve("available_filter_functions"));
        }
        try {
            return new KernelLink(description + " (" + functions.size() + " functions)", List.of(Links.create(
                    new LinkCreateRequest(program, 0, description, AttachType.TRACE_KPROBE_MULTI, 0,
                            new LinkParameters.KprobeMulti(ret ? MULTI_RETURN : 0, functions, new long[0],
                                    new long[0])))));
        } catch (NotSupportedException e) {
            throw new NotSupportedException("kprobe.multi links are not supported by this kernel (Linux "
                    + Probes.release() + ")", e.operation(), e.errno(), description, "they need Linux 5.18+ built "
                            + "with CONFIG_FPROBE; attach one kprobe per function instead");
        }
    }

    /**
     * A uprobe or uretprobe on {@code function} of {@code binary} (a path, or a program or library name).
     *
     * @param multiLink whether the program was loaded for uprobe.multi links (a {@code SEC("usdt")} program where
     *                  the kernel has them), which then makes one with this one offset, since it cannot be a
     *                  perf-event uprobe
     */
    public static KernelLink uprobe(Fd program, String binary, String function, boolean ret, int pid, long offset,
            long refCtrOffset, long cookie, boolean multiLink) {
        Path path = BinaryPaths.resolve(binary);
        ExecutableFile file = ExecutableFile.open(path);
        ProbeSymbols.Function found = ProbeSymbols.function(file, function);
        long start;
        String implementation = "";
        if (found.indirect()) {
            // The symbol is a resolver's: probe the implementation the dynamic linker chooses on this machine, which
            // only a default version (what dlsym returns) names.
            start = (found.defaultVersion() ? IndirectFunctions.implementationOffset(path, found.bareName())
                    : OptionalLong.empty()).orElseThrow(() -> ProbeSymbols.indirect(file, found));
            implementation = " (indirect: the implementation chosen here, at 0x" + Long.toHexString(start) + ")";
        } else {
            if (offset != 0 && found.size() > 0 && offset >= found.size()) {
                throw new IllegalArgumentException("offset " + offset + " is past the end of " + found.displayName()
                        + " in " + path + ", which is " + found.size() + " bytes long");
            }
            start = found.offset();
        }
        long fileOffset = start + offset;
        String description = (ret ? "uretprobe " : "uprobe ") + path + ":" + function + (offset != 0 ? "+" + offset
                : "") + implementation + (pid > 0 ? " of pid " + pid : "");
        return oneUprobe(program, new Probes.Uprobe(path, fileOffset, ret, pid, refCtrOffset, cookie,
                description), multiLink);
    }

    /** A uprobe or uretprobe at file offset {@code fileOffset} of {@code binary}; see {@link #uprobe}. */
    public static KernelLink uprobeAt(Fd program, String binary, long fileOffset, boolean ret, int pid,
            long refCtrOffset, long cookie, boolean multiLink) {
        Path path = BinaryPaths.resolve(binary);
        String description = (ret ? "uretprobe " : "uprobe ") + path + ":0x" + Long.toHexString(fileOffset)
                + (pid > 0 ? " of pid " + pid : "");
        return oneUprobe(program, new Probes.Uprobe(path, fileOffset, ret, pid, refCtrOffset, cookie,
                description), multiLink);
    }

    private static KernelLink oneUprobe(Fd program, Probes.Uprobe probe, boolean multiLink) {
        if (!multiLink) {
            return Probes.uprobe(program, probe);
        }
        return uprobeMultiAt(program, probe.binary(), new long[] {probe.offset()},
                probe.refCtrOffset() == 0 ? new long[0] : new long[] {probe.refCtrOffset()},
                probe.cookie() == 0 ? new long[0] : new long[] {probe.cookie()}, probe.ret(), probe.pid(),
                probe.what());
    }

    /** One link running the program on every function of {@code binary} matching {@code pattern} (Linux 6.6+). */
    public static KernelLink uprobeMulti(Fd program, String binary, String pattern, boolean ret, int pid,
            long cookie) {
        Path path = BinaryPaths.resolve(binary);
        List<ProbeSymbols.Match> matches = ProbeSymbols.matching(ExecutableFile.open(path), pattern);
        String description = (ret ? "uretprobe.multi " : "uprobe.multi ") + path + ":" + pattern;
        if (matches.isEmpty()) {
            throw new NotFoundException(path + " has no function matching '" + pattern + "'", "attach "
                    + description, Errno.ENOENT.number(), description, "list its functions with: nm "
                            + "--defined-only " + path);
        }
        long[] offsets = matches.stream().mapToLong(ProbeSymbols.Match::offset).toArray();
        long[] cookies = new long[cookie == 0 ? 0 : offsets.length];
        java.util.Arrays.fill(cookies, cookie);
        return uprobeMulti(program, path, offsets, new long[0], cookies, ret, pid,
                description + " (" + offsets.length + " functions)");
    }

    /**
     * One {@code BPF_TRACE_UPROBE_MULTI} link on {@code offsets} of {@code path}, each with its semaphore's offset
     * (0: none) and cookie, for a program loaded for such links (Linux 6.6+).
     *
     * @param refCtrOffsets one per offset, or empty for none
     * @param cookies       one per offset, or empty for none
     * @param pid           only this process, or -1 for all
     * @throws NotFoundException when {@code pid} names no process
     */
    public static KernelLink uprobeMultiAt(Fd program, Path path, long[] offsets, long[] refCtrOffsets,
            long[] cookies, boolean ret, int pid, String description) {
        try {
            return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, 0, description,
                    AttachType.TRACE_UPROBE_MULTI, 0, new LinkParameters.UprobeMulti(path.toString(), offsets,
                            refCtrOffsets, cookies, ret ? MULTI_RETURN : 0, Math.max(pid, 0))))));
        } catch (KernelException e) {
            if (pid > 0 && Errno.ESRCH.is(e.errno())) {
                throw new NotFoundException("no process " + pid + " (has it exited?): cannot attach " + description,
                        e.operation(), e.errno(), description, "give the pid of a running process (ps -p " + pid
                                + " shows none), or no pid to probe every process");
            }
            throw e;
        }
    }

    /** The {@code BPF_TRACE_UPROBE_MULTI} link of a uprobe.multi program, which says what a refusal means. */
    static KernelLink uprobeMulti(Fd program, Path path, long[] offsets, long[] refCtrOffsets, long[] cookies,
            boolean ret, int pid, String description) {
        try {
            return uprobeMultiAt(program, path, offsets, refCtrOffsets, cookies, ret, pid, description);
        } catch (NotFoundException e) {
            throw e;
        } catch (KernelException e) {
            if (Errno.EINVAL.is(e.errno()) || e instanceof NotSupportedException) {
                throw new NotSupportedException(e.getMessage().lines().findFirst().orElse(""), e.operation(),
                        e.errno(), description, "uprobe.multi links need Linux 6.6+ and a program loaded for them "
                                + "(SEC(\"uprobe.multi\") or SEC(\"uprobe.multi/...\")); on older kernels attach "
                                + "one uprobe per function with attachUprobe");
            }
            throw e;
        }
    }

    /**
     * A perf_event program on a sampling event.
     *
     * @param hardware whether {@code config} is a {@code PERF_TYPE_HARDWARE} event, else a software one
     * @param eventName names the event in messages, e.g. {@code software cpu-clock every 1000000}
     */
    public static KernelLink perfEvent(Fd program, boolean hardware, long config, long periodOrFrequency,
            boolean frequency, int pid, int cpu, String eventName) {
        CpuList online = CpuList.online();
        if (pid <= 0 && cpu < 0) {
            throw new IllegalArgumentException("a perf event for every process must name its CPU (online: "
                    + online.cpus() + "); for one process the CPU may be -1");
        }
        if (cpu >= 0 && !online.cpus().contains(cpu)) {
            throw new IllegalArgumentException("CPU " + cpu + " is not online (online: " + online.cpus() + "); "
                    + "attachPerfEventOnEveryCpu attaches to each online CPU");
        }
        String description = "perf event " + eventName + (cpu >= 0 ? " on CPU " + cpu : "");
        PerfEventAttr attr = new PerfEventAttr(hardware ? PerfEventAttr.TYPE_HARDWARE : PerfEventAttr.TYPE_SOFTWARE,
                config, periodOrFrequency, 0, 0, frequency ? Set.of(PerfEventFlag.FREQ) : Set.of(), 0, 0, 0, 0);
        Fd event;
        try {
            event = PerfEvents.open(attr, pid > 0 ? pid : -1, cpu, Optional.empty(), eventName);
        } catch (KernelException e) {
            if (hardware && (Errno.ENOENT.is(e.errno()) || Errno.EOPNOTSUPP.is(e.errno())
                    || Errno.EINVAL.is(e.errno()))) {
                throw new NotSupportedException(eventName + " is not available on this machine",
                        e.operation(), e.errno(), description, "it has no hardware performance counters the kernel "
                                + "can use (usual in virtual machines); sample a software clock instead: "
                                + "PerfEventSpec.software(SoftwareEvent.CPU_CLOCK)");
            }
            long maxRate = frequency && Errno.EINVAL.is(e.errno())
                    ? Sysctl.readLong("kernel.perf_event_max_sample_rate").orElse(0L) : 0;
            if (maxRate > 0 && periodOrFrequency > maxRate) {
                throw KernelErrors.withHint(e, "the sample frequency " + periodOrFrequency + " Hz is above "
                        + "kernel.perf_event_max_sample_rate (" + maxRate + " here): sample at most " + maxRate
                        + " times a second, or raise the limit: sysctl -w kernel.perf_event_max_sample_rate="
                        + periodOrFrequency);
            }
            throw e;
        }
        return PerfEventBinding.bind(program, event, description, 0, null);
    }
}

package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.fs.ProbeEvents;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.perf.DynamicPmu;
import io.github.bpf2java.ebpf.internal.perf.PerfEventAttr;
import io.github.bpf2java.ebpf.internal.perf.PerfEvents;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Kprobes and uprobes as perf events: through the kernel's {@code kprobe} and {@code uprobe} perf event sources
 * (Linux 4.17+), or, where those are missing, through probe events created in tracefs. The program is then bound to
 * the event by {@link PerfEventBinding}.
 *
 * <p>Internal: users attach through {@code BpfProgram}.
 */
public final class Probes {
    private Probes() {}

    /** Where and how a uprobe goes. */
    public record Uprobe(Path binary, long offset, boolean ret, int pid, long refCtrOffset, long cookie,
            String what) {}

    /**
     * Attaches a kprobe program to kernel function {@code function} at {@code offset} bytes into it (0: its entry),
     * or to its return.
     *
     * @throws NotSupportedException when the kernel has no kprobes at all, naming what is missing
     */
    public static KernelLink kprobe(Fd program, String function, long offset, boolean ret, long cookie) {
        String description = (ret ? "kretprobe " : "kprobe ") + function + (offset != 0 ? "+" + offset : "");
        if (DynamicPmu.exists(DynamicPmu.KPROBE)) {
            int type = DynamicPmu.type(DynamicPmu.KPROBE);
            long config = ret ? 1L << DynamicPmu.retprobeBit(DynamicPmu.KPROBE) : 0;
            Fd event;
            try (NativeBuffer name = NativeBuffer.cString(function)) {
                event = PerfEvents.open(probeAttr(type, config, name.address(), offset), -1, 0, Optional.empty(),
                        description);
            }
            return PerfEventBinding.bind(program, event, description, cookie, null);
        }
        Optional<Tracefs> tracefs = Tracefs.find();
        if (tracefs.isPresent() && ProbeEvents.available(tracefs.get(), ProbeEvents.Kind.KPROBE)) {
            ProbeEvents.Event event = ProbeEvents.create(tracefs.get(), ProbeEvents.Kind.KPROBE,
                    function + (ret ? "" : "+" + offset), ret);
            return bindTracefsEvent(program, event, description, cookie);
        }
        throw new NotSupportedException("kprobes are not supported by this kernel (Linux " + release() + "): it "
                + "has neither the kprobe perf event source (/sys/bus/event_source/devices/kprobe) nor tracefs "
                + "kprobe_events", "attach " + description, Errno.ENOENT.number(), description,
                "the kernel was built without CONFIG_KPROBES/CONFIG_KPROBE_EVENTS; tracepoints, raw tracepoints or "
                        + "fentry programs reach many of the same places");
    }

    /**
     * Attaches a kprobe program as a uprobe: at {@code offset} bytes into the file {@code binary}, for every
     * process mapping it or only {@code pid}.
     */
    public static KernelLink uprobe(Fd program, Uprobe probe) {
        try {
            return uprobeEvent(program, probe);
        } catch (KernelException e) {
            if (probe.pid() > 0 && Errno.ESRCH.is(e.errno())) {
                throw new NotFoundException("no process " + probe.pid() + " (has it exited?): cannot attach "
                        + probe.what(), e.operation(), e.errno(), probe.what(), "give the pid of a running process "
                                + "(ps -p " + probe.pid() + " shows none), or no pid to probe every process");
            }
            if (Errno.EACCES.is(e.errno()) || Errno.EPERM.is(e.errno())) {
                Optional<String> hint = KernelErrors.uprobeCapabilityHint();
                if (hint.isPresent()) {
                    throw KernelErrors.withHint(e, hint.get());
                }
            }
            long size = Errno.EINVAL.is(e.errno()) ? fileSize(probe.binary()) : -1;
            if (size >= 0 && probe.offset() >= size) {
                // The kernel says only EINVAL; an offset past the file's end is the usual cause.
                KernelException explained = new KernelException(KernelException.describe(e.operation(), e.errno(),
                        e.subject()) + ": the probe's file offset 0x" + Long.toHexString(probe.offset())
                        + " is past the end of " + probe.binary() + " (" + size + " bytes)", e.operation(), e.errno(),
                        e.subject(), "an offset given with a symbol is added to the symbol's; a function's own offset "
                                + "comes from attaching by its name, or from nm -D / objdump -d of the file", e);
                throw explained;
            }
            throw e;
        }
    }

    private static long fileSize(Path binary) {
        try {
            return java.nio.file.Files.size(binary);
        } catch (java.io.IOException | SecurityException e) {
            return -1;
        }
    }

    private static KernelLink uprobeEvent(Fd program, Uprobe probe) {
        String description = probe.what();
        if (!DynamicPmu.exists(DynamicPmu.UPROBE)) {
            return uprobeThroughTracefs(program, probe);
        }
        int type = DynamicPmu.type(DynamicPmu.UPROBE);
        long config = probe.ret() ? 1L << DynamicPmu.retprobeBit(DynamicPmu.UPROBE) : 0;
        if (probe.refCtrOffset() != 0) {
            OptionalInt shift = DynamicPmu.refCtrOffsetShift(DynamicPmu.UPROBE);
            if (shift.isEmpty()) {
                throw new NotSupportedException("this kernel (Linux " + release() + ") cannot count USDT "
                        + "semaphores for " + description, "attach " + description, Errno.EOPNOTSUPP.number(),
                        description, "reference-counted uprobes need Linux 4.20 or later");
            }
            config |= probe.refCtrOffset() << shift.getAsInt();
        }
        Fd event;
        try (NativeBuffer path = NativeBuffer.cString(probe.binary().toString())) {
            event = PerfEvents.open(probeAttr(type, config, path.address(), probe.offset()),
                    probe.pid() > 0 ? probe.pid() : -1, probe.pid() > 0 ? -1 : 0, Optional.empty(), description);
        }
        return PerfEventBinding.bind(program, event, description, probe.cookie(), null);
    }

    /** A uprobe created through tracefs {@code uprobe_events} (what kernels before 4.17 offer). */
    public static KernelLink uprobeThroughTracefs(Fd program, Uprobe probe) {
        Tracefs tracefs = Tracefs.findOrMount();
        String definition = probe.binary() + ":0x" + Long.toHexString(probe.offset())
                + (probe.refCtrOffset() != 0 ? "(0x" + Long.toHexString(probe.refCtrOffset()) + ")" : "");
        ProbeEvents.Event event = ProbeEvents.create(tracefs, ProbeEvents.Kind.UPROBE, definition, probe.ret());
        return bindTracefsEvent(program, event, probe.what() + " (tracefs " + event.name() + ")", probe.cookie(),
                probe.pid());
    }

    private static KernelLink bindTracefsEvent(Fd program, ProbeEvents.Event event, String description,
            long cookie) {
        return bindTracefsEvent(program, event, description, cookie, -1);
    }

    private static KernelLink bindTracefsEvent(Fd program, ProbeEvents.Event event, String description, long cookie,
            int pid) {
        Fd perf;
        try {
            perf = PerfEvents.open(PerfEventAttr.tracepoint(event.id()), pid > 0 ? pid : -1, pid > 0 ? -1 : 0,
                    Optional.empty(), description);
        } catch (RuntimeException e) {
            PerfEventBinding.closeQuietly(event, e);
            throw e;
        }
        return PerfEventBinding.bind(program, perf, description, cookie, event);
    }

    private static PerfEventAttr probeAttr(int type, long config, long config1, long config2) {
        return new PerfEventAttr(type, config, 0, 0, 0, Set.of(), 0, config1, config2, 0);
    }

    static String release() {
        try {
            return KernelVersion.running().release();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}

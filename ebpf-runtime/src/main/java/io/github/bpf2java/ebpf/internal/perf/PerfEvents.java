package io.github.bpf2java.ebpf.internal.perf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.bpf.AttrLayout;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.util.Optional;

/**
 * {@code perf_event_open(2)} and the perf event ioctls that enable events and attach programs to them.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class PerfEvents {
    /** {@code PERF_FLAG_FD_CLOEXEC}. */
    private static final long FLAG_FD_CLOEXEC = 1L << 3;
    private static final int IOC_TYPE = '$';

    private PerfEvents() {}

    /**
     * Opens a perf event ({@code perf_event_open(2)}, always close-on-exec).
     *
     * @param pid         the process to watch, -1 for all (then {@code cpu} must be one CPU)
     * @param cpu         the CPU to watch, -1 for all (then {@code pid} must be one process)
     * @param group       the group leader, if any
     * @param description what the event is, for messages and the descriptor, e.g.
     *                    {@code tracepoint syscalls/sys_enter_execve}
     * @throws KernelException with the {@code kernel.perf_event_paranoid} value on a permission error
     */
    public static Fd open(PerfEventAttr attr, int pid, int cpu, Optional<Fd> group, String description) {
        try (NativeBuffer b = new NativeBuffer(AttrLayout.PerfEvent.SIZE)) {
            attr.writeTo(b);
            long result = Libc.perfEventOpen(b.address(), pid, cpu, group.map(Fd::raw).orElse(-1), FLAG_FD_CLOEXEC);
            if (result < 0) {
                int errno = (int) -result;
                throw KernelErrors.forErrno("perf_event_open", errno, "perf event " + description,
                        Errno.ENOENT.is(errno) || Errno.EINVAL.is(errno)
                                ? "the kernel does not know this event (type " + attr.type() + ", config "
                                        + attr.config() + ") or a flag set for it" : null);
            }
            return Fd.adopt((int) result, "perf event " + description);
        }
    }

    /** Starts counting or sampling ({@code PERF_EVENT_IOC_ENABLE}). */
    public static void enable(Fd event) {
        ioctl(event, "PERF_EVENT_IOC_ENABLE", enableRequest(), 0);
    }

    /** Stops counting or sampling ({@code PERF_EVENT_IOC_DISABLE}). */
    public static void disable(Fd event) {
        ioctl(event, "PERF_EVENT_IOC_DISABLE", disableRequest(), 0);
    }

    /**
     * Attaches a program to the event ({@code PERF_EVENT_IOC_SET_BPF}): a tracepoint program to a tracepoint event,
     * a kprobe program to a kprobe or uprobe event, a perf_event program to a sampling event. The program stays
     * attached until the event is closed.
     */
    public static void setBpf(Fd event, Fd program) {
        try (Fd.Held held = program.hold()) {
            ioctl(event, "PERF_EVENT_IOC_SET_BPF", setBpfRequest(), held.raw());
        }
    }

    /**
     * Stops ({@code paused}) or restarts writing to the event's ring buffer ({@code PERF_EVENT_IOC_PAUSE_OUTPUT},
     * Linux 4.7+); what the kernel would have written meanwhile is counted as lost.
     */
    public static void pauseOutput(Fd event, boolean paused) {
        ioctl(event, "PERF_EVENT_IOC_PAUSE_OUTPUT", pauseOutputRequest(), paused ? 1 : 0);
    }

    /** {@code PERF_EVENT_IOC_PAUSE_OUTPUT} = {@code _IOW('$', 9, __u32)}. */
    public static long pauseOutputRequest() {
        return Libc.architecture().iow(IOC_TYPE, 9, Integer.BYTES);
    }

    /** {@code PERF_EVENT_IOC_ENABLE} = {@code _IO('$', 0)} for this architecture. */
    public static long enableRequest() {
        return Libc.architecture().io(IOC_TYPE, 0);
    }

    /** {@code PERF_EVENT_IOC_DISABLE} = {@code _IO('$', 1)}. */
    public static long disableRequest() {
        return Libc.architecture().io(IOC_TYPE, 1);
    }

    /** {@code PERF_EVENT_IOC_SET_BPF} = {@code _IOW('$', 8, __u32)}. */
    public static long setBpfRequest() {
        return Libc.architecture().iow(IOC_TYPE, 8, Integer.BYTES);
    }

    private static void ioctl(Fd event, String name, long request, long arg) {
        long result;
        try (Fd.Held held = event.hold()) {
            result = Libc.ioctl(held.raw(), request, arg);
        }
        if (result < 0) {
            int errno = (int) -result;
            throw KernelErrors.forErrno(name, errno, event.description(),
                    Errno.EEXIST.is(errno) ? "the event already has a program; open another event" : Errno.EINVAL
                            .is(errno) && name.endsWith("SET_BPF") ? "the program type does not fit the event "
                                    + "(tracepoint programs on tracepoint events, kprobe programs on probes)" : null);
        }
    }
}

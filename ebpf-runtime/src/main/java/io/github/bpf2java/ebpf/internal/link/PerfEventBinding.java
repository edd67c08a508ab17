package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.perf.PerfEvents;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a program to an open perf event (a tracepoint, kprobe, uprobe or sampling event): through a
 * {@code bpf_link} of type {@code BPF_PERF_EVENT} where the kernel has them (Linux 5.15+), which can carry a BPF
 * cookie and be pinned, else through {@code PERF_EVENT_IOC_SET_BPF}. Then enables the event.
 */
final class PerfEventBinding {
    private PerfEventBinding() {}

    /**
     * @param event       the perf event, owned from now on (closed on failure too)
     * @param cookie      the BPF cookie {@code bpf_get_attach_cookie()} returns, 0 for none
     * @param cleanUp     closed after the event when the link closes (e.g. a tracefs probe to remove); may be null
     */
    static KernelLink bind(Fd program, Fd event, String description, long cookie, AutoCloseable cleanUp) {
        List<Fd> held = new ArrayList<>(List.of(event));
        try {
            KernelLink link;
            try {
                Fd bpfLink = Links.create(new LinkCreateRequest(program, event.raw(), "perf event " + description,
                        AttachType.PERF_EVENT, 0, new LinkParameters.PerfEvent(cookie)));
                held.add(bpfLink);
                PerfEvents.enable(event);
                link = new KernelLink(description, withCleanUp(held, cleanUp), bpfLink);
            } catch (KernelException e) {
                if (Errno.EEXIST.is(e.errno()) && held.size() == 1) {
                    // A tracepoint, kprobe or uprobe runs each program once: the kernel refuses it a second time.
                    throw new BusyException(e.getMessage().lines().findFirst().orElse("") + ": the program is "
                            + "attached to " + description + " already", e.operation(), e.errno(), e.subject(),
                            "a program runs once per hook: keep the first link (attach() makes one for each "
                                    + "program whose section names its hook), or close it before attaching again");
                }
                if (!Errno.EINVAL.is(e.errno()) || held.size() > 1) {
                    throw e;
                }
                // Before Linux 5.15 there are no perf event links: the ioctl binds, with no cookie.
                if (cookie != 0) {
                    throw new NotSupportedException(e.getMessage().lines().findFirst().orElse("") + ": a BPF "
                            + "cookie on " + description + " needs perf event links (Linux 5.15+)",
                            e.operation(), e.errno(), e.subject(), "attach without a cookie on this kernel");
                }
                PerfEvents.setBpf(event, program);
                PerfEvents.enable(event);
                link = KernelLink.withoutBpfLink(description, withCleanUp(held, cleanUp),
                        "it is bound by PERF_EVENT_IOC_SET_BPF: this kernel has no perf event links (Linux 5.15+)");
            }
            return link;
        } catch (RuntimeException e) {
            held.forEach(Fd::close);
            closeQuietly(cleanUp, e);
            throw e;
        }
    }

    private static List<AutoCloseable> withCleanUp(List<Fd> held, AutoCloseable cleanUp) {
        List<AutoCloseable> all = new ArrayList<>();
        if (cleanUp != null) {
            all.add(cleanUp);
        }
        all.addAll(held);
        return all;
    }

    static void closeQuietly(AutoCloseable resource, Throwable into) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            into.addSuppressed(e);
        }
    }
}

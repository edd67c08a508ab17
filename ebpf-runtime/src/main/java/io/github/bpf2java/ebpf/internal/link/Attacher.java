package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.perf.PerfEventAttr;
import io.github.bpf2java.ebpf.internal.perf.PerfEvents;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.util.List;
import java.util.Optional;

/**
 * Attaches loaded programs to tracepoints, raw tracepoints and BTF-typed hooks, and hands back the descriptors that
 * keep them there; {@link SectionTarget} reads which one a section name means, as libbpf's auto-attach does. Probes
 * and perf events are {@link TracingAttacher}'s, iterators {@link IteratorAttacher}'s.
 *
 * <p>Internal: users attach through {@link io.github.bpf2java.ebpf.BpfProgram}.
 */
public final class Attacher {
    private Attacher() {}

    /**
     * Attaches a tracepoint program to {@code category/name} ({@code events/<category>/<name>} in tracefs, which is
     * mounted when absent): a perf event for the tracepoint, bound to the program by a {@code bpf_link} (or, on
     * kernels before 5.15, by {@code PERF_EVENT_IOC_SET_BPF}).
     */
    public static KernelLink tracepoint(Fd program, String category, String name) {
        String description = "tracepoint " + category + "/" + name;
        long id = Tracefs.findOrMount().tracepointId(category, name);
        // One event on CPU 0 is enough: the program runs wherever the tracepoint fires.
        Fd event = PerfEvents.open(PerfEventAttr.tracepoint(id), -1, 0, Optional.empty(), description);
        return PerfEventBinding.bind(program, event, description, 0, null);
    }

    /** Attaches a raw tracepoint program to the kernel tracepoint {@code name}, e.g. {@code sys_enter}. */
    public static KernelLink rawTracepoint(Fd program, String name) {
        try {
            return new KernelLink("raw tracepoint " + name, List.of(Links.rawTracepointOpen(name, program, 0)));
        } catch (NotFoundException e) {
            int slash = name.lastIndexOf('/');
            if (slash < 0) {
                throw e;
            }
            // Tracefs names events <category>/<name>; raw tracepoints go by the bare name.
            throw new NotFoundException(e.getMessage().lines().findFirst().orElse(""), e.operation(), e.errno(),
                    e.subject(), "raw tracepoints are named without their category: '" + name.substring(slash + 1)
                            + "', not '" + name + "'; write SEC(\"raw_tp/" + name.substring(slash + 1)
                            + "\") or call attachRawTracepoint(\"" + name.substring(slash + 1) + "\")");
        }
    }

    /**
     * Attaches a BTF-typed program ({@code tp_btf}, fentry/fexit/fmod_ret, LSM) to the target fixed when it was
     * loaded.
     */
    public static KernelLink btfTyped(Fd program, String description) {
        return new KernelLink(description, List.of(Links.rawTracepointOpen(null, program, 0)));
    }

    /**
     * Attaches an LSM program, after checking that the BPF LSM is active: the kernel accepts LSM programs even when
     * {@code bpf} is missing from its list of security modules, and then never runs them.
     *
     * @throws NotSupportedException when {@code /sys/kernel/security/lsm} does not list {@code bpf}
     */
    public static KernelLink lsm(Fd program, String description) {
        java.nio.file.Path active = java.nio.file.Path.of("/sys/kernel/security/lsm");
        if (java.nio.file.Files.isReadable(active)) {
            String modules;
            try {
                modules = java.nio.file.Files.readString(active).trim();
            } catch (java.io.IOException e) {
                modules = null; // cannot tell: attach and let the kernel decide
            }
            if (modules != null && !java.util.Arrays.asList(modules.split(",")).contains("bpf")) {
                throw new NotSupportedException("the BPF LSM is not active on this kernel (" + active + ": "
                        + modules + "), so " + description + " would never run", "attach " + description,
                        io.github.bpf2java.ebpf.error.Errno.EOPNOTSUPP.number(), description,
                        "boot with bpf in the lsm= list (e.g. lsm=" + modules + ",bpf) on a kernel built with "
                                + "CONFIG_BPF_LSM");
            }
        }
        return btfTyped(program, description);
    }
}

package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.perf.PerfEventAttr;
import io.github.bpf2java.ebpf.internal.perf.PerfEvents;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.SectionDef.AttachKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Attaches loaded programs to kernel hooks and hands back the descriptors that keep them there. One method per kind
 * of hook; {@link #attachBySection} picks the method and target from the program's section name, the way libbpf's
 * auto-attach does.
 *
 * <p>Internal: users attach through {@link io.github.bpf2java.ebpf.BpfProgram}.
 */
public final class Attacher {
    private Attacher() {}

    /** Whether {@link #attachBySection} knows where {@code program} goes without being told. */
    public static boolean attachesBySection(ProgramSpec program) {
        AttachKind kind = program.sectionDef().map(d -> d.attachKind()).orElse(AttachKind.MANUAL);
        return switch (kind) {
            case TRACEPOINT, RAW_TRACEPOINT -> !program.attachTarget().isEmpty();
            case BTF_TRACEPOINT, TRACING, LSM, ITERATOR -> true;
            default -> false;
        };
    }

    /**
     * Attaches {@code program} where its section says.
     *
     * @throws BpfException when the section does not say where (e.g. {@code SEC("xdp")} needs an interface) or the
     *     kind of hook is not supported yet
     */
    public static KernelLink attachBySection(ProgramSpec program, Fd fd) {
        AttachKind kind = program.sectionDef().map(d -> d.attachKind()).orElse(AttachKind.MANUAL);
        String target = program.attachTarget();
        switch (kind) {
            case TRACEPOINT -> {
                int slash = target.indexOf('/');
                if (slash <= 0 || slash == target.length() - 1) {
                    throw new BpfException("program '" + program.name() + "' in section '" + program.sectionName()
                            + "' does not name its tracepoint as <category>/<name>",
                            "write e.g. SEC(\"tracepoint/syscalls/sys_enter_execve\"), or call "
                                    + "attachTracepoint(category, name)", null);
                }
                return tracepoint(fd, target.substring(0, slash), target.substring(slash + 1));
            }
            case RAW_TRACEPOINT -> {
                if (target.isEmpty()) {
                    throw new BpfException("program '" + program.name() + "' in section '" + program.sectionName()
                            + "' does not name its raw tracepoint",
                            "write e.g. SEC(\"raw_tp/sys_enter\"), or call attachRawTracepoint(name)", null);
                }
                return rawTracepoint(fd, target);
            }
            case BTF_TRACEPOINT, TRACING, LSM -> {
                return btfTyped(fd, kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " "
                        + target);
            }
            case ITERATOR -> {
                return iterator(fd, target);
            }
            case MANUAL, STRUCT_OPS -> {
                String method = AttachMethods.forProgram(program);
                throw new BpfException("program '" + program.name() + "' in section '" + program.sectionName()
                        + "' cannot attach by itself: it needs a target only the caller knows (a network "
                        + "interface, a cgroup, a socket, a struct_ops map)", method.isEmpty()
                                ? "attach it with the method for its hook" : "attach it with " + method, null);
            }
            default -> throw new BpfException("program '" + program.name() + "' in section '"
                    + program.sectionName() + "': attaching " + kind + " programs is not supported by bpf2java yet",
                    null, null);
        }
    }

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
        List<Fd> held = new ArrayList<>(List.of(event));
        try {
            try {
                held.add(Links.create(new LinkCreateRequest(program, event.raw(), "perf event " + description,
                        AttachType.PERF_EVENT, 0, new LinkParameters.PerfEvent(0))));
            } catch (KernelException e) {
                if (!Errno.EINVAL.is(e.errno())) {
                    throw e;
                }
                PerfEvents.setBpf(event, program);
            }
            PerfEvents.enable(event);
            return new KernelLink(description, held);
        } catch (RuntimeException e) {
            held.forEach(Fd::close);
            throw e;
        }
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

    /** Creates the link of an iterator program over {@code target} (e.g. {@code task}, {@code bpf_map}). */
    public static KernelLink iterator(Fd program, String target) {
        return new KernelLink("iterator " + target, List.of(Links.create(new LinkCreateRequest(program, 0,
                "iterator " + target, AttachType.TRACE_ITER, 0, new LinkParameters.Iterator(new byte[0])))));
    }
}

package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.attach.IteratorOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.IteratorKind;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Creates the links of iterator programs ({@code SEC("iter/<target>")}) with their parameters: the map a map iterator
 * walks, the task or cgroup a task or cgroup iterator is limited to. The kernel ignores parameters a target does not
 * read, so a mismatch is refused here, naming the target and what it takes.
 *
 * <p>Internal: users attach through {@link io.github.bpf2java.ebpf.BpfProgram}.
 */
public final class IteratorAttacher {
    /** Task iterators read their parameters, and cgroup iterators exist, from Linux 6.1. */
    private static final KernelVersion TASK_AND_CGROUP_PARAMETERS = KernelVersion.of(6, 1);

    private IteratorAttacher() {}

    /** Creates the link of an iterator over every object of {@code target} (e.g. {@code task}, {@code bpf_map}). */
    public static KernelLink attach(Fd program, String target) {
        // A cgroup iterator must be told an order (0 is refused); with no cgroup it starts at the hierarchy's root.
        LinkParameters.Iterator everything = IteratorKind.of(target) == IteratorKind.CGROUP
                ? LinkParameters.Iterator.cgroup(IteratorOptions.CgroupOrder.DESCENDANTS_PRE.value(), 0, 0)
                : LinkParameters.Iterator.none();
        return create(program, target, "iterator " + target, everything);
    }

    /**
     * Creates the link of a task or cgroup iterator limited by {@code options}.
     *
     * @throws BpfException when {@code target} does not take such options
     * @throws NotSupportedException on kernels before Linux 6.1
     * @throws KernelException when the kernel refuses, with a hint for a bad pidfd or cgroup
     */
    public static KernelLink attach(Fd program, String programName, String target, IteratorOptions options) {
        IteratorKind wanted = options instanceof IteratorOptions.Task ? IteratorKind.TASK : IteratorKind.CGROUP;
        IteratorKind kind = IteratorKind.of(target);
        if (kind != wanted) {
            throw mismatch(programName, target, kind, describe(options) + " options are for " + listed(wanted));
        }
        String description = "iterator " + target + " over " + describe(options);
        requireParameters(description);
        if (options instanceof IteratorOptions.Task t) {
            int number = t.number();
            LinkParameters.Iterator info = switch (t.scope()) {
                case THREAD -> LinkParameters.Iterator.task(number, 0, 0);
                case PROCESS -> LinkParameters.Iterator.task(0, number, 0);
                case PIDFD -> LinkParameters.Iterator.task(0, 0, number);
            };
            try {
                return create(program, target, description, info);
            } catch (KernelException e) {
                throw Errno.EBADF.is(e.errno()) && t.scope() == IteratorOptions.TaskScope.PIDFD
                        ? KernelErrors.withHint(e, "descriptor " + number + " is not an open pidfd; open one with "
                                + "pidfd_open(2), or limit the iterator by process id with IteratorOptions.process")
                        : e;
            }
        }
        IteratorOptions.Cgroup c = (IteratorOptions.Cgroup) options;
        if (c.directory() == null) {
            try {
                return create(program, target, description, LinkParameters.Iterator.cgroup(c.order().value(), 0,
                        c.id()));
            } catch (KernelException e) {
                throw Errno.ENOENT.is(e.errno()) ? KernelErrors.withHint(e, "there is no cgroup with id " + c.id()
                        + "; a cgroup's id is the inode number of its directory (stat -c %i <dir>), and a removed "
                        + "cgroup's id is not reused") : e;
            }
        }
        CgroupAttacher.requireCgroup2(c.directory());
        try (Fd directory = Fd.open(c.directory()); Fd.Held held = directory.hold()) {
            // The link holds the cgroup; the directory's descriptor is not needed once it exists.
            return create(program, target, description, LinkParameters.Iterator.cgroup(c.order().value(),
                    held.raw(), 0));
        } catch (KernelException e) {
            throw Errno.EBADF.is(e.errno()) ? KernelErrors.withHint(e, c.directory() + " is not a cgroup directory; "
                    + "name a directory of the cgroup v2 hierarchy (or of a v1 one)") : e;
        }
    }

    /**
     * Creates the link of a map iterator over {@code map}.
     *
     * @param mapName the map's name, for messages
     * @throws BpfException when {@code target} walks no map, or not maps of this type
     * @throws KernelException when the kernel refuses, with a hint for a map type or size it cannot walk
     */
    public static KernelLink attachToMap(Fd program, String programName, String target, MapFd map,
            String mapName) {
        IteratorKind kind = IteratorKind.of(target);
        if (kind != IteratorKind.MAP) {
            throw mismatch(programName, target, kind, "a map is for " + listed(IteratorKind.MAP));
        }
        String typeName = map.type().map(Enum::name).orElse("type " + map.typeValue());
        Optional<String> walks = switch (target) {
            case "bpf_sk_storage_map" -> Optional.of("SK_STORAGE");
            case "sockmap" -> Optional.of("SOCKMAP or SOCKHASH");
            default -> Optional.empty();
        };
        boolean fits = switch (target) {
            case "bpf_sk_storage_map" -> map.type().filter(t -> t == MapType.SK_STORAGE).isPresent();
            case "sockmap" -> map.type().filter(t -> t == MapType.SOCKMAP || t == MapType.SOCKHASH).isPresent();
            default -> true;
        };
        if (!fits) {
            throw new BpfException("program '" + programName + "' iterates iter/" + target + ", which walks "
                    + walks.orElseThrow() + " maps, but map '" + mapName + "' has type " + typeName,
                    "pass a " + walks.orElseThrow() + " map", null);
        }
        String description = "iterator " + target + " over map '" + mapName + "'";
        try (Fd.Held held = map.fd().hold()) {
            return create(program, target, description, LinkParameters.Iterator.map(held.raw()));
        } catch (KernelException e) {
            if (Errno.EINVAL.is(e.errno()) && target.equals("bpf_map_elem")) {
                throw KernelErrors.withHint(e, "iter/bpf_map_elem walks hash maps (HASH, LRU_HASH and their PERCPU "
                        + "kinds) and arrays (ARRAY, PERCPU_ARRAY); map '" + mapName + "' has type " + typeName);
            }
            if (Errno.EACCES.is(e.errno())) {
                throw KernelErrors.withHint(e, "the program reads more of an element than map '" + mapName
                        + "' has (key " + map.keySize() + " bytes, value " + map.valueSize() + " bytes): check the "
                        + "key and value types it reads through ctx->key and ctx->value");
            }
            throw e;
        }
    }

    private static KernelLink create(Fd program, String target, String description, LinkParameters.Iterator info) {
        return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, 0, description,
                AttachType.TRACE_ITER, 0, info))));
    }

    private static BpfException mismatch(String programName, String target, IteratorKind kind, String why) {
        String takes = switch (kind) {
            case MAP -> "walks the map given to attachIterator(BpfMap)";
            case TASK -> "takes IteratorOptions.thread, process or pidfd";
            case CGROUP -> "takes IteratorOptions.cgroup";
            case NONE -> "takes no parameters";
        };
        return new BpfException("program '" + programName + "' iterates iter/" + target + ", which " + takes
                + ": " + why, kind == IteratorKind.NONE ? "attach it with attach()" : "attach it with the "
                        + "parameters iter/" + target + " takes, or attach() it to walk everything", null);
    }

    private static String listed(IteratorKind kind) {
        return kind.targets().stream().map(t -> "iter/" + t).collect(Collectors.joining(", "));
    }

    private static String describe(IteratorOptions options) {
        if (options instanceof IteratorOptions.Task t) {
            return t.scope().name().toLowerCase(Locale.ROOT) + " " + t.number();
        }
        IteratorOptions.Cgroup c = (IteratorOptions.Cgroup) options;
        return "cgroup " + (c.directory() != null ? c.directory().toString() : "id " + c.id()) + " ("
                + c.order() + ")";
    }

    /** Refuses task and cgroup parameters where the kernel would ignore them or has no such iterator. */
    private static void requireParameters(String description) {
        KernelVersion running;
        try {
            running = KernelVersion.running();
        } catch (RuntimeException unreadable) {
            return; // cannot tell: let the kernel decide
        }
        if (!running.atLeast(TASK_AND_CGROUP_PARAMETERS)) {
            throw new NotSupportedException("the " + description + " needs Linux " + TASK_AND_CGROUP_PARAMETERS
                    + " or later, this kernel is " + running + ": older kernels ignore a task iterator's "
                    + "parameters and have no cgroup iterator", "BPF_LINK_CREATE", Errno.EINVAL.number(),
                    description, "attach() the iterator and filter its output in the program (e.g. by "
                            + "task->tgid), or run on a newer kernel");
        }
    }
}

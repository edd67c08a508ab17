package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.attach.CgroupAttachFlag;
import io.github.bpf2java.ebpf.attach.CgroupOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.ProgramAttachment;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.fs.MountTable;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Attaches programs to cgroup v2 directories: through a {@code bpf_link} (Linux 5.7+), or the legacy
 * {@code BPF_PROG_ATTACH} with its override/multi flags, which closing undoes with {@code BPF_PROG_DETACH}.
 */
public final class CgroupAttacher {
    private static final KernelVersion CGROUP_LINKS = KernelVersion.of(5, 7);
    /**
     * The cgroup attach types each program type accepts, as the kernel maps them ({@code attach_type_to_prog_type}
     * in {@code kernel/bpf/syscall.c}); the kernel refuses any other pairing with {@code EINVAL}.
     */
    private static final Map<ProgramType, Set<AttachType>> ACCEPTED = accepted();
    /** The attach types whose hook is a cgroup. */
    private static final Set<AttachType> CGROUP_TYPES = ACCEPTED.values().stream()
            .collect(() -> EnumSet.noneOf(AttachType.class), Set::addAll, Set::addAll);
    /**
     * The program types the kernel attaches only at the attach type they were loaded for
     * ({@code bpf_prog_attach_check_attach_type}).
     */
    private static final Set<ProgramType> LOADED_FOR_ONE_HOOK = EnumSet.of(ProgramType.CGROUP_SOCK,
            ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SOCKOPT);

    private static Map<ProgramType, Set<AttachType>> accepted() {
        Map<ProgramType, Set<AttachType>> m = new EnumMap<>(ProgramType.class);
        m.put(ProgramType.CGROUP_SKB, EnumSet.of(AttachType.CGROUP_INET_INGRESS, AttachType.CGROUP_INET_EGRESS));
        m.put(ProgramType.CGROUP_SOCK, EnumSet.of(AttachType.CGROUP_INET_SOCK_CREATE,
                AttachType.CGROUP_INET_SOCK_RELEASE, AttachType.CGROUP_INET4_POST_BIND,
                AttachType.CGROUP_INET6_POST_BIND));
        m.put(ProgramType.CGROUP_SOCK_ADDR, EnumSet.of(AttachType.CGROUP_INET4_BIND, AttachType.CGROUP_INET6_BIND,
                AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_INET6_CONNECT, AttachType.CGROUP_UNIX_CONNECT,
                AttachType.CGROUP_INET4_GETPEERNAME, AttachType.CGROUP_INET6_GETPEERNAME,
                AttachType.CGROUP_UNIX_GETPEERNAME, AttachType.CGROUP_INET4_GETSOCKNAME,
                AttachType.CGROUP_INET6_GETSOCKNAME, AttachType.CGROUP_UNIX_GETSOCKNAME,
                AttachType.CGROUP_UDP4_SENDMSG, AttachType.CGROUP_UDP6_SENDMSG, AttachType.CGROUP_UNIX_SENDMSG,
                AttachType.CGROUP_UDP4_RECVMSG, AttachType.CGROUP_UDP6_RECVMSG, AttachType.CGROUP_UNIX_RECVMSG));
        m.put(ProgramType.SOCK_OPS, EnumSet.of(AttachType.CGROUP_SOCK_OPS));
        m.put(ProgramType.CGROUP_DEVICE, EnumSet.of(AttachType.CGROUP_DEVICE));
        m.put(ProgramType.CGROUP_SYSCTL, EnumSet.of(AttachType.CGROUP_SYSCTL));
        m.put(ProgramType.CGROUP_SOCKOPT, EnumSet.of(AttachType.CGROUP_GETSOCKOPT, AttachType.CGROUP_SETSOCKOPT));
        m.put(ProgramType.LSM, EnumSet.of(AttachType.LSM_CGROUP));
        return m;
    }

    private CgroupAttacher() {}

    /**
     * Attaches {@code program} to the cgroup directory {@code cgroup}.
     *
     * @param programName  for messages
     * @param programType  the type the program was loaded as, to check the attach type against
     * @param sectionType  the attach type the program's section implies, if any
     */
    public static KernelLink attach(Fd program, String programName, ProgramType programType,
            Optional<AttachType> sectionType, Path cgroup, CgroupOptions options) {
        AttachType type = options.attachType().or(() -> sectionType).orElseThrow(() -> new BpfException("program '"
                + programName + "' does not say which cgroup hook it is for", "give the attach type: "
                + "attachCgroup(path, CgroupOptions.defaults().withAttachType(AttachType.CGROUP_INET_INGRESS)), or "
                + "use a section such as SEC(\"cgroup_skb/ingress\")", null));
        if (!CGROUP_TYPES.contains(type)) {
            throw new BpfException("attach type " + type + " of program '" + programName + "' is not a cgroup hook",
                    "cgroup hooks: " + CGROUP_TYPES, null);
        }
        Set<AttachType> accepted = ACCEPTED.getOrDefault(programType, Set.of());
        if (!accepted.contains(type)) {
            throw new BpfException("program '" + programName + "' is a " + programType + " program, which the "
                    + "kernel does not attach at " + type + (accepted.isEmpty() ? ": it attaches to no cgroup hook"
                            : "; a " + programType + " program attaches at " + accepted), accepted.isEmpty()
                                    ? "attach it with the method for its type, or load a cgroup program (e.g. "
                                            + "SEC(\"cgroup_skb/egress\"))"
                                    : "pass one of those to CgroupOptions.withAttachType, or write the program as "
                                            + "the type for " + type + " (" + typeFor(type) + ")", null);
        }
        Optional<AttachType> loadedFor = sectionType.filter(t -> LOADED_FOR_ONE_HOOK.contains(programType));
        if (loadedFor.isPresent() && loadedFor.get() != type) {
            throw new BpfException("program '" + programName + "' was loaded for " + loadedFor.get() + " (by its "
                    + "section), and the kernel attaches a " + programType + " program only at the hook it was "
                    + "loaded for, not at " + type, "attach it without withAttachType, or declare a program in the "
                            + "section for " + type, null);
        }
        requireCgroup2(cgroup);
        String description = "cgroup " + cgroup + " as " + type;
        try (Fd directory = Fd.open(cgroup)) {
            if (!options.legacy()) {
                try (Fd.Held dir = directory.hold()) {
                    // The link holds the cgroup; the directory's descriptor is not needed once it exists.
                    return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, dir.raw(),
                            "cgroup " + cgroup, type, 0, new LinkParameters.None()))));
                } catch (KernelException e) {
                    if (!Errno.EINVAL.is(e.errno()) || KernelVersion.running().atLeast(CGROUP_LINKS)) {
                        throw withCgroupHint(e, cgroup);
                    }
                    // No cgroup links before 5.7: the legacy attachment, shareable like a link.
                }
            }
            Set<CgroupAttachFlag> flags = options.legacy() ? options.flags() : EnumSet.of(CgroupAttachFlag.ALLOW_MULTI);
            return legacy(program, directory, type, flags, description);
        }
    }

    /** The program type whose programs attach at {@code type}, for messages. */
    private static String typeFor(AttachType type) {
        return ACCEPTED.entrySet().stream().filter(e -> e.getValue().contains(type)).map(e -> e.getKey().name())
                .findFirst().orElse("none");
    }

    /**
     * Checks that {@code cgroup} is a directory of a cgroup v2 hierarchy: the kernel answers anything else with a
     * bare {@code EBADF}. The filesystem is the one mounted on the longest mount point that contains the path.
     */
    public static void requireCgroup2(Path cgroup) {
        MountTable mounts;
        try {
            mounts = MountTable.read();
        } catch (RuntimeException unreadable) {
            mounts = new MountTable(List.of());
        }
        if (!Files.exists(cgroup)) {
            throw new NotFoundException("cgroup " + cgroup + " does not exist", "attach to cgroup",
                    Errno.ENOENT.number(), "cgroup " + cgroup, "create the group first (mkdir), in the cgroup v2 "
                            + "hierarchy: " + cgroup2Where(mounts));
        }
        if (!Files.isDirectory(cgroup)) {
            throw new BpfException("cgroup " + cgroup + " is not a directory", "name a directory of the cgroup v2 "
                    + "hierarchy: " + cgroup2Where(mounts), null);
        }
        Path real;
        try {
            real = cgroup.toRealPath();
        } catch (java.io.IOException unreadable) {
            return; // cannot tell: let the kernel decide
        }
        Optional<MountTable.Mount> mount = mountOf(mounts, real);
        if (mount.isEmpty() || mount.get().fsType().equals("cgroup2")) {
            return;
        }
        String fsType = mount.get().fsType();
        String what = fsType.equals("cgroup") ? "a cgroup v1 directory (mounted at " + mount.get().mountPoint() + ")"
                : "on a " + fsType + (real.equals(mount.get().mountPoint()) ? "" : " (mounted at "
                        + mount.get().mountPoint() + ")");
        throw new BpfException("cgroup " + cgroup + " is " + what + ", not a cgroup v2 directory: BPF programs "
                + "attach only to cgroup v2", cgroup2Where(mounts), null);
    }

    private static String cgroup2Where(MountTable mounts) {
        List<MountTable.Mount> v2 = mounts.ofType("cgroup2");
        return v2.isEmpty() ? "no cgroup v2 is mounted on this machine: mount one with mount -t cgroup2 none <dir>"
                : "cgroup v2 is mounted at " + v2.stream().map(m -> m.mountPoint().toString()).distinct()
                        .collect(Collectors.joining(", ")) + " on this machine: attach to "
                        + v2.get(0).mountPoint() + "/<group>";
    }

    /** The mount that holds {@code path}: the longest mount point it starts with, the last mounted of equals. */
    private static Optional<MountTable.Mount> mountOf(MountTable mounts, Path path) {
        MountTable.Mount best = null;
        for (MountTable.Mount m : mounts.mounts()) {
            if (path.startsWith(m.mountPoint()) && (best == null
                    || m.mountPoint().getNameCount() >= best.mountPoint().getNameCount())) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    private static KernelLink legacy(Fd program, Fd directory, AttachType type, Set<CgroupAttachFlag> flags,
            String description) {
        int value = flags.stream().mapToInt(CgroupAttachFlag::value).reduce(0, (a, b) -> a | b);
        // Detaching needs the cgroup and the program again, whatever their owners do meanwhile.
        Fd dir = directory.dup();
        Fd prog;
        try {
            prog = program.dup();
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
        try (Fd.Held held = dir.hold()) {
            Programs.attach(attachment(held.raw(), dir, prog, type, value));
        } catch (RuntimeException e) {
            prog.close();
            dir.close();
            throw e instanceof KernelException k ? withCgroupHint(k, null) : e;
        }
        return new KernelLink(description + " (BPF_PROG_ATTACH" + (flags.isEmpty() ? "" : ", " + flags) + ")",
                List.of(dir, prog), () -> {
                    try (Fd.Held held = dir.hold()) {
                        Programs.detach(attachment(held.raw(), dir, prog, type, 0));
                    }
                });
    }

    private static ProgramAttachment attachment(int rawDir, Fd dir, Fd program, AttachType type, int flags) {
        return new ProgramAttachment(rawDir, dir.description(), program, type, flags, Optional.empty(), 0, 0);
    }

    private static KernelException withCgroupHint(KernelException e, Path cgroup) {
        KernelException explained;
        if (Errno.EBADF.is(e.errno())) {
            // Not the generic "a descriptor is closed": the descriptor was fine, the directory is not cgroup v2.
            String where;
            try {
                where = cgroup2Where(MountTable.read());
            } catch (RuntimeException unreadable) {
                where = "mount one with mount -t cgroup2 none <dir>";
            }
            explained = KernelErrors.withHint(e, (cgroup == null ? "the cgroup" : cgroup) + " is not a cgroup v2 "
                    + "directory (cgroup v1 directories cannot hold programs); " + where);
        } else if (Errno.EEXIST.is(e.errno()) || Errno.EPERM.is(e.errno())) {
            String hint = "the cgroup already has an exclusive program on this hook (attached without "
                    + "ALLOW_MULTI), or an ancestor's attachment does not allow overrides";
            explained = KernelErrors.withHint(e, e.hint().map(h -> hint + "; or " + h).orElse(hint));
        } else {
            return e;
        }
        explained.setStackTrace(e.getStackTrace());
        return explained;
    }
}

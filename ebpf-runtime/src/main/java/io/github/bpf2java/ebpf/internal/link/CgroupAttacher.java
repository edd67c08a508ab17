package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.attach.CgroupAttachFlag;
import io.github.bpf2java.ebpf.attach.CgroupOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.bpf.AttachedPrograms;
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
    private static final System.Logger LOG = System.getLogger(CgroupAttacher.class.getName());
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
        Set<AttachType> accepted = ACCEPTED.getOrDefault(programType, Set.of());
        if (accepted.isEmpty()) {
            throw new BpfException("program '" + programName + "' has type " + programType + ", which the kernel "
                    + "attaches to no cgroup hook", "attach it with the method for its type, or load a cgroup "
                            + "program (e.g. SEC(\"cgroup_skb/egress\"))", null);
        }
        // A program type with one cgroup hook (sock_ops, device, sysctl) needs no attach type to be named.
        AttachType type = options.attachType().or(() -> sectionType)
                .or(() -> accepted.size() == 1 ? Optional.of(accepted.iterator().next()) : Optional.empty())
                .orElseThrow(() -> new BpfException("program '" + programName + "' does not say which cgroup hook "
                        + "it is for: programs of type " + programType + " attach at " + accepted, "give the attach "
                                + "type: attachCgroup(path, CgroupOptions.defaults().withAttachType(AttachType."
                                + accepted.iterator().next() + ")), or declare the program in the section libbpf "
                                + "names for its hook (e.g. SEC(\"cgroup_skb/ingress\"))", null));
        if (!CGROUP_TYPES.contains(type)) {
            throw new BpfException("attach type " + type + " of program '" + programName + "' is not a cgroup hook",
                    "cgroup hooks: " + CGROUP_TYPES, null);
        }
        if (!accepted.contains(type)) {
            throw new BpfException("program '" + programName + "' has type " + programType + ", which the "
                    + "kernel does not attach at " + type + "; programs of type " + programType + " attach at "
                    + accepted, "pass one of those to CgroupOptions.withAttachType, or write the program as the type "
                            + "for " + type + " (" + typeFor(type) + ")", null);
        }
        Optional<AttachType> loadedFor = sectionType.filter(t -> LOADED_FOR_ONE_HOOK.contains(programType));
        if (loadedFor.isPresent() && loadedFor.get() != type) {
            throw new BpfException("program '" + programName + "' was loaded for " + loadedFor.get() + " (by its "
                    + "section), and the kernel attaches programs of type " + programType + " only at the hook they "
                    + "were loaded for, not at " + type, "attach it without withAttachType, or declare a program in "
                            + "the section for " + type, null);
        }
        // Program types the kernel attaches at several hooks (cgroup_skb at ingress and egress) take the other one
        // silently; a program written for one direction rarely means the other.
        sectionType.filter(t -> t != type && loadedFor.isEmpty()).ifPresent(t -> LOG.log(System.Logger.Level.WARNING,
                () -> "program '" + programName + "' is written for " + t + " (by its section) and attached at "
                        + type + ", as CgroupOptions.withAttachType asked"));
        requireCgroup2(cgroup);
        String description = "cgroup " + cgroup + " as " + type;
        try (Fd directory = Fd.open(cgroup)) {
            if (!options.legacyAttachment()) {
                try (Fd.Held dir = directory.hold()) {
                    // The link holds the cgroup; the directory's descriptor is not needed once it exists.
                    return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, dir.raw(),
                            "cgroup " + cgroup, type, 0, new LinkParameters.None()))));
                } catch (KernelException e) {
                    if (!Errno.EINVAL.is(e.errno()) || KernelVersion.running().atLeast(CGROUP_LINKS)) {
                        throw withCgroupHint(e, cgroup, directory, type, "a link (always ALLOW_MULTI)",
                                AttachedPrograms.ALLOW_MULTI);
                    }
                    // No cgroup links before 5.7: the legacy attachment, shareable like a link.
                }
            }
            Set<CgroupAttachFlag> flags = options.legacyAttachment() ? options.flags()
                    : EnumSet.of(CgroupAttachFlag.ALLOW_MULTI);
            return legacy(program, programName, directory, cgroup, type, flags, description);
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

    /**
     * A cgroup directory to show in a how-to, e.g. {@code /sys/fs/cgroup/unified/...}: under this machine's
     * cgroup v2 mount, {@code /sys/fs/cgroup} (the usual one) when there is none or the mounts cannot be read.
     */
    static String exampleGroup() {
        try {
            return exampleGroup(MountTable.read());
        } catch (RuntimeException unreadable) {
            return exampleGroup(new MountTable(List.of()));
        }
    }

    static String exampleGroup(MountTable mounts) {
        return mounts.ofType("cgroup2").stream().findFirst().map(m -> m.mountPoint().toString())
                .orElse("/sys/fs/cgroup") + "/...";
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

    private static KernelLink legacy(Fd program, String programName, Fd directory, Path cgroup, AttachType type,
            Set<CgroupAttachFlag> flags, String description) {
        int value = flags.stream().mapToInt(CgroupAttachFlag::value).reduce(0, (a, b) -> a | b);
        String mode = flags.isEmpty() ? "exclusive" : flags.iterator().next().name();
        int programId = Programs.info(program).id();
        Optional<String> replacing = flags.contains(CgroupAttachFlag.ALLOW_MULTI) ? Optional.empty()
                : replaced(directory, type, programId, value);
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
            if (!(e instanceof KernelException k)) {
                throw e;
            }
            if (Errno.EINVAL.is(k.errno()) && flags.contains(CgroupAttachFlag.ALLOW_MULTI)
                    && attachedHere(directory, type, programId, false)) {
                throw rethrown(k, KernelErrors.withHint(k, "program '" + programName + "' (id " + programId
                        + ") is already attached to " + cgroup + " at " + type + ": with ALLOW_MULTI the kernel "
                        + "takes a program once per cgroup and hook; to run it twice there, attach it with links "
                        + "(attachCgroup(path) or CgroupOptions.defaults()), each of which runs it once"));
            }
            throw withCgroupHint(k, cgroup, directory, type, "BPF_PROG_ATTACH " + mode, value);
        }
        replacing.ifPresent(other -> LOG.log(System.Logger.Level.INFO, () -> "program '" + programName + "' "
                + "attached to " + description + " (" + mode + ") replaced " + other + ", as the kernel does in this "
                + "mode: closing that one's BpfLink will not detach this one"));
        return new KernelLink(description + " (BPF_PROG_ATTACH" + (flags.isEmpty() ? "" : ", " + flags) + ")",
                List.of(dir, prog), () -> detachOwn(dir, prog, programId, programName, type, description));
    }

    /**
     * Detaches a legacy attachment if its program is still attached there. In multi mode the kernel finds the
     * attachment by its program; in exclusive and override mode it detaches whatever is attached, which is another
     * program once a second attachment has replaced this one, hence the query first. Gone already (replaced, or
     * detached by another process) is what closing wants, so it is logged, not thrown. A replacement made between
     * the query and the detach is not seen: the kernel offers no detach that is conditional on the program.
     */
    private static void detachOwn(Fd dir, Fd prog, int programId, String programName, AttachType type,
            String description) {
        try {
            // Cannot tell (no BPF_PROG_QUERY before 4.15, say): detach, as before.
            if (attachedHere(dir, type, programId, true)) {
                try (Fd.Held held = dir.hold()) {
                    Programs.detach(attachment(held.raw(), dir, prog, type, 0));
                }
                return;
            }
        } catch (NotFoundException gone) {
            // Detached between the query and the detach: the same outcome.
        }
        LOG.log(System.Logger.Level.INFO, () -> "program '" + programName + "' (id " + programId + ") was no longer "
                + "attached to " + description + " when its BpfLink was closed (replaced by another attachment, or "
                + "detached from outside): nothing to detach");
    }

    /**
     * The program other than {@code programId} that an attachment with {@code flags} (exclusive or override) at
     * {@code type} of the cgroup will replace, for a message: one attached in the same mode (in another, the kernel
     * refuses the attachment instead).
     */
    private static Optional<String> replaced(Fd directory, AttachType type, int programId, int flags) {
        try {
            AttachedPrograms there = Programs.query(directory, type);
            return there.attachFlags() != flags ? Optional.empty() : there.programIds().stream()
                    .filter(id -> id != programId).findFirst().map(CgroupAttacher::programNamed);
        } catch (KernelException unreadable) {
            return Optional.empty(); // only for a message
        }
    }

    /**
     * Whether program {@code programId} is attached to the cgroup at {@code type}, as {@code BPF_PROG_QUERY} says;
     * {@code ifUnknown} when the kernel does not answer.
     */
    private static boolean attachedHere(Fd directory, AttachType type, int programId, boolean ifUnknown) {
        try {
            return Programs.query(directory, type).programIds().contains(programId);
        } catch (KernelException unreadable) {
            return ifUnknown;
        }
    }

    /** {@code program 'name' (id 42)}, or {@code program id 42} when it cannot be opened. */
    private static String programNamed(int id) {
        try (Fd fd = Programs.byId(id)) {
            return "program '" + Programs.info(fd).name() + "' (id " + id + ")";
        } catch (RuntimeException gone) {
            return "program id " + id;
        }
    }

    private static ProgramAttachment attachment(int rawDir, Fd dir, Fd program, AttachType type, int flags) {
        return new ProgramAttachment(rawDir, dir.description(), program, type, flags, Optional.empty(), 0, 0);
    }

    /**
     * {@code e} with a hint for the failures whose cause the cgroup explains: {@code EBADF} (not a cgroup v2
     * directory), {@code EPERM} (an attachment in the way, named when a query finds it, else a privilege problem).
     *
     * @param requested      the mode of the refused attachment, for the message
     * @param requestedFlags its attach flags, compared with those the cgroup's attachments were made with
     */
    private static KernelException withCgroupHint(KernelException e, Path cgroup, Fd directory, AttachType type,
            String requested, int requestedFlags) {
        if (Errno.EBADF.is(e.errno())) {
            // Not the generic "a descriptor is closed": the descriptor was fine, the directory is not cgroup v2.
            String where;
            try {
                where = cgroup2Where(MountTable.read());
            } catch (RuntimeException unreadable) {
                where = "mount one with mount -t cgroup2 none <dir>";
            }
            return rethrown(e, KernelErrors.withHint(e, cgroup + " is not a cgroup v2 directory (cgroup v1 "
                    + "directories cannot hold programs); " + where));
        }
        if (Errno.EEXIST.is(e.errno()) || Errno.EPERM.is(e.errno())) {
            Optional<String> conflict = conflict(cgroup, directory, type, requested, requestedFlags);
            if (conflict.isPresent()) {
                return rethrown(e, KernelErrors.withHint(e, conflict.get()));
            }
            String hint = "the cgroup already has an exclusive program on this hook (attached without "
                    + "ALLOW_MULTI), or an ancestor's attachment does not allow overrides";
            return rethrown(e, KernelErrors.withHint(e, e.hint().map(h -> hint + "; or " + h).orElse(hint)));
        }
        return e;
    }

    private static KernelException rethrown(KernelException original, KernelException explained) {
        explained.setStackTrace(original.getStackTrace());
        return explained;
    }

    /**
     * What attachment refuses this one, as the kernel decides ({@code __cgroup_bpf_attach}): attachments already in
     * the cgroup at that hook made in another mode, or the nearest ancestor below any ALLOW_MULTI one that holds a
     * program attached exclusively (without ALLOW_OVERRIDE). Empty when none is found, or the cgroups cannot be
     * queried (e.g. without privileges, which is then the likelier cause).
     */
    private static Optional<String> conflict(Path cgroup, Fd directory, AttachType type, String requested,
            int requestedFlags) {
        try {
            AttachedPrograms here = Programs.query(directory, type);
            if (!here.programIds().isEmpty() && here.attachFlags() != requestedFlags) {
                String what = cgroup + " already holds " + programs(here) + " at " + type + ", attached "
                        + here.mode() + ", and the kernel adds to a cgroup's hook only in the mode its attachments "
                        + "have; this was " + requested + ": ";
                return Optional.of(what + (here.multi() ? "attach with a link (attachCgroup(path)) or "
                        + "CgroupOptions.legacy(ALLOW_MULTI) to run beside them"
                        : "detach it first (bpftool cgroup detach " + cgroup + " " + type + " id "
                                + here.programIds().get(0) + "), or make every attachment there ALLOW_MULTI "
                                + "(links are)"));
            }
            Path real = cgroup.toRealPath();
            Optional<MountTable.Mount> mount = mountOf(MountTable.read(), real);
            for (Path p = real.getParent(); p != null && mount.isPresent() && p.startsWith(mount.get().mountPoint());
                    p = p.getParent()) {
                AttachedPrograms above;
                try (Fd ancestor = Fd.open(p)) {
                    above = Programs.query(ancestor, type);
                }
                if (above.multi() || (!above.programIds().isEmpty()
                        && (above.attachFlags() & AttachedPrograms.ALLOW_OVERRIDE) != 0)) {
                    return Optional.empty(); // this one allows descendants to attach
                }
                if (!above.programIds().isEmpty()) {
                    return Optional.of("the ancestor cgroup " + p + " holds " + programs(above) + " at " + type
                            + ", attached exclusively (without ALLOW_OVERRIDE or ALLOW_MULTI), which forbids "
                            + "attachments at that hook below it: detach it (bpftool cgroup detach " + p + " " + type
                            + " id " + above.programIds().get(0) + "), or attach it there with ALLOW_MULTI (or a "
                            + "link)");
                }
            }
            return Optional.empty();
        } catch (RuntimeException | java.io.IOException unknown) {
            return Optional.empty(); // only for a hint
        }
    }

    private static String programs(AttachedPrograms attached) {
        return attached.programIds().stream().map(CgroupAttacher::programNamed).collect(Collectors.joining(", "));
    }
}

package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.attach.CgroupAttachFlag;
import io.github.bpf2java.ebpf.attach.CgroupOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.ProgramAttachment;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Attaches programs to cgroup v2 directories: through a {@code bpf_link} (Linux 5.7+), or the legacy
 * {@code BPF_PROG_ATTACH} with its override/multi flags, which closing undoes with {@code BPF_PROG_DETACH}.
 */
public final class CgroupAttacher {
    private static final KernelVersion CGROUP_LINKS = KernelVersion.of(5, 7);
    /** The attach types whose hook is a cgroup. */
    private static final Set<AttachType> CGROUP_TYPES = EnumSet.of(AttachType.CGROUP_INET_INGRESS,
            AttachType.CGROUP_INET_EGRESS, AttachType.CGROUP_INET_SOCK_CREATE, AttachType.CGROUP_SOCK_OPS,
            AttachType.CGROUP_DEVICE, AttachType.CGROUP_INET4_BIND, AttachType.CGROUP_INET6_BIND,
            AttachType.CGROUP_INET4_CONNECT, AttachType.CGROUP_INET6_CONNECT, AttachType.CGROUP_INET4_POST_BIND,
            AttachType.CGROUP_INET6_POST_BIND, AttachType.CGROUP_UDP4_SENDMSG, AttachType.CGROUP_UDP6_SENDMSG,
            AttachType.CGROUP_SYSCTL, AttachType.CGROUP_UDP4_RECVMSG, AttachType.CGROUP_UDP6_RECVMSG,
            AttachType.CGROUP_GETSOCKOPT, AttachType.CGROUP_SETSOCKOPT, AttachType.CGROUP_INET4_GETPEERNAME,
            AttachType.CGROUP_INET6_GETPEERNAME, AttachType.CGROUP_INET4_GETSOCKNAME,
            AttachType.CGROUP_INET6_GETSOCKNAME, AttachType.CGROUP_INET_SOCK_RELEASE, AttachType.LSM_CGROUP,
            AttachType.CGROUP_UNIX_CONNECT, AttachType.CGROUP_UNIX_SENDMSG, AttachType.CGROUP_UNIX_RECVMSG,
            AttachType.CGROUP_UNIX_GETPEERNAME, AttachType.CGROUP_UNIX_GETSOCKNAME);

    private CgroupAttacher() {}

    /**
     * Attaches {@code program} to the cgroup directory {@code cgroup}.
     *
     * @param programName  for messages
     * @param sectionType  the attach type the program's section implies, if any
     */
    public static KernelLink attach(Fd program, String programName, Optional<AttachType> sectionType, Path cgroup,
            CgroupOptions options) {
        AttachType type = options.attachType().or(() -> sectionType).orElseThrow(() -> new BpfException("program '"
                + programName + "' does not say which cgroup hook it is for", "give the attach type: "
                + "attachCgroup(path, CgroupOptions.defaults().withAttachType(AttachType.CGROUP_INET_INGRESS)), or "
                + "use a section such as SEC(\"cgroup_skb/ingress\")", null));
        if (!CGROUP_TYPES.contains(type)) {
            throw new BpfException("attach type " + type + " of program '" + programName + "' is not a cgroup hook",
                    "cgroup hooks: " + CGROUP_TYPES, null);
        }
        if (!Files.isDirectory(cgroup)) {
            throw new BpfException("cgroup " + cgroup + " is not a directory", "name a directory of the cgroup v2 "
                    + "hierarchy, e.g. /sys/fs/cgroup/<group> (or /sys/fs/cgroup/unified/<group> on hybrid systems)",
                    null);
        }
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
        if (!Errno.EBADF.is(e.errno()) && !Errno.EPERM.is(e.errno()) && !Errno.EEXIST.is(e.errno())) {
            return e;
        }
        String hint = Errno.EEXIST.is(e.errno()) || Errno.EPERM.is(e.errno()) && e.hint().isEmpty()
                ? "the cgroup already has an exclusive program on this hook (attached without ALLOW_MULTI), or an "
                        + "ancestor's attachment does not allow overrides"
                : "the path must be a directory of the cgroup v2 hierarchy (mount -t cgroup2 none <dir>); cgroup "
                        + "v1 directories (" + (cgroup == null ? "e.g. /sys/fs/cgroup/cpu" : cgroup) + ") cannot "
                        + "hold programs";
        return new KernelException(e.getMessage().lines().findFirst().orElse(""), e.operation(), e.errno(),
                e.subject(), e.hint().map(h -> hint + "; " + h).orElse(hint), e);
    }
}

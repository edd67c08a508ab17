package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.attach.NetfilterOptions;
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
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Attaches programs to sockets and what routes to them: a socket filter on one socket ({@code SO_ATTACH_BPF}), a
 * sk_reuseport program on a socket's {@code SO_REUSEPORT} group ({@code SO_ATTACH_REUSEPORT_EBPF}), a verdict or
 * parser program on a sockmap or sockhash, sk_lookup and flow dissector programs on a network namespace, and
 * netfilter programs on a hook of the calling thread's namespace.
 */
public final class SocketAttacher {
    private static final int SOL_SOCKET = 1;
    private static final int BPF_F_NETFILTER_IP_DEFRAG = 1;
    private static final KernelVersion SOCKMAP_LINKS = KernelVersion.of(6, 10);

    private SocketAttacher() {}

    /**
     * Attaches a socket filter to {@code socket}, which the returned link owns from now on: it keeps the socket
     * open until it is closed, which detaches the filter ({@code SO_DETACH_BPF}).
     */
    public static KernelLink socketFilter(Fd program, Fd socket) {
        return onSocket(program, socket, SocketOption.FILTER, "socket filter on " + socket.description());
    }

    /**
     * Attaches a sk_reuseport program to the {@code SO_REUSEPORT} group of {@code socket}, which the returned link
     * owns from now on: it keeps the socket open until it is closed, which detaches the group's program
     * ({@code SO_DETACH_REUSEPORT_BPF}).
     */
    public static KernelLink reuseport(Fd program, Fd socket) {
        return onSocket(program, socket, SocketOption.REUSEPORT,
                "sk_reuseport program of the SO_REUSEPORT group of " + socket.description());
    }

    /** The two ways a program attaches to a socket by {@code setsockopt(2)}, and what refusals mean for each. */
    private enum SocketOption {
        FILTER(50, "SO_ATTACH_BPF", 27, "SO_DETACH_BPF",
                "only SOCKET_FILTER programs (SEC(\"socket\")) attach to sockets this way"),
        REUSEPORT(52, "SO_ATTACH_REUSEPORT_EBPF", 68, "SO_DETACH_REUSEPORT_BPF",
                "the socket must have SO_REUSEPORT set before it was bound (channel.setOption("
                        + "StandardSocketOptions.SO_REUSEPORT, true)), and be a TCP or UDP socket");

        final int attach;
        final String attachName;
        final int detach;
        final String detachName;
        final String invalidHint;

        SocketOption(int attach, String attachName, int detach, String detachName, String invalidHint) {
            this.attach = attach;
            this.attachName = attachName;
            this.detach = detach;
            this.detachName = detachName;
            this.invalidHint = invalidHint;
        }
    }

    private static KernelLink onSocket(Fd program, Fd socket, SocketOption option, String description) {
        try {
            setOption(socket, option, true, program);
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        return new KernelLink(description, List.of(socket), () -> {
            try {
                setOption(socket, option, false, null);
            } catch (KernelException e) {
                if (!Errno.ENOENT.is(e.errno())) {
                    throw e; // ENOENT: another program replaced ours, or it was detached already.
                }
            }
        });
    }

    private static void setOption(Fd socket, SocketOption option, boolean attach, Fd program) {
        // Detaching takes an int too: the kernel refuses an option shorter than one.
        try (NativeBuffer value = new NativeBuffer(4);
                Fd.Held sock = socket.hold();
                Fd.Held prog = program == null ? null : program.hold()) {
            value.putInt(0, prog == null ? 0 : prog.raw());
            long result = Libc.setsockopt(sock.raw(), SOL_SOCKET, attach ? option.attach : option.detach,
                    value.address(), 4);
            if (result < 0) {
                int errno = (int) -result;
                throw KernelErrors.forErrno("setsockopt(" + (attach ? option.attachName : option.detachName) + ")",
                        errno, socket.description(), Errno.ENOTSOCK.is(errno) ? "the descriptor is not a socket"
                                : Errno.EINVAL.is(errno) && attach ? option.invalidHint : null);
            }
        }
    }

    /**
     * Attaches a sk_msg or sk_skb program to a sockmap or sockhash: a {@code bpf_link} on Linux 6.10+, else
     * {@code BPF_PROG_ATTACH} to the map, which closing undoes.
     */
    public static KernelLink sockmap(Fd program, String programName, Optional<AttachType> sectionType, Fd map) {
        AttachType type = sectionType.filter(t -> t == AttachType.SK_MSG_VERDICT || t == AttachType.SK_SKB_VERDICT
                || t == AttachType.SK_SKB_STREAM_PARSER || t == AttachType.SK_SKB_STREAM_VERDICT)
                .orElseThrow(() -> new BpfException("program '" + programName + "' does not say how it attaches to "
                        + "a socket map", "use SEC(\"sk_msg\"), SEC(\"sk_skb/stream_parser\"), "
                                + "SEC(\"sk_skb/stream_verdict\") or SEC(\"sk_skb/verdict\")", null));
        String description = type + " on " + map.description();
        try (Fd.Held target = map.hold()) {
            try {
                return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, target.raw(),
                        map.description(), type, 0, new LinkParameters.None()))));
            } catch (KernelException e) {
                if (Errno.EBUSY.is(e.errno())) {
                    throw taken(e, type);
                }
                if (!Errno.EINVAL.is(e.errno()) || KernelVersion.running().atLeast(SOCKMAP_LINKS)) {
                    throw e;
                }
            }
        }
        // Before 6.10: attached to the map itself, until detached.
        Fd mapCopy = map.dup();
        Fd programCopy;
        try {
            programCopy = program.dup();
        } catch (RuntimeException e) {
            mapCopy.close();
            throw e;
        }
        try (Fd.Held target = mapCopy.hold()) {
            Programs.attach(new ProgramAttachment(target.raw(), description, programCopy, type, 0, Optional.empty(),
                    0, 0));
        } catch (RuntimeException e) {
            programCopy.close();
            mapCopy.close();
            throw e instanceof KernelException k && Errno.EBUSY.is(k.errno()) ? taken(k, type) : e;
        }
        return new KernelLink(description + " (BPF_PROG_ATTACH)", List.of(mapCopy, programCopy), () -> {
            try (Fd.Held target = mapCopy.hold()) {
                Programs.detach(new ProgramAttachment(target.raw(), description, programCopy, type, 0,
                        Optional.empty(), 0, 0));
            }
        });
    }

    private static KernelException taken(KernelException e, AttachType type) {
        return KernelErrors.withHint(e, "a sockmap or sockhash takes one " + type + " program at a time; another is "
                + "attached already (close its link first)");
    }

    /**
     * Attaches a sk_lookup or flow dissector program to the network namespace {@code namespace} refers to (opened
     * from {@code path}, and checked to be one) through a {@code bpf_link}.
     */
    public static KernelLink networkNamespace(Fd program, String programName, Optional<AttachType> sectionType,
            Fd namespace, Path path) {
        AttachType type = sectionType.filter(t -> t == AttachType.SK_LOOKUP || t == AttachType.FLOW_DISSECTOR)
                .orElseThrow(() -> new BpfException("program '" + programName + "' is not a network namespace "
                        + "program", "use SEC(\"sk_lookup\") or SEC(\"flow_dissector\")", null));
        try (Fd.Held target = namespace.hold()) {
            return new KernelLink(type + " on network namespace " + path, List.of(Links.create(
                    new LinkCreateRequest(program, target.raw(), "network namespace " + path, type, 0,
                            new LinkParameters.None()))));
        } catch (KernelException e) {
            if (Errno.E2BIG.is(e.errno()) || Errno.EEXIST.is(e.errno())) {
                // The kernel's way of saying the namespace's one slot for this hook is taken.
                throw KernelErrors.withHint(e, "a network namespace takes one " + type + " program at a time; "
                        + "another is attached already (bpftool net show)");
            }
            throw e;
        }
    }

    /** Attaches a netfilter program to a hook of the calling thread's network namespace (Linux 6.4+). */
    public static KernelLink netfilter(Fd program, NetfilterOptions options) {
        String description = "netfilter " + options.family() + " " + options.hook() + " priority "
                + options.priority();
        try {
            return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, 0, description,
                    AttachType.NETFILTER, 0, new LinkParameters.Netfilter(options.family().value(),
                            options.hook().ordinal(), options.priority(),
                            options.defragment() ? BPF_F_NETFILTER_IP_DEFRAG : 0)))));
        } catch (KernelException e) {
            if (Errno.EBUSY.is(e.errno())) {
                throw KernelErrors.withHint(e, "another program holds this hook at priority " + options.priority()
                        + " with BPF_F_NETFILTER_IP_DEFRAG semantics; choose another priority");
            }
            throw e;
        }
    }
}

package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.attach.ProgramOrder;
import io.github.bpf2java.ebpf.attach.TcDirection;
import io.github.bpf2java.ebpf.attach.TcOptions;
import io.github.bpf2java.ebpf.attach.TcxOptions;
import io.github.bpf2java.ebpf.attach.XdpMode;
import io.github.bpf2java.ebpf.attach.XdpOptions;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.netlink.NetlinkSocket;
import io.github.bpf2java.ebpf.internal.netlink.TrafficControl;
import io.github.bpf2java.ebpf.internal.netlink.XdpNetlink;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.util.List;
import java.util.Locale;

/**
 * Attaches programs to network interfaces: XDP (a {@code bpf_link}, or rtnetlink on kernels before 5.9), tcx
 * (Linux 6.6+, ordered) and legacy tc ({@code cls_bpf} on {@code clsact}, through rtnetlink). Interfaces are those of
 * the calling thread's network namespace.
 */
public final class NetworkAttacher {
    private static final KernelVersion XDP_LINKS = KernelVersion.of(5, 9);
    private static final KernelVersion TCX = KernelVersion.of(6, 6);
    private static final int BPF_F_BEFORE = 1 << 3;
    private static final int BPF_F_AFTER = 1 << 4;
    private static final int BPF_F_ID = 1 << 5;
    private static final int BPF_F_LINK = 1 << 13;

    private NetworkAttacher() {}

    /** Attaches an XDP program to the interface {@code ifindex} (named {@code ifname} in messages). */
    public static KernelLink xdp(Fd program, int ifindex, String ifname, XdpOptions options) {
        String description = "XDP on " + ifname + (options.mode().flag() != 0 ? " (" + options.mode() + ")" : "");
        if (!options.netlink()) {
            try {
                return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, ifindex,
                        ifname, AttachType.XDP, options.mode().flag(), new LinkParameters.None()))));
            } catch (KernelException e) {
                if (!Errno.EINVAL.is(e.errno()) || KernelVersion.running().atLeast(XDP_LINKS)) {
                    throw xdpError(e, ifname, options.mode());
                }
                // Before 5.9 XDP has no bpf_link: fall through to rtnetlink.
            }
        }
        // The socket is kept for the detach: it stays in the network namespace it was opened in, and the link may be
        // closed by a thread of another (attached through NetworkNamespace.call, closed outside it).
        NetlinkSocket socket = NetlinkSocket.open();
        Fd held;
        try {
            held = program.dup();
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        try (Fd.Held raw = held.hold()) {
            XdpNetlink.attach(socket, ifindex, ifname, raw.raw(), options.mode().flag());
        } catch (RuntimeException e) {
            held.close();
            socket.close();
            throw e;
        }
        int mode = options.mode().flag();
        return new KernelLink(description + " (rtnetlink)", List.of(held, socket), () -> {
            try (Fd.Held raw = held.hold()) {
                XdpNetlink.detach(socket, ifindex, ifname, raw.raw(), mode);
            } catch (KernelException e) {
                if (!Errno.ENODEV.is(e.errno())) {
                    throw e;
                }
                // The interface is gone, and its program with it.
            }
        });
    }

    /**
     * {@code e}, from creating an XDP link, with what it means there. The kernel explains these refusals in an
     * extended acknowledgement, which a {@code bpf_link} has no way to return (rtnetlink attachments quote it).
     */
    private static KernelException xdpError(KernelException e, String ifname, XdpMode mode) {
        String show = "ip link show dev " + ifname;
        if (Errno.EBUSY.is(e.errno())) {
            return KernelErrors.withHint(e, ifname + " already has an XDP program in this mode (" + show + "); detach"
                    + " it first, or replace the program of the link that holds it");
        }
        if (Errno.EEXIST.is(e.errno())) {
            return KernelErrors.withHint(e, ifname + " has an XDP program in another mode: native (driver) and "
                    + "generic XDP cannot be active at once on one interface (" + show + " says xdp or xdpgeneric);"
                    + " detach it first, or attach in its mode");
        }
        if (mode == XdpMode.OFFLOAD && (Errno.EINVAL.is(e.errno()) || Errno.EOPNOTSUPP.is(e.errno()))) {
            return KernelErrors.withHint(e, "XdpMode.OFFLOAD runs a program on the network card: it needs a card "
                    + "that offloads XDP and a program loaded for that device (BPF_PROG_LOAD with its ifindex, which"
                    + " bpf2java does not do); attach with XdpMode.DRIVER or XdpMode.GENERIC");
        }
        if (Errno.ERANGE.is(e.errno())) {
            // The driver's check: a frame of the interface's MTU would not fit one page, and the program does not
            // take frames of several buffers.
            return KernelErrors.withHint(e, "the MTU of " + ifname + " (for a veth, of its peer) is larger than a "
                    + "single-buffer XDP program takes in the driver's hook: declare the program SEC(\"xdp.frags\") "
                    + "(it then reads past the first buffer with bpf_xdp_load_bytes), lower the MTU (ip link set dev "
                    + ifname + " mtu 1500), or attach with XdpMode.GENERIC");
        }
        if (mode == XdpMode.DRIVER && Errno.EOPNOTSUPP.is(e.errno())) {
            return KernelErrors.withHint(e, "the driver of " + ifname + " has no native XDP: attach with "
                    + "XdpMode.GENERIC, or XdpMode.DEFAULT, which takes the driver's hook where there is one and "
                    + "generic XDP elsewhere");
        }
        return e;
    }

    /** Attaches a {@code SCHED_CLS} program to the interface through tcx. */
    public static KernelLink tcx(Fd program, int ifindex, String ifname, TcxOptions options) {
        AttachType type = options.direction() == TcDirection.INGRESS ? AttachType.TCX_INGRESS : AttachType.TCX_EGRESS;
        ProgramOrder order = options.order();
        String description = "tcx " + options.direction().name().toLowerCase(Locale.ROOT) + " on " + ifname;
        try {
            return new KernelLink(description, List.of(Links.create(new LinkCreateRequest(program, ifindex, ifname,
                    type, orderFlags(order), new LinkParameters.Ordered(order.anchorId(),
                            order.expectedRevision())))));
        } catch (KernelException e) {
            if (Errno.EINVAL.is(e.errno()) && !KernelVersion.running().atLeast(TCX)) {
                throw new NotSupportedException(e.getMessage().lines().findFirst()
                        .orElse("") + ": tcx needs Linux 6.6 or later, this kernel is " + KernelVersion.running(),
                        e.operation(), e.errno(), e.subject(), "attach with attachTc(...) (legacy tc through "
                                + "rtnetlink) on this kernel");
            }
            if (Errno.ESTALE.is(e.errno())) {
                throw KernelErrors.withHint(e, "the list of programs on " + ifname + " changed: it is no longer at "
                        + "revision " + order.expectedRevision());
            }
            throw e;
        }
    }

    /** {@code BPF_F_BEFORE}/{@code AFTER}/{@code ID}/{@code LINK} for {@code order}. */
    static int orderFlags(ProgramOrder order) {
        if (order.anchorId() == 0 && order.position() == ProgramOrder.Position.AFTER) {
            return 0; // Appending needs no flag; BPF_F_AFTER without an anchor means the same.
        }
        int flags = order.position() == ProgramOrder.Position.BEFORE ? BPF_F_BEFORE : BPF_F_AFTER;
        if (order.anchorId() != 0) {
            flags |= BPF_F_ID | (order.anchorIsLink() ? BPF_F_LINK : 0);
        }
        return flags;
    }

    /**
     * Attaches a {@code SCHED_CLS} program as a direct-action {@code cls_bpf} filter on the interface's
     * {@code clsact} qdisc, adding the qdisc if needed. Closing removes the filter, then the qdisc if this attachment
     * added it and no other filter uses it.
     */
    public static KernelLink tc(Fd program, String programName, int ifindex, String ifname, TcOptions options) {
        TrafficControl.Filter filter = new TrafficControl.Filter(ifindex, ifname,
                options.direction() == TcDirection.INGRESS, options.priority(), options.handle());
        // The socket is kept for the detach, which must act in the namespace of the attach, as in xdp().
        NetlinkSocket socket = NetlinkSocket.open();
        boolean addedQdisc;
        try {
            addedQdisc = TrafficControl.addClsactUnlessPresent(socket, ifindex, ifname);
            try (Fd.Held raw = program.hold()) {
                TrafficControl.addBpfFilter(socket, filter, raw.raw(), programName);
            } catch (RuntimeException e) {
                if (addedQdisc) {
                    removeQdiscIfUnused(socket, filter, e);
                }
                throw e;
            }
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
        String description = "tc " + (filter.ingress() ? "ingress" : "egress") + " on " + ifname + " (priority "
                + options.priority() + ", handle " + options.handle() + ")";
        return new KernelLink(description, List.of(socket), () -> {
            try {
                TrafficControl.deleteFilter(socket, filter);
                if (addedQdisc) {
                    removeQdiscIfUnused(socket, filter, null);
                }
            } catch (KernelException e) {
                if (!Errno.ENODEV.is(e.errno()) && !Errno.ENOENT.is(e.errno()) && !Errno.EINVAL.is(e.errno())) {
                    throw e;
                }
                // The interface, the qdisc or the filter is gone already (e.g. its namespace was deleted).
            }
        });
    }

    private static void removeQdiscIfUnused(NetlinkSocket socket, TrafficControl.Filter filter,
            RuntimeException cause) {
        try {
            // Another tool may have added filters to the qdisc meanwhile; deleting it would remove theirs.
            if (!TrafficControl.hasFilters(socket, filter.ifindex(), filter.ifname())) {
                TrafficControl.deleteClsact(socket, filter.ifindex(), filter.ifname());
            }
        } catch (RuntimeException e) {
            if (cause == null) {
                throw e;
            }
            cause.addSuppressed(e);
        }
    }
}

package io.github.bpf2java.ebpf.internal.netlink;

import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Legacy traffic control through rtnetlink: the {@code clsact} qdisc and {@code cls_bpf} filters in direct-action
 * mode on it, as {@code tc qdisc add dev X clsact} and {@code tc filter add dev X ingress bpf da fd N} do. Handles
 * and parents are {@code linux/pkt_sched.h}'s {@code TC_H_*} encodings.
 */
public final class TrafficControl {
    private static final int RTM_NEWQDISC = 36;
    private static final int RTM_DELQDISC = 37;
    private static final int RTM_NEWTFILTER = 44;
    private static final int RTM_DELTFILTER = 45;
    private static final int RTM_GETTFILTER = 46;
    private static final int TCA_KIND = 1;
    private static final int TCA_OPTIONS = 2;
    private static final int TCA_BPF_FD = 6;
    private static final int TCA_BPF_NAME = 7;
    private static final int TCA_BPF_FLAGS = 8;
    private static final int TCA_BPF_FLAG_ACT_DIRECT = 1;
    /** {@code TC_H_CLSACT} (= {@code TC_H_INGRESS}): the clsact qdisc's parent. */
    private static final int TC_H_CLSACT = 0xFFFFFFF1;
    /** {@code TC_H_MAKE(TC_H_CLSACT, 0)}: the clsact qdisc's own handle. */
    private static final int CLSACT_HANDLE = 0xFFFF0000;
    /** {@code TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)}. */
    private static final int INGRESS_PARENT = 0xFFFFFFF2;
    /** {@code TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS)}. */
    private static final int EGRESS_PARENT = 0xFFFFFFF3;
    private static final int ETH_P_ALL = 3;
    /** {@code sizeof(struct tcmsg)}. */
    private static final int TCMSG_SIZE = 20;

    private TrafficControl() {}

    /** One {@code cls_bpf} filter: where it sits and what identifies it. */
    public record Filter(int ifindex, String ifname, boolean ingress, int priority, int handle) {
        String describe() {
            return "tc filter (bpf, priority " + priority + ", handle " + handle + ") on " + ifname + " "
                    + (ingress ? "ingress" : "egress");
        }
    }

    /**
     * Adds a {@code clsact} qdisc to the interface unless it has one.
     *
     * @return whether this call added it (so the caller may remove it again)
     */
    public static boolean addClsactUnlessPresent(NetlinkSocket socket, int ifindex, String ifname) {
        NetlinkMessage add = new NetlinkMessage(RTM_NEWQDISC, NetlinkMessage.F_CREATE | NetlinkMessage.F_EXCL)
                .header(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0))
                .string(TCA_KIND, "clsact");
        try {
            socket.execute(add, "RTM_NEWQDISC", "clsact qdisc on " + ifname, null);
            return true;
        } catch (BusyException exists) {
            return false;
        } catch (KernelException e) {
            if (Errno.ENOENT.is(e.errno()) || Errno.EOPNOTSUPP.is(e.errno())) {
                throw KernelErrors.withHint(e, "the kernel lacks the clsact qdisc (CONFIG_NET_SCH_INGRESS), or the "
                        + "interface has another ingress qdisc; see: tc qdisc show dev " + ifname);
            }
            throw e;
        }
    }

    /** Removes the interface's {@code clsact} qdisc, and with it every filter on it. */
    public static void deleteClsact(NetlinkSocket socket, int ifindex, String ifname) {
        NetlinkMessage delete = new NetlinkMessage(RTM_DELQDISC, 0)
                .header(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0))
                .string(TCA_KIND, "clsact");
        socket.execute(delete, "RTM_DELQDISC", "clsact qdisc on " + ifname, null);
    }

    /**
     * Adds a {@code cls_bpf} filter in direct-action mode running {@code programFd}; fails when a filter with the
     * same priority and handle is there.
     */
    public static void addBpfFilter(NetlinkSocket socket, Filter filter, int programFd, String programName) {
        NetlinkMessage add = new NetlinkMessage(RTM_NEWTFILTER, NetlinkMessage.F_CREATE | NetlinkMessage.F_EXCL)
                .header(tcmsg(filter.ifindex(), filter.handle(), parent(filter.ingress()), info(filter.priority())))
                .string(TCA_KIND, "bpf")
                .beginNested(TCA_OPTIONS)
                .u32(TCA_BPF_FD, programFd)
                .string(TCA_BPF_NAME, programName)
                .u32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT)
                .endNested();
        socket.execute(add, "RTM_NEWTFILTER", filter.describe(), "a filter with this priority and handle may "
                + "already be there (tc filter show dev " + filter.ifname() + " " + (filter.ingress() ? "ingress"
                        : "egress") + "); choose others with TcOptions.withPriority/withHandle");
    }

    /** Removes the filter. */
    public static void deleteFilter(NetlinkSocket socket, Filter filter) {
        NetlinkMessage delete = new NetlinkMessage(RTM_DELTFILTER, 0)
                .header(tcmsg(filter.ifindex(), filter.handle(), parent(filter.ingress()), info(filter.priority())))
                .string(TCA_KIND, "bpf");
        socket.execute(delete, "RTM_DELTFILTER", filter.describe(), null);
    }

    /** Whether any filter sits on the interface's clsact qdisc, in either direction. */
    public static boolean hasFilters(NetlinkSocket socket, int ifindex, String ifname) {
        for (int parent : new int[] {INGRESS_PARENT, EGRESS_PARENT}) {
            NetlinkMessage dump = new NetlinkMessage(RTM_GETTFILTER, NetlinkMessage.F_DUMP)
                    .header(tcmsg(ifindex, 0, parent, 0));
            List<NetlinkReply> filters = socket.dump(dump, "RTM_GETTFILTER", "tc filters on " + ifname);
            if (!filters.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static int parent(boolean ingress) {
        return ingress ? INGRESS_PARENT : EGRESS_PARENT;
    }

    /** {@code TC_H_MAKE(priority << 16, htons(ETH_P_ALL))}: the filter's priority and protocol. */
    private static int info(int priority) {
        short protocol = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Short.reverseBytes((short) ETH_P_ALL)
                : (short) ETH_P_ALL;
        return priority << 16 | Short.toUnsignedInt(protocol);
    }

    /** {@code struct tcmsg}: family, padding, ifindex, handle, parent, info. */
    private static byte[] tcmsg(int ifindex, int handle, int parent, int info) {
        return ByteBuffer.allocate(TCMSG_SIZE).order(ByteOrder.nativeOrder())
                .put(0, (byte) 0).putInt(4, ifindex).putInt(8, handle).putInt(12, parent).putInt(16, info).array();
    }
}

package io.github.bpf2java.ebpf.internal.netlink;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * XDP through rtnetlink ({@code RTM_SETLINK} with {@code IFLA_XDP}): how kernels before 5.9, which have no XDP
 * {@code bpf_link}, attach and detach XDP programs.
 */
public final class XdpNetlink {
    private static final int RTM_SETLINK = 19;
    private static final int IFLA_XDP = 43;
    private static final int IFLA_XDP_FD = 1;
    private static final int IFLA_XDP_FLAGS = 3;
    private static final int IFLA_XDP_EXPECTED_FD = 8;
    /** {@code XDP_FLAGS_UPDATE_IF_NOEXIST}: never replace a program someone else attached. */
    private static final int UPDATE_IF_NOEXIST = 1;
    /** {@code XDP_FLAGS_REPLACE}: act only if the attached program is the expected one. */
    private static final int REPLACE = 1 << 4;
    /** The first kernel with {@code XDP_FLAGS_REPLACE} and {@code IFLA_XDP_EXPECTED_FD}. */
    private static final KernelVersion EXPECTED_FD = KernelVersion.of(5, 7);
    /** {@code sizeof(struct ifinfomsg)}. */
    private static final int IFINFOMSG_SIZE = 16;

    private XdpNetlink() {}

    /** Attaches {@code programFd} to the interface in mode {@code modeFlags}, failing if a program is there. */
    public static void attach(NetlinkSocket socket, int ifindex, String ifname, int programFd, int modeFlags) {
        NetlinkMessage set = new NetlinkMessage(RTM_SETLINK, 0)
                .header(ifinfomsg(ifindex))
                .beginNested(IFLA_XDP)
                .s32(IFLA_XDP_FD, programFd)
                .u32(IFLA_XDP_FLAGS, modeFlags | UPDATE_IF_NOEXIST)
                .endNested();
        socket.execute(set, "RTM_SETLINK(IFLA_XDP)", "XDP on " + ifname, "an XDP program may already be attached "
                + "(ip link show dev " + ifname + "), or the driver lacks the mode asked for");
    }

    /**
     * Detaches the interface's XDP program in mode {@code modeFlags}, only if it is still {@code programFd} (kernels
     * before 5.7 cannot check that and detach whatever is there).
     */
    public static void detach(NetlinkSocket socket, int ifindex, String ifname, int programFd, int modeFlags) {
        NetlinkMessage set = new NetlinkMessage(RTM_SETLINK, 0)
                .header(ifinfomsg(ifindex))
                .beginNested(IFLA_XDP)
                .s32(IFLA_XDP_FD, -1)
                .s32(IFLA_XDP_EXPECTED_FD, programFd)
                .u32(IFLA_XDP_FLAGS, modeFlags | REPLACE)
                .endNested();
        try {
            socket.execute(set, "RTM_SETLINK(IFLA_XDP)", "XDP on " + ifname, null);
        } catch (KernelException e) {
            if (!Errno.EINVAL.is(e.errno()) || KernelVersion.running().atLeast(EXPECTED_FD)) {
                throw e;
            }
            NetlinkMessage unconditional = new NetlinkMessage(RTM_SETLINK, 0)
                    .header(ifinfomsg(ifindex))
                    .beginNested(IFLA_XDP)
                    .s32(IFLA_XDP_FD, -1)
                    .u32(IFLA_XDP_FLAGS, modeFlags)
                    .endNested();
            socket.execute(unconditional, "RTM_SETLINK(IFLA_XDP)", "XDP on " + ifname, null);
        }
    }

    /** {@code struct ifinfomsg} naming the interface. */
    private static byte[] ifinfomsg(int ifindex) {
        return ByteBuffer.allocate(IFINFOMSG_SIZE).order(ByteOrder.nativeOrder()).putInt(4, ifindex).array();
    }
}

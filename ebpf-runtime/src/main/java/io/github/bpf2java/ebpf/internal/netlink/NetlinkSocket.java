package io.github.bpf2java.ebpf.internal.netlink;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code NETLINK_ROUTE} socket of the calling thread's network namespace. One request at a time: each is sent with
 * a new sequence number and the answers with that number are read until its acknowledgement (or, for a dump, its
 * {@code NLMSG_DONE}). Failures come back as {@link KernelException}s that quote the kernel's extended
 * acknowledgement, e.g. {@code "Exclusivity flag on, cannot modify"}.
 *
 * <p>Not for concurrent use; open one per operation, which costs one {@code socket(2)}. The socket belongs to the
 * namespace it was opened in for good, whichever thread uses it later: a legacy XDP or tc attachment keeps the one
 * that attached it to detach through, so it detaches in the right namespace from any thread.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_ROUTE = 0;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_MULTI = 0x2;
    /** In an error message: the request's payload was left out. */
    private static final int NLM_F_CAPPED = 0x100;
    /** In an error message: extended acknowledgement attributes follow. */
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;
    // A dump answer is at most a page or two per read; 64 KiB never truncates one.
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private final Fd fd;
    private int sequence;

    private NetlinkSocket(Fd fd) {
        this.fd = fd;
    }

    /**
     * Opens and binds a route netlink socket with extended acknowledgements on.
     *
     * @throws KernelException when the process may not open one
     */
    public static NetlinkSocket open() {
        long raw = Libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        if (raw < 0) {
            throw KernelErrors.forErrno("socket(AF_NETLINK, NETLINK_ROUTE)", (int) -raw, "rtnetlink");
        }
        Fd fd = Fd.adopt((int) raw, "rtnetlink socket");
        try (Fd.Held held = fd.hold(); NativeBuffer address = sockaddr(); NativeBuffer one = new NativeBuffer(4)) {
            long bound = Libc.bind(held.raw(), address.address(), SOCKADDR_NL_SIZE);
            if (bound < 0) {
                throw KernelErrors.forErrno("bind(AF_NETLINK)", (int) -bound, "rtnetlink");
            }
            one.putInt(0, 1);
            // Best effort: kernels before 4.12 answer without the extended message, which only loses detail.
            Libc.setsockopt(held.raw(), SOL_NETLINK, NETLINK_EXT_ACK, one.address(), 4);
            Libc.setsockopt(held.raw(), SOL_NETLINK, NETLINK_CAP_ACK, one.address(), 4);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
        return new NetlinkSocket(fd);
    }

    /**
     * Sends {@code message} asking for an acknowledgement and waits for it.
     *
     * @param operation the request's name for messages, e.g. {@code RTM_NEWQDISC}
     * @param subject   what it concerns, e.g. {@code clsact qdisc on veth0}
     * @param hint      how to fix a failure, or {@code null} for the generic hint of its errno
     * @throws KernelException when the kernel refuses, quoting its extended acknowledgement
     */
    public void execute(NetlinkMessage message, String operation, String subject, String hint) {
        exchange(message, NetlinkMessage.F_ACK, operation, subject, hint);
    }

    /** Sends a dump request and returns every message of the answer. */
    public List<NetlinkReply> dump(NetlinkMessage message, String operation, String subject) {
        return exchange(message, 0, operation, subject, null);
    }

    private List<NetlinkReply> exchange(NetlinkMessage message, int extraFlags, String operation, String subject,
            String hint) {
        int seq = ++sequence;
        byte[] request = message.encode(seq);
        if (extraFlags != 0) {
            ByteBuffer header = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
            header.putShort(6, (short) (header.getShort(6) | extraFlags));
        }
        List<NetlinkReply> replies = new ArrayList<>();
        try (Fd.Held held = fd.hold();
                NativeBuffer out = NativeBuffer.of(request);
                NativeBuffer kernel = sockaddr();
                NativeBuffer in = new NativeBuffer(RECEIVE_BUFFER)) {
            long sent = Libc.sendto(held.raw(), out.address(), request.length, 0, kernel.address(), SOCKADDR_NL_SIZE);
            if (sent < 0) {
                throw KernelErrors.forErrno("sendto(" + operation + ")", (int) -sent, subject);
            }
            for (;;) {
                long received = Libc.recv(held.raw(), in.address(), RECEIVE_BUFFER, 0);
                if (received < 0) {
                    throw KernelErrors.forErrno("recv(" + operation + ")", (int) -received, subject);
                }
                byte[] bytes = in.getBytes(0, (int) received);
                if (readMessages(bytes, seq, extraFlags == NetlinkMessage.F_ACK, replies, operation, subject, hint)) {
                    return replies;
                }
            }
        }
    }

    /** Reads one datagram's messages into {@code replies}; whether the exchange is complete. */
    private static boolean readMessages(byte[] bytes, int seq, boolean acknowledged, List<NetlinkReply> replies,
            String operation, String subject, String hint) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int at = 0;
        boolean done = false;
        while (at + NetlinkMessage.HEADER_SIZE <= bytes.length) {
            int length = in.getInt(at);
            int type = Short.toUnsignedInt(in.getShort(at + 4));
            int flags = Short.toUnsignedInt(in.getShort(at + 6));
            int messageSeq = in.getInt(at + 8);
            if (length < NetlinkMessage.HEADER_SIZE || at + length > bytes.length) {
                throw new KernelException("netlink answer to " + operation + " is malformed (message of " + length
                        + " bytes at offset " + at + " of " + bytes.length + ")", operation, Errno.EPROTO.number(), subject, null, null);
            }
            if (messageSeq == seq) {
                if (type == NLMSG_ERROR) {
                    int error = in.getInt(at + NetlinkMessage.HEADER_SIZE);
                    if (error != 0) {
                        throw KernelErrors.forErrno(operation, -error, subject, hint,
                                extendedMessage(bytes, at, length, flags));
                    }
                    done = true;
                } else if (type == NLMSG_DONE) {
                    done = !acknowledged;
                } else {
                    replies.add(new NetlinkReply(type, Arrays.copyOfRange(bytes, at + NetlinkMessage.HEADER_SIZE,
                            at + length)));
                    // A request waits for its acknowledgement; a dump of a single message has no NLMSG_DONE.
                    done |= !acknowledged && (flags & NLM_F_MULTI) == 0;
                }
            }
            at += NetlinkMessage.align(length);
        }
        return done;
    }

    /** The {@code NLMSGERR_ATTR_MSG} of an error message, or empty. */
    private static String extendedMessage(byte[] bytes, int at, int length, int flags) {
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return "";
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        // struct nlmsgerr: the error, then the request's header (and its payload unless capped).
        int echoed = at + NetlinkMessage.HEADER_SIZE + 4;
        int echoedLength = (flags & NLM_F_CAPPED) != 0 ? NetlinkMessage.HEADER_SIZE : in.getInt(echoed);
        int tlvs = echoed + NetlinkMessage.align(echoedLength);
        return NetlinkReply.string(NetlinkReply.parseAttributes(bytes, tlvs, at + length), NLMSGERR_ATTR_MSG)
                .orElse("");
    }

    private static NativeBuffer sockaddr() {
        // struct sockaddr_nl { sa_family_t nl_family; unsigned short nl_pad; __u32 nl_pid; __u32 nl_groups; }
        NativeBuffer address = new NativeBuffer(SOCKADDR_NL_SIZE);
        address.putShort(0, (short) AF_NETLINK);
        return address;
    }

    @Override
    public void close() {
        fd.close();
    }
}

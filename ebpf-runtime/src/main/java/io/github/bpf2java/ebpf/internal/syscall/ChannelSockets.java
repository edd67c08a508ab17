package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.BpfException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The kernel socket behind a Java {@link NetworkChannel}, as a descriptor of our own.
 *
 * <p>The JDK offers no public way to a channel's descriptor, and reflection on {@code sun.nio.ch} needs
 * {@code --add-opens} and breaks between releases. Instead this looks at the process's open descriptors
 * ({@code /proc/self/fd}), keeps the sockets whose type, local address and peer (from {@code getsockname(2)} and
 * {@code getpeername(2)}) are the channel's, and duplicates the one that matches. Sockets that share all of these (the
 * members of a {@code SO_REUSEPORT} group) are told apart by flipping the channel's {@code SO_REUSEADDR} through the
 * JDK and back: the one socket whose flag followed is the channel's. Limits: the channel must be bound (an unbound
 * socket has no address to recognise it by); IP channels only. The duplicate is checked again after it is made, so
 * a descriptor closed and reused meanwhile is never taken for the channel's.
 */
public final class ChannelSockets {
    private static final Path OWN_DESCRIPTORS = Path.of("/proc/self/fd");
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_CAPACITY = 128;

    private ChannelSockets() {}

    /** What identifies a channel's socket. */
    private record Identity(int type, boolean listening, InetSocketAddress local, InetSocketAddress peer) {}

    /**
     * A new descriptor of the socket behind {@code channel}, owned by the caller.
     *
     * @throws BpfException when the channel is unbound, closed, not an IP channel, or ambiguous
     */
    public static Fd duplicate(NetworkChannel channel) {
        Objects.requireNonNull(channel, "channel");
        Identity wanted = identify(channel);
        List<Integer> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(OWN_DESCRIPTORS)) {
            for (Path entry : entries) {
                int raw;
                try {
                    raw = Integer.parseInt(entry.getFileName().toString());
                } catch (NumberFormatException notADescriptor) {
                    continue;
                }
                if (isSocket(entry) && wanted.equals(identityOf(raw))) {
                    matches.add(raw);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + OWN_DESCRIPTORS + " to find the socket of " + channel, e);
        }
        if (matches.isEmpty()) {
            throw new BpfException("found no socket of this process bound to " + wanted.local() + " for " + channel,
                    "the channel must be open and bound (e.g. channel.bind(null)); /proc must be mounted", null);
        }
        if (matches.size() > 1) {
            matches = followingTheChannel(channel, matches);
        }
        if (matches.size() > 1) {
            throw new BpfException("several sockets of this process (descriptors " + matches + ") are bound to "
                    + wanted.local() + " with the same peer; cannot tell which is " + channel,
                    "bind the channel to an address and port no other socket of the process shares, or pass the "
                            + "descriptor itself", null);
        }
        Fd copy = Fd.duplicate(matches.get(0), "socket " + wanted.local() + (wanted.peer() != null ? " -> "
                + wanted.peer() : ""));
        try (Fd.Held held = copy.hold()) {
            if (!wanted.equals(identityOf(held.raw())) || !channel.isOpen()) {
                throw new BpfException("the socket of " + channel + " changed while it was being looked up",
                        "do not close the channel while attaching to it", null);
            }
        } catch (RuntimeException e) {
            copy.close();
            throw e;
        }
        return copy;
    }

    /**
     * Of {@code candidates}, sockets that look alike, those whose {@code SO_REUSEADDR} follows the channel's when it
     * is flipped through the channel and back; all of them when the channel has no such option. The flag only
     * matters to later {@code bind(2)}s, so flipping it on a bound socket leaves no trace.
     */
    private static List<Integer> followingTheChannel(NetworkChannel channel, List<Integer> candidates) {
        boolean original;
        try {
            original = channel.getOption(StandardSocketOptions.SO_REUSEADDR);
        } catch (UnsupportedOperationException | IOException noSuchOption) {
            return candidates;
        }
        int[] before = reuseAddress(candidates);
        int[] after;
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, !original);
            try {
                after = reuseAddress(candidates);
            } finally {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, original);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set SO_REUSEADDR of " + channel + " to find its socket", e);
        }
        List<Integer> following = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            if (before[i] == (original ? 1 : 0) && after[i] == (original ? 0 : 1)) {
                following.add(candidates.get(i));
            }
        }
        return following.isEmpty() ? candidates : following;
    }

    /** Each socket's {@code SO_REUSEADDR} as 0 or 1; -1 where it cannot be read. */
    private static int[] reuseAddress(List<Integer> sockets) {
        int[] flags = new int[sockets.size()];
        try (NativeBuffer value = new NativeBuffer(4); NativeBuffer length = new NativeBuffer(4)) {
            for (int i = 0; i < flags.length; i++) {
                length.putInt(0, 4);
                flags[i] = Libc.getsockopt(sockets.get(i), SOL_SOCKET, SO_REUSEADDR, value.address(),
                        length.address()) < 0 ? -1 : value.getInt(0) != 0 ? 1 : 0;
            }
        }
        return flags;
    }

    /**
     * What {@code channel} is, for messages: the JDK's channels print as their implementation class and hash
     * ({@code sun.nio.ch.DatagramChannelImpl@5974109}) until bound.
     */
    private static String kind(NetworkChannel channel) {
        return channel instanceof SocketChannel ? "SocketChannel"
                : channel instanceof ServerSocketChannel ? "ServerSocketChannel"
                : channel instanceof DatagramChannel ? "DatagramChannel"
                : channel instanceof AsynchronousSocketChannel ? "AsynchronousSocketChannel"
                : channel instanceof AsynchronousServerSocketChannel ? "AsynchronousServerSocketChannel"
                : channel.getClass().getName();
    }

    private static Identity identify(NetworkChannel channel) {
        if (!channel.isOpen()) {
            throw new IllegalStateException("the " + kind(channel) + " is closed");
        }
        try {
            SocketAddress local = channel.getLocalAddress();
            if (local == null) {
                throw new BpfException("the " + kind(channel) + " is not bound, so its socket cannot be recognised",
                        "bind it first, e.g. channel.bind(null)", null);
            }
            if (!(local instanceof InetSocketAddress inet)) {
                throw new BpfException("the " + kind(channel) + " is bound to " + local + ", not an IP address",
                        "pass the socket's descriptor instead", null);
            }
            SocketAddress peer = null;
            boolean listening = false;
            int type = SOCK_STREAM;
            if (channel instanceof SocketChannel c) {
                peer = c.getRemoteAddress();
            } else if (channel instanceof AsynchronousSocketChannel c) {
                peer = c.getRemoteAddress();
            } else if (channel instanceof DatagramChannel c) {
                peer = c.getRemoteAddress();
                type = SOCK_DGRAM;
            } else if (channel instanceof ServerSocketChannel || channel instanceof AsynchronousServerSocketChannel) {
                listening = true;
            }
            return new Identity(type, listening, normalize(inet), peer == null ? null
                    : normalize((InetSocketAddress) peer));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the addresses of " + channel, e);
        }
    }

    private static boolean isSocket(Path entry) {
        try {
            return Files.readSymbolicLink(entry).toString().startsWith("socket:");
        } catch (IOException | UnsupportedOperationException gone) {
            return false; // Closed meanwhile, or the directory stream's own descriptor.
        }
    }

    /** What the kernel says about the socket {@code raw}, or null when it is not an IP socket. */
    private static Identity identityOf(int raw) {
        try (NativeBuffer value = new NativeBuffer(4); NativeBuffer length = new NativeBuffer(4);
                NativeBuffer address = new NativeBuffer(SOCKADDR_CAPACITY)) {
            length.putInt(0, 4);
            if (Libc.getsockopt(raw, SOL_SOCKET, SO_TYPE, value.address(), length.address()) < 0) {
                return null;
            }
            int type = value.getInt(0);
            length.putInt(0, 4);
            boolean listening = type == SOCK_STREAM
                    && Libc.getsockopt(raw, SOL_SOCKET, SO_ACCEPTCONN, value.address(), length.address()) >= 0
                    && value.getInt(0) != 0;
            length.putInt(0, SOCKADDR_CAPACITY);
            if (Libc.getsockname(raw, address.address(), length.address()) < 0) {
                return null;
            }
            InetSocketAddress local = parse(address);
            if (local == null) {
                return null;
            }
            length.putInt(0, SOCKADDR_CAPACITY);
            InetSocketAddress peer = Libc.getpeername(raw, address.address(), length.address()) < 0 ? null
                    : parse(address);
            return new Identity(type, listening, local, peer);
        }
    }

    /** A {@code struct sockaddr_in} or {@code sockaddr_in6}; null for other families. */
    private static InetSocketAddress parse(NativeBuffer address) {
        int family = Short.toUnsignedInt(address.getShort(0));
        // Ports are in network byte order.
        int port = (Byte.toUnsignedInt(address.getBytes(2, 1)[0]) << 8) | Byte.toUnsignedInt(address.getBytes(3, 1)[0]);
        try {
            if (family == AF_INET) {
                return normalize(new InetSocketAddress(InetAddress.getByAddress(address.getBytes(4, 4)), port));
            }
            if (family == AF_INET6) {
                return normalize(new InetSocketAddress(InetAddress.getByAddress(address.getBytes(8, 16)), port));
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        return null;
    }

    /**
     * The same address as the JDK and the kernel may spell it differently: an IPv4 address mapped into IPv6
     * ({@code ::ffff:a.b.c.d}, what a dual-stack socket reports) as plain IPv4, and every wildcard as IPv4's.
     */
    private static InetSocketAddress normalize(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        try {
            if (ip == null || ip.isAnyLocalAddress()) {
                return new InetSocketAddress(InetAddress.getByAddress(new byte[4]), address.getPort());
            }
            if (ip instanceof Inet6Address) {
                byte[] b = ip.getAddress();
                boolean mapped = Arrays.equals(Arrays.copyOf(b, 10), new byte[10]) && b[10] == (byte) 0xff
                        && b[11] == (byte) 0xff;
                if (mapped) {
                    return new InetSocketAddress(Inet4Address.getByAddress(Arrays.copyOfRange(b, 12, 16)),
                            address.getPort());
                }
                // Scope ids differ between the JDK's view and the raw address; compare without them.
                return new InetSocketAddress(InetAddress.getByAddress(b), address.getPort());
            }
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        return address;
    }
}

package io.github.bpf2java.ebpf.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds an Ethernet frame layer by layer, filling lengths and checksums (IPv4 header checksum; TCP, UDP and ICMPv6
 * checksums over their IPv4 or IPv6 pseudo header; ICMP checksum):
 *
 * <pre>{@code
 * byte[] frame = PacketBuilder.ethernet()
 *         .ipv4("10.0.0.1", "10.0.0.2").ttl(64)
 *         .udp(40000, 53).payload("hello".getBytes())
 *         .build();
 * }</pre>
 *
 * Without a network layer the frame is an Ethernet header and the payload, with {@link #etherType(int)}.
 * {@link #vlan(int)} adds VLAN tags after the MAC addresses. A frame that is deliberately wrong (a bad checksum, a
 * length that lies, a truncated header) is built right and then changed: {@link #build()} returns a new array, and
 * {@link Protocols} has the header lengths to find a field's offset. Defaults:
 * source MAC 02:00:00:00:00:01, destination 02:00:00:00:00:02 (locally administered), TTL/hop limit 64, IPv4 id 0
 * with Don't Fragment, TCP window 65535 and flags ACK. Not thread-safe; a builder may build several frames.
 */
public final class PacketBuilder {
    private enum Transport { NONE, UDP, TCP, ICMP, ICMPV6, RAW }

    private byte[] sourceMac = Addresses.mac("02:00:00:00:00:01");
    private byte[] destinationMac = Addresses.mac("02:00:00:00:00:02");
    private int etherType = -1;
    private InetAddress sourceIp;
    private InetAddress destinationIp;
    private int ttl = 64;
    private int tos;
    private int ipId;
    private boolean dontFragment = true;
    private int flowLabel;
    private Transport transport = Transport.NONE;
    private int rawProtocol;
    private int sourcePort;
    private int destinationPort;
    private long sequence;
    private long acknowledgement;
    private int tcpFlags = TcpFlags.ACK;
    private int window = 65535;
    private int icmpType;
    private int icmpCode;
    private int icmpId;
    private int icmpSequence;
    private boolean zeroUdpChecksum;
    private byte[] payload = new byte[0];
    // Tag control information of each VLAN tag, outermost first.
    private final List<Integer> vlanTags = new ArrayList<>();

    private PacketBuilder() {}

    /** A new frame. */
    public static PacketBuilder ethernet() {
        return new PacketBuilder();
    }

    /** The source MAC, e.g. {@code 02:00:00:00:00:01}. */
    public PacketBuilder sourceMac(String mac) {
        this.sourceMac = Addresses.mac(mac);
        return this;
    }

    /** The destination MAC. */
    public PacketBuilder destinationMac(String mac) {
        this.destinationMac = Addresses.mac(mac);
        return this;
    }

    /**
     * A VLAN tag with VLAN id {@code id} and priority 0; see {@link #vlan(int, int)}.
     *
     * @param id the VLAN id, 0 to 4095
     */
    public PacketBuilder vlan(int id) {
        return vlan(id, 0);
    }

    /**
     * A VLAN tag after the MAC addresses, with VLAN id {@code id} and priority code point {@code priority}. Called
     * again, each call adds a tag inside the ones before (QinQ): tags are written outermost first, the innermost
     * with 802.1Q's tag protocol identifier ({@link Protocols#ETH_P_8021Q}), the outer ones with 802.1ad's
     * ({@link Protocols#ETH_P_8021AD}), as IEEE 802.1ad stacks them.
     *
     * @param id       the VLAN id, 0 to 4095
     * @param priority the priority code point, 0 to 7
     */
    public PacketBuilder vlan(int id, int priority) {
        vlanTags.add(requireRange(priority, 7, "VLAN priority") << 13 | requireRange(id, 0xfff, "VLAN id"));
        return this;
    }

    /** The EtherType; set by {@link #ipv4} and {@link #ipv6}, needed only for other payloads. */
    public PacketBuilder etherType(int etherType) {
        this.etherType = etherType & 0xffff;
        return this;
    }

    /** An IPv4 header from {@code source} to {@code destination} (address literals). */
    public PacketBuilder ipv4(String source, String destination) {
        return ip(Addresses.ipv4(source), Addresses.ipv4(destination));
    }

    /** An IPv6 header from {@code source} to {@code destination} (address literals). */
    public PacketBuilder ipv6(String source, String destination) {
        return ip(Addresses.ipv6(source), Addresses.ipv6(destination));
    }

    /** An IP header of the addresses' version. */
    public PacketBuilder ip(InetAddress source, InetAddress destination) {
        if (source instanceof Inet4Address != destination instanceof Inet4Address) {
            throw new IllegalArgumentException("mixed IP versions: " + source + " and " + destination);
        }
        this.sourceIp = source;
        this.destinationIp = destination;
        return this;
    }

    /** IPv4 TTL or IPv6 hop limit. */
    public PacketBuilder ttl(int ttl) {
        this.ttl = requireRange(ttl, 0xff, "TTL");
        return this;
    }

    /** IPv4 TOS or IPv6 traffic class. */
    public PacketBuilder tos(int tos) {
        this.tos = requireRange(tos, 0xff, "TOS");
        return this;
    }

    /** IPv4 identification. */
    public PacketBuilder ipId(int id) {
        this.ipId = requireRange(id, 0xffff, "IP id");
        return this;
    }

    /** IPv4 Don't Fragment (default on). */
    public PacketBuilder dontFragment(boolean dontFragment) {
        this.dontFragment = dontFragment;
        return this;
    }

    /** IPv6 flow label. */
    public PacketBuilder flowLabel(int label) {
        this.flowLabel = requireRange(label, 0xfffff, "flow label");
        return this;
    }

    /** A UDP header. */
    public PacketBuilder udp(int sourcePort, int destinationPort) {
        return ports(Transport.UDP, sourcePort, destinationPort);
    }

    /** Sends UDP with checksum 0 ("none", allowed over IPv4 only). */
    public PacketBuilder withoutUdpChecksum() {
        this.zeroUdpChecksum = true;
        return this;
    }

    /** A TCP header (20 bytes, no options). */
    public PacketBuilder tcp(int sourcePort, int destinationPort) {
        return ports(Transport.TCP, sourcePort, destinationPort);
    }

    /** TCP sequence number. */
    public PacketBuilder sequence(long sequence) {
        this.sequence = sequence & 0xffffffffL;
        return this;
    }

    /** TCP acknowledgement number. */
    public PacketBuilder acknowledgement(long acknowledgement) {
        this.acknowledgement = acknowledgement & 0xffffffffL;
        return this;
    }

    /** TCP flags, from {@link TcpFlags}. */
    public PacketBuilder tcpFlags(int flags) {
        this.tcpFlags = requireRange(flags, 0xff, "TCP flags");
        return this;
    }

    /** TCP window. */
    public PacketBuilder window(int window) {
        this.window = requireRange(window, 0xffff, "TCP window");
        return this;
    }

    /** An ICMP (over IPv4) or ICMPv6 (over IPv6) echo request with {@code id} and {@code sequence}. */
    public PacketBuilder icmpEcho(int id, int sequence) {
        boolean v6 = sourceIp instanceof Inet6Address;
        return icmp(v6 ? 128 : 8, 0, id, sequence);
    }

    /** An ICMP or ICMPv6 message (by the IP version) whose second word is {@code id} and {@code sequence}. */
    public PacketBuilder icmp(int type, int code, int id, int sequence) {
        requireIp("ICMP");
        this.transport = sourceIp instanceof Inet6Address ? Transport.ICMPV6 : Transport.ICMP;
        this.icmpType = requireRange(type, 0xff, "ICMP type");
        this.icmpCode = requireRange(code, 0xff, "ICMP code");
        this.icmpId = requireRange(id, 0xffff, "ICMP id");
        this.icmpSequence = requireRange(sequence, 0xffff, "ICMP sequence");
        return this;
    }

    /** Another IP protocol: {@link #payload} follows the IP header as it is. */
    public PacketBuilder protocol(int protocol) {
        requireIp("protocol " + protocol);
        this.transport = Transport.RAW;
        this.rawProtocol = requireRange(protocol, 0xff, "protocol");
        return this;
    }

    /** The bytes after the innermost header. */
    public PacketBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** The frame. */
    public byte[] build() {
        byte[] segment = transportSegment();
        boolean v6 = sourceIp instanceof Inet6Address;
        int ipLength = sourceIp == null ? 0 : (v6 ? Protocols.IPV6_HLEN : Protocols.IPV4_HLEN);
        ByteBuffer frame = ByteBuffer.allocate(Protocols.ETH_HLEN + Protocols.VLAN_HLEN * vlanTags.size() + ipLength
                + segment.length);
        frame.put(destinationMac).put(sourceMac);
        for (int i = 0; i < vlanTags.size(); i++) {
            int tpid = i == vlanTags.size() - 1 ? Protocols.ETH_P_8021Q : Protocols.ETH_P_8021AD;
            frame.putShort((short) tpid).putShort(vlanTags.get(i).shortValue());
        }
        if (sourceIp == null) {
            frame.putShort((short) (etherType < 0 ? Protocols.ETH_P_IP : etherType));
        } else if (v6) {
            frame.putShort((short) Protocols.ETH_P_IPV6);
            frame.putInt((6 << 28) | (tos << 20) | flowLabel).putShort((short) segment.length)
                    .put((byte) protocol()).put((byte) ttl).put(sourceIp.getAddress())
                    .put(destinationIp.getAddress());
        } else {
            frame.putShort((short) Protocols.ETH_P_IP);
            int start = frame.position();
            frame.put((byte) 0x45).put((byte) tos).putShort((short) (Protocols.IPV4_HLEN + segment.length))
                    .putShort((short) ipId).putShort((short) (dontFragment ? 0x4000 : 0)).put((byte) ttl)
                    .put((byte) protocol()).putShort((short) 0).put(sourceIp.getAddress())
                    .put(destinationIp.getAddress());
            frame.putShort(start + 10, (short) Checksums.internet(frame.array(), start, Protocols.IPV4_HLEN));
        }
        frame.put(segment);
        return frame.array();
    }

    private byte[] transportSegment() {
        ByteBuffer segment;
        int checksumAt;
        switch (transport) {
            case UDP -> {
                segment = ByteBuffer.allocate(Protocols.UDP_HLEN + payload.length);
                segment.putShort((short) sourcePort).putShort((short) destinationPort)
                        .putShort((short) segment.capacity()).putShort((short) 0);
                checksumAt = 6;
            }
            case TCP -> {
                segment = ByteBuffer.allocate(Protocols.TCP_HLEN + payload.length);
                segment.putShort((short) sourcePort).putShort((short) destinationPort).putInt((int) sequence)
                        .putInt((int) acknowledgement).put((byte) ((Protocols.TCP_HLEN / 4) << 4))
                        .put((byte) tcpFlags).putShort((short) window).putShort((short) 0).putShort((short) 0);
                checksumAt = 16;
            }
            case ICMP, ICMPV6 -> {
                segment = ByteBuffer.allocate(Protocols.ICMP_HLEN + payload.length);
                segment.put((byte) icmpType).put((byte) icmpCode).putShort((short) 0).putShort((short) icmpId)
                        .putShort((short) icmpSequence);
                checksumAt = 2;
            }
            default -> {
                return payload.clone();
            }
        }
        segment.put(payload);
        byte[] bytes = segment.array();
        int checksum = switch (transport) {
            case ICMP -> Checksums.internet(bytes);
            case UDP -> zeroUdpChecksum && sourceIp instanceof Inet4Address ? 0
                    : nonZero(Checksums.transport(sourceIp, destinationIp, protocol(), bytes, 0, bytes.length));
            default -> Checksums.transport(sourceIp, destinationIp, protocol(), bytes, 0, bytes.length);
        };
        segment.putShort(checksumAt, (short) checksum);
        return bytes;
    }

    private int protocol() {
        return switch (transport) {
            case UDP -> Protocols.IPPROTO_UDP;
            case TCP -> Protocols.IPPROTO_TCP;
            case ICMP -> Protocols.IPPROTO_ICMP;
            case ICMPV6 -> Protocols.IPPROTO_ICMPV6;
            case RAW -> rawProtocol;
            case NONE -> 59; // IPv6 "no next header"; for IPv4 an unassigned-in-practice value is as good
        };
    }

    // A computed UDP checksum of 0 goes on the wire as 0xffff: 0 would mean "not computed" (RFC 768).
    private static int nonZero(int checksum) {
        return checksum == 0 ? 0xffff : checksum;
    }

    private PacketBuilder ports(Transport kind, int source, int destination) {
        requireIp(kind.name());
        this.transport = kind;
        this.sourcePort = requireRange(source, 0xffff, "source port");
        this.destinationPort = requireRange(destination, 0xffff, "destination port");
        return this;
    }

    private void requireIp(String what) {
        if (sourceIp == null) {
            throw new IllegalStateException(what + " needs an IP header first: call ipv4(...) or ipv6(...)");
        }
    }

    private static int requireRange(int value, int max, String what) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " must be in [0, " + max + "], was " + value);
        }
        return value;
    }
}

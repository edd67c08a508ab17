package io.github.bpf2java.ebpf.packet;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An Ethernet frame read back into its fields, e.g. the data a program left after a test run. Each layer is present
 * when the frame holds it in full; checksums are verified, not trusted.
 *
 * <pre>{@code
 * ParsedPacket out = ParsedPacket.parse(result.dataOut());
 * assertEquals(63, out.ipv4().orElseThrow().ttl());
 * assertTrue(out.ipv4().orElseThrow().checksumValid());
 * }</pre>
 *
 * @param ethernet  the Ethernet header
 * @param vlans     the VLAN tags after the MAC addresses (802.1Q, 802.1ad), outermost first; empty when untagged
 * @param ipv4      the IPv4 header, if the EtherType says IPv4
 * @param ipv6      the IPv6 header, if the EtherType says IPv6
 * @param udp       the UDP header, if the IP protocol says UDP
 * @param tcp       the TCP header, if the IP protocol says TCP
 * @param icmp      the ICMP or ICMPv6 header, if the IP protocol says so
 * @param payload   what follows the innermost header known
 */
public record ParsedPacket(Ethernet ethernet, List<VlanTag> vlans, Optional<Ipv4> ipv4, Optional<Ipv6> ipv6, Optional<Udp> udp,
        Optional<Tcp> tcp, Optional<Icmp> icmp, byte[] payload) {

    public ParsedPacket {
        vlans = List.copyOf(vlans);
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /**
     * An Ethernet header: MACs as {@code aa:bb:...}; {@code etherType} is the type of what follows the VLAN tags, if
     * any ({@link ParsedPacket#vlans()}), else of what follows the MACs.
     */
    public record Ethernet(String destination, String source, int etherType) {}

    /**
     * A VLAN tag.
     *
     * @param protocol     its tag protocol identifier: {@link Protocols#ETH_P_8021Q} or {@link Protocols#ETH_P_8021AD}
     * @param priority     the priority code point, 0 to 7
     * @param dropEligible the drop eligible indicator
     * @param id           the VLAN id, 0 to 4095
     */
    public record VlanTag(int protocol, int priority, boolean dropEligible, int id) {}

    /** An IPv4 header. */
    public record Ipv4(int headerLength, int tos, int totalLength, int id, int flagsAndFragment, int ttl,
            int protocol, int checksum, InetAddress source, InetAddress destination, boolean checksumValid) {}

    /** An IPv6 header. */
    public record Ipv6(int trafficClass, int flowLabel, int payloadLength, int nextHeader, int hopLimit,
            InetAddress source, InetAddress destination) {}

    /** A UDP header; {@code checksumValid} is true for checksum 0 over IPv4 ("none"). */
    public record Udp(int sourcePort, int destinationPort, int length, int checksum, boolean checksumValid) {}

    /** A TCP header. */
    public record Tcp(int sourcePort, int destinationPort, long sequence, long acknowledgement, int headerLength,
            int flags, int window, int checksum, boolean checksumValid) {}

    /** An ICMP or ICMPv6 header with the echo id and sequence (the second word of any message). */
    public record Icmp(boolean v6, int type, int code, int checksum, int id, int sequence, boolean checksumValid) {}

    /**
     * Parses {@code frame}.
     *
     * @throws IllegalArgumentException when it is shorter than an Ethernet header
     */
    public static ParsedPacket parse(byte[] frame) {
        if (frame.length < Protocols.ETH_HLEN) {
            throw new IllegalArgumentException("a frame needs at least " + Protocols.ETH_HLEN + " bytes, this has "
                    + frame.length);
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        int etherType = b.getShort(12) & 0xffff;
        int offset = Protocols.ETH_HLEN;
        List<VlanTag> vlans = new ArrayList<>();
        // A tag is its protocol identifier (read as the EtherType just now), then 2 bytes of control information
        // and the next EtherType: the next tag's identifier or the payload's type.
        while ((etherType == Protocols.ETH_P_8021Q || etherType == Protocols.ETH_P_8021AD)
                && frame.length >= offset + Protocols.VLAN_HLEN) {
            int control = b.getShort(offset) & 0xffff;
            vlans.add(new VlanTag(etherType, control >>> 13, (control & 0x1000) != 0, control & 0xfff));
            etherType = b.getShort(offset + 2) & 0xffff;
            offset += Protocols.VLAN_HLEN;
        }
        Ethernet ethernet = new Ethernet(Addresses.mac(Arrays.copyOfRange(frame, 0, 6)),
                Addresses.mac(Arrays.copyOfRange(frame, 6, 12)), etherType);
        Ipv4 ipv4 = null;
        Ipv6 ipv6 = null;
        InetAddress source = null;
        InetAddress destination = null;
        int protocol = -1;
        int end = frame.length;
        if (ethernet.etherType() == Protocols.ETH_P_IP && frame.length >= offset + Protocols.IPV4_HLEN) {
            int ihl = (frame[offset] & 0x0f) * 4;
            if (ihl >= Protocols.IPV4_HLEN && frame.length >= offset + ihl) {
                source = Addresses.ip(Arrays.copyOfRange(frame, offset + 12, offset + 16));
                destination = Addresses.ip(Arrays.copyOfRange(frame, offset + 16, offset + 20));
                protocol = frame[offset + 9] & 0xff;
                int total = b.getShort(offset + 2) & 0xffff;
                ipv4 = new Ipv4(ihl, frame[offset + 1] & 0xff, total, b.getShort(offset + 4) & 0xffff,
                        b.getShort(offset + 6) & 0xffff, frame[offset + 8] & 0xff, protocol,
                        b.getShort(offset + 10) & 0xffff, source, destination,
                        Checksums.verifies(frame, offset, ihl, 0));
                end = Math.min(frame.length, offset + Math.max(total, ihl));
                offset += ihl;
            }
        } else if (ethernet.etherType() == Protocols.ETH_P_IPV6 && frame.length >= offset + Protocols.IPV6_HLEN) {
            int first = b.getInt(offset);
            source = Addresses.ip(Arrays.copyOfRange(frame, offset + 8, offset + 24));
            destination = Addresses.ip(Arrays.copyOfRange(frame, offset + 24, offset + 40));
            protocol = frame[offset + 6] & 0xff;
            int payloadLength = b.getShort(offset + 4) & 0xffff;
            ipv6 = new Ipv6((first >>> 20) & 0xff, first & 0xfffff, payloadLength, protocol,
                    frame[offset + 7] & 0xff, source, destination);
            offset += Protocols.IPV6_HLEN;
            end = Math.min(frame.length, offset + payloadLength);
        }
        Udp udp = null;
        Tcp tcp = null;
        Icmp icmp = null;
        int segmentLength = end - offset;
        if (protocol == Protocols.IPPROTO_UDP && segmentLength >= Protocols.UDP_HLEN) {
            int checksum = b.getShort(offset + 6) & 0xffff;
            boolean valid = (checksum == 0 && ipv4 != null) || transportValid(frame, offset, segmentLength,
                    source, destination, protocol);
            udp = new Udp(b.getShort(offset) & 0xffff, b.getShort(offset + 2) & 0xffff,
                    b.getShort(offset + 4) & 0xffff, checksum, valid);
            offset += Protocols.UDP_HLEN;
        } else if (protocol == Protocols.IPPROTO_TCP && segmentLength >= Protocols.TCP_HLEN) {
            int headerLength = ((frame[offset + 12] & 0xf0) >>> 4) * 4;
            tcp = new Tcp(b.getShort(offset) & 0xffff, b.getShort(offset + 2) & 0xffff,
                    b.getInt(offset + 4) & 0xffffffffL, b.getInt(offset + 8) & 0xffffffffL, headerLength,
                    frame[offset + 13] & 0xff, b.getShort(offset + 14) & 0xffff, b.getShort(offset + 16) & 0xffff,
                    transportValid(frame, offset, segmentLength, source, destination, protocol));
            offset += Math.min(Math.max(headerLength, Protocols.TCP_HLEN), segmentLength);
        } else if ((protocol == Protocols.IPPROTO_ICMP || protocol == Protocols.IPPROTO_ICMPV6)
                && segmentLength >= Protocols.ICMP_HLEN) {
            boolean v6 = protocol == Protocols.IPPROTO_ICMPV6;
            boolean valid = v6 ? transportValid(frame, offset, segmentLength, source, destination, protocol)
                    : Checksums.verifies(frame, offset, segmentLength, 0);
            icmp = new Icmp(v6, frame[offset] & 0xff, frame[offset + 1] & 0xff, b.getShort(offset + 2) & 0xffff,
                    b.getShort(offset + 4) & 0xffff, b.getShort(offset + 6) & 0xffff, valid);
            offset += Protocols.ICMP_HLEN;
        }
        return new ParsedPacket(ethernet, vlans, Optional.ofNullable(ipv4), Optional.ofNullable(ipv6),
                Optional.ofNullable(udp), Optional.ofNullable(tcp), Optional.ofNullable(icmp),
                Arrays.copyOfRange(frame, Math.min(offset, end), end));
    }

    private static boolean transportValid(byte[] frame, int offset, int length, InetAddress source,
            InetAddress destination, int protocol) {
        return Checksums.verifies(frame, offset, length,
                Checksums.pseudoHeaderSum(source, destination, protocol, length));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ParsedPacket that && ethernet.equals(that.ethernet) && vlans.equals(that.vlans)
                && ipv4.equals(that.ipv4)
                && ipv6.equals(that.ipv6) && udp.equals(that.udp) && tcp.equals(that.tcp) && icmp.equals(that.icmp)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(ethernet, vlans, ipv4, ipv6, udp, tcp, icmp) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ParsedPacket[").append(ethernet);
        vlans.forEach(tag -> s.append(", ").append(tag));
        ipv4.ifPresent(h -> s.append(", ").append(h));
        ipv6.ifPresent(h -> s.append(", ").append(h));
        udp.ifPresent(h -> s.append(", ").append(h));
        tcp.ifPresent(h -> s.append(", ").append(h));
        icmp.ifPresent(h -> s.append(", ").append(h));
        return s.append(", payload ").append(payload.length).append(" bytes]").toString();
    }
}

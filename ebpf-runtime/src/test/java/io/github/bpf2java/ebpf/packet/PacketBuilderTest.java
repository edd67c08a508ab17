package io.github.bpf2java.ebpf.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames built and parsed back: every field, length and checksum round-trips; a flipped byte is caught. */
class PacketBuilderTest {

    private static String hex(byte[] bytes, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append(String.format("%02x", bytes[i] & 0xff));
        }
        return s.toString();
    }

    @Test
    void tcpOverIpv4RoundTrips() {
        byte[] frame = PacketBuilder.ethernet().sourceMac("02:00:00:00:00:0a").destinationMac("02:00:00:00:00:0b")
                .ipv4("10.1.2.3", "10.4.5.6").ttl(17).tos(0x10).ipId(777)
                .tcp(40000, 443).sequence(0xfffffff0L).acknowledgement(5).tcpFlags(TcpFlags.SYN | TcpFlags.ACK)
                .window(1024).payload(new byte[] {1, 2, 3}).build();
        assertEquals(14 + 20 + 20 + 3, frame.length);
        ParsedPacket p = ParsedPacket.parse(frame);
        assertEquals(new ParsedPacket.Ethernet("02:00:00:00:00:0b", "02:00:00:00:00:0a", Protocols.ETH_P_IP),
                p.ethernet());
        ParsedPacket.Ipv4 ip = p.ipv4().orElseThrow();
        assertEquals(17, ip.ttl());
        assertEquals(0x10, ip.tos());
        assertEquals(777, ip.id());
        assertEquals(43, ip.totalLength());
        assertEquals("/10.1.2.3", ip.source().toString());
        assertTrue(ip.checksumValid());
        ParsedPacket.Tcp tcp = p.tcp().orElseThrow();
        assertEquals(40000, tcp.sourcePort());
        assertEquals(443, tcp.destinationPort());
        assertEquals(0xfffffff0L, tcp.sequence());
        assertEquals(TcpFlags.SYN | TcpFlags.ACK, tcp.flags());
        assertEquals(1024, tcp.window());
        assertTrue(tcp.checksumValid());
        assertArrayEquals(new byte[] {1, 2, 3}, p.payload());
    }

    @Test
    void udpAndIcmpOverIpv6RoundTrip() {
        ParsedPacket udp = ParsedPacket.parse(PacketBuilder.ethernet().ipv6("fd00::a", "fd00::b").ttl(3)
                .flowLabel(0x12345).udp(53, 5353).payload(new byte[11]).build());
        assertEquals(Protocols.ETH_P_IPV6, udp.ethernet().etherType());
        assertEquals(3, udp.ipv6().orElseThrow().hopLimit());
        assertEquals(0x12345, udp.ipv6().orElseThrow().flowLabel());
        assertEquals(19, udp.ipv6().orElseThrow().payloadLength());
        assertEquals(19, udp.udp().orElseThrow().length());
        assertTrue(udp.udp().orElseThrow().checksumValid());

        ParsedPacket icmp = ParsedPacket.parse(PacketBuilder.ethernet().ipv6("fd00::a", "fd00::b").icmpEcho(7, 9)
                .payload("ping".getBytes()).build());
        ParsedPacket.Icmp echo = icmp.icmp().orElseThrow();
        assertTrue(echo.v6());
        assertEquals(128, echo.type());
        assertEquals(7, echo.id());
        assertEquals(9, echo.sequence());
        assertTrue(echo.checksumValid());
    }

    @Test
    void aFlippedByteBreaksTheChecksumsAndShowsInTheDiff() {
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(new byte[4]).build();
        byte[] broken = frame.clone();
        broken[22] ^= 1; // the TTL
        broken[45] ^= 0x40; // a payload byte
        ParsedPacket p = ParsedPacket.parse(broken);
        assertFalse(p.ipv4().orElseThrow().checksumValid());
        assertFalse(p.udp().orElseThrow().checksumValid());
        String diff = HexDiff.diff(frame, broken);
        assertTrue(diff.startsWith("2 bytes differ (first at offset 22)"), diff);
        assertTrue(diff.contains("0010  expected"), diff);
        assertTrue(diff.contains("0020  expected"), diff);
        assertFalse(diff.contains("0000  expected"), diff);
        assertEquals("identical (46 bytes)", HexDiff.diff(frame, frame.clone()));
    }

    @Test
    void udpWithoutChecksumIsValidOverIpv4() {
        ParsedPacket p = ParsedPacket.parse(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2)
                .withoutUdpChecksum().build());
        assertEquals(0, p.udp().orElseThrow().checksum());
        assertTrue(p.udp().orElseThrow().checksumValid());
    }

    @Test
    void vlanTagsGoAfterTheMacsOutermostFirst() {
        byte[] frame = PacketBuilder.ethernet().vlan(10).vlan(20, 3).ipv6("fd00::1", "fd00::2").tcp(1, 443).build();
        // MACs, then 88a8 000a (802.1ad, VLAN 10), 8100 6014 (802.1Q, priority 3, VLAN 20), then IPv6's 86dd.
        assertEquals("88a8000a8100601486dd", hex(frame, 12, 22));
        ParsedPacket p = ParsedPacket.parse(frame);
        assertEquals(List.of(new ParsedPacket.VlanTag(Protocols.ETH_P_8021AD, 0, false, 10),
                new ParsedPacket.VlanTag(Protocols.ETH_P_8021Q, 3, false, 20)), p.vlans());
        assertEquals(Protocols.ETH_P_IPV6, p.ethernet().etherType(), "the type after the tags");
        assertEquals(443, p.tcp().orElseThrow().destinationPort());
        assertTrue(p.tcp().orElseThrow().checksumValid());
        assertTrue(p.toString().contains("VlanTag[protocol=34984, priority=0, dropEligible=false, id=10]"),
                p.toString());

        // A frame cut inside its tag keeps the tags it holds whole, and no network layer.
        ParsedPacket cut = ParsedPacket.parse(Arrays.copyOf(frame, 20));
        assertEquals(1, cut.vlans().size());
        assertTrue(cut.ipv6().isEmpty());
        assertTrue(ParsedPacket.parse(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").build()).vlans()
                .isEmpty());
    }

    @Test
    void mistakesAreExplained() {
        IllegalStateException noIp = assertThrows(IllegalStateException.class,
                () -> PacketBuilder.ethernet().udp(1, 2));
        assertTrue(noIp.getMessage().contains("ipv4(...)"), noIp.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PacketBuilder.ethernet().ipv4("example.com", "10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2")
                .udp(70000, 1));
        assertThrows(IllegalArgumentException.class, () -> ParsedPacket.parse(new byte[13]));
        IllegalArgumentException vlan = assertThrows(IllegalArgumentException.class,
                () -> PacketBuilder.ethernet().vlan(4096));
        assertEquals("VLAN id must be in [0, 4095], was 4096", vlan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PacketBuilder.ethernet().vlan(1, 8));
    }
}

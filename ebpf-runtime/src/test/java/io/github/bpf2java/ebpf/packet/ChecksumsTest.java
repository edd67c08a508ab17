package io.github.bpf2java.ebpf.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Checksums against known vectors: RFC 1071's worked example and captured real packets. */
class ChecksumsTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void rfc1071WorkedExampleSumsTo0xddf2() {
        // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (one's complement), checksum 220d.
        byte[] bytes = hex("0001f203f4f5f6f7");
        assertEquals(0xddf2, Checksums.sum(bytes, 0, bytes.length, 0));
        assertEquals(0x220d, Checksums.internet(bytes));
    }

    @Test
    void oddLengthPadsWithZero() {
        // abcd + 1200 (the odd byte as the high half of a word) = bdcd; ~ = 4232.
        assertEquals(0x4232, Checksums.internet(hex("abcd12")));
        assertEquals(Checksums.internet(hex("abcd12")), Checksums.internet(hex("abcd1200")));
    }

    @Test
    void ipv4HeaderChecksumOfTheWikipediaExample() {
        // The widely used example header 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7.
        byte[] header = hex("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xb861, Checksums.internet(header));
        byte[] withChecksum = hex("45000073000040004011b861c0a80001c0a800c7");
        assertTrue(Checksums.verifies(withChecksum, 0, withChecksum.length, 0));
    }

    @Test
    void builtIpv4HeaderMatchesTheHandWrittenOne() {
        byte[] frame = PacketBuilder.ethernet().ipv4("192.168.0.1", "192.168.0.199").ttl(64).protocol(17)
                .payload(new byte[0x73 - 20]).build();
        // Same header as above (id 0, DF, TTL 64, UDP, total length 0x73): so the same checksum.
        assertEquals("45000073000040004011b861c0a80001c0a800c7",
                HexFormat.of().formatHex(frame, 14, 34));
    }

    @Test
    void udpOverIpv4ByHand() throws Exception {
        // UDP 10.0.0.1:1234 -> 10.0.0.2:80, payload "hi". Pseudo header sum by hand:
        // 0a00+0001+0a00+0002+0011+000a = 0x141e; header 04d2+0050+000a+0000 = 0x052c; "hi" = 0x6869.
        // 0x141e + 0x052c + 0x6869 = 0x81b3; checksum = ~0x81b3 = 0x7e4c.
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1234, 80)
                .payload("hi".getBytes()).build();
        assertEquals("04d20050000a7e4c6869", HexFormat.of().formatHex(frame, 34, frame.length));
    }

    @Test
    void udpOverIpv6ByHand() throws Exception {
        // UDP [fd00::1]:1234 -> [fd00::2]:80, payload "hi". Pseudo header: fd00+1+fd00+2 = 0x1fa03 -> folded 0xfa04,
        // + length 0x000a + next header 0x0011 = 0xfa1f; + 0x052c + 0x6869 = 0x1_67b4 -> 0x67b5; ~ = 0x984a.
        byte[] frame = PacketBuilder.ethernet().ipv6("fd00::1", "fd00::2").udp(1234, 80)
                .payload("hi".getBytes()).build();
        assertEquals("04d20050000a984a6869", HexFormat.of().formatHex(frame, 54, frame.length));
        assertEquals(0x984a, Checksums.transport(InetAddress.getByName("fd00::1"), InetAddress.getByName("fd00::2"),
                17, hex("04d20050000a00006869"), 0, 10));
    }

    @Test
    void icmpEchoRequestByHand() {
        // Echo request id 1 seq 1, no payload: 0800+0000+0001+0001 = 0x0802; ~ = 0xf7fd.
        byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").icmpEcho(1, 1).build();
        assertEquals("0800f7fd00010001", HexFormat.of().formatHex(frame, 34, frame.length));
    }

    @Test
    void mixedAddressFamiliesAreRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Checksums.pseudoHeaderSum(
                InetAddress.getByName("10.0.0.1"), InetAddress.getByName("fd00::1"), 17, 8));
    }
}

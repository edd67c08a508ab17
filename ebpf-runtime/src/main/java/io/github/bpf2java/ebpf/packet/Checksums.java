package io.github.bpf2java.ebpf.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The Internet checksum (RFC 1071) and the pseudo headers TCP, UDP (RFC 768, RFC 8200 section 8.1) and ICMPv6
 * (RFC 4443) add to it.
 */
public final class Checksums {
    private Checksums() {}

    /** The one's complement sum of {@code bytes[offset, offset+length)} as big-endian 16-bit words, folded. */
    public static int sum(byte[] bytes, int offset, int length, int initial) {
        long sum = initial & 0xffffffffL;
        int i = offset;
        int end = offset + length;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (bytes[i] & 0xff) << 8; // an odd last byte is padded with a zero byte
        }
        return fold(sum);
    }

    /** The Internet checksum of {@code bytes[offset, offset+length)}: the complement of their one's complement sum. */
    public static int internet(byte[] bytes, int offset, int length) {
        return ~sum(bytes, offset, length, 0) & 0xffff;
    }

    /** The Internet checksum of all of {@code bytes}. */
    public static int internet(byte[] bytes) {
        return internet(bytes, 0, bytes.length);
    }

    /**
     * The sum of the pseudo header for an upper-layer checksum: for IPv4 source, destination, zero, protocol and
     * length (RFC 768); for IPv6 source, destination, the 32-bit length and the next header (RFC 8200).
     */
    public static int pseudoHeaderSum(InetAddress source, InetAddress destination, int protocol, int length) {
        if (source instanceof Inet4Address != destination instanceof Inet4Address) {
            throw new IllegalArgumentException("source and destination must both be IPv4 or both IPv6: " + source
                    + ", " + destination);
        }
        int sum = sum(source.getAddress(), 0, source.getAddress().length, 0);
        sum = sum(destination.getAddress(), 0, destination.getAddress().length, sum);
        if (source instanceof Inet6Address) {
            return fold((sum & 0xffffffffL) + (length >>> 16) + (length & 0xffff) + protocol);
        }
        return fold((sum & 0xffffffffL) + protocol + length);
    }

    /**
     * The checksum of a TCP, UDP or ICMPv6 {@code segment} (header and payload, with its checksum field zero)
     * under the pseudo header of {@code source} and {@code destination}. For UDP a result of 0 is sent as 0xffff
     * (0 means "no checksum"); {@link PacketBuilder} does that.
     */
    public static int transport(InetAddress source, InetAddress destination, int protocol, byte[] segment,
            int offset, int length) {
        int pseudo = pseudoHeaderSum(source, destination, protocol, length);
        return ~sum(segment, offset, length, pseudo) & 0xffff;
    }

    /** Whether the bytes, checksum field included, sum to 0xffff: what a receiver checks. */
    public static boolean verifies(byte[] bytes, int offset, int length, int initial) {
        return sum(bytes, offset, length, initial) == 0xffff;
    }

    private static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}

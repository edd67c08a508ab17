package io.github.bpf2java.ebpf.codec;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Values C keeps in network byte order ({@code __be16}, {@code __be32}, {@code __be64}: ports, addresses, header
 * fields) as records and maps hand them out: read like every other integer, in the host's byte order, so the bits
 * are the memory's and the number is byte-swapped on a little-endian host. These turn them into the numbers and
 * addresses they stand for, and back:
 *
 * <pre>{@code
 * int port = Short.toUnsignedInt(NetworkOrder.toHost(event.dport()));   // __be16 dport
 * Inet4Address source = NetworkOrder.toInet4Address(event.saddr());     // __be32 saddr
 * new Flow(NetworkOrder.fromInet4Address(source), NetworkOrder.toNetwork((short) 443));
 * }</pre>
 *
 * Each conversion is its own inverse on the bits; the two names say which way a value goes.
 */
public final class NetworkOrder {
    private static final boolean LITTLE_ENDIAN_HOST = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private NetworkOrder() {}

    /** The number a {@code __be16} field holds. */
    public static short toHost(short field) {
        return LITTLE_ENDIAN_HOST ? Short.reverseBytes(field) : field;
    }

    /** The number a {@code __be32} field holds. */
    public static int toHost(int field) {
        return LITTLE_ENDIAN_HOST ? Integer.reverseBytes(field) : field;
    }

    /** The number a {@code __be64} field holds. */
    public static long toHost(long field) {
        return LITTLE_ENDIAN_HOST ? Long.reverseBytes(field) : field;
    }

    /** What a {@code __be16} field holds for {@code value}, e.g. a port. */
    public static short toNetwork(short value) {
        return toHost(value);
    }

    /** What a {@code __be32} field holds for {@code value}. */
    public static int toNetwork(int value) {
        return toHost(value);
    }

    /** What a {@code __be64} field holds for {@code value}. */
    public static long toNetwork(long value) {
        return toHost(value);
    }

    /** The IPv4 address a {@code __be32} field holds, such as {@code iph->saddr}. */
    public static Inet4Address toInet4Address(int field) {
        int address = toHost(field);
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes were refused as an IPv4 address", e);
        }
    }

    /** What a {@code __be32} field holds for {@code address}. */
    public static int fromInet4Address(Inet4Address address) {
        byte[] b = Objects.requireNonNull(address, "address").getAddress();
        return toNetwork((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
    }
}

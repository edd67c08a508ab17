package io.github.bpf2java.ebpf.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** Parses MAC and IP address literals without ever asking a name server. */
final class Addresses {
    private Addresses() {}

    static byte[] mac(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address (6 hex bytes, e.g. 02:00:00:00:00:01): " + text);
        }
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    static String mac(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    static Inet4Address ipv4(String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address literal (e.g. 10.0.0.1): " + text);
        }
        return (Inet4Address) literal(text);
    }

    static Inet6Address ipv6(String text) {
        if (!text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IPv6 address literal (e.g. fd00::1): " + text);
        }
        InetAddress address = literal(text);
        if (address instanceof Inet6Address v6) {
            return v6;
        }
        // Java maps ::ffff:a.b.c.d to IPv4; keep it IPv6 on the wire.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
        return ipv6(mapped);
    }

    static Inet6Address ipv6(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress ip(byte[] bytes) {
        try {
            return bytes.length == 16 ? ipv6(bytes) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text); // a literal: checked above, so no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + text, e);
        }
    }
}

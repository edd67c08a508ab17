package io.github.bpf2java.ebpf.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One message the kernel sent back, e.g. one filter of a dump: its type and the bytes after the
 * {@code struct nlmsghdr}.
 *
 * @param type    the message type, e.g. {@code RTM_NEWTFILTER}
 * @param payload the family header followed by attributes
 */
public record NetlinkReply(int type, byte[] payload) {

    public NetlinkReply {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** A 32-bit integer of the family header at {@code offset}. */
    public int headerInt(int offset) {
        return ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).getInt(offset);
    }

    /** The top-level attributes after a family header of {@code headerLength} bytes, by type (the last wins). */
    public Map<Integer, byte[]> attributes(int headerLength) {
        return parseAttributes(payload, NetlinkMessage.align(headerLength), payload.length);
    }

    /** The string an attribute holds, without its terminating NUL. */
    public static Optional<String> string(Map<Integer, byte[]> attributes, int type) {
        byte[] value = attributes.get(type);
        if (value == null) {
            return Optional.empty();
        }
        int end = 0;
        while (end < value.length && value[end] != 0) {
            end++;
        }
        return Optional.of(new String(value, 0, end, StandardCharsets.UTF_8));
    }

    /** The attributes in {@code bytes[from, to)}, by type with the nested flag cleared. */
    static Map<Integer, byte[]> parseAttributes(byte[] bytes, int from, int to) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int at = from;
        while (at + 4 <= to) {
            int length = Short.toUnsignedInt(in.getShort(at));
            int type = Short.toUnsignedInt(in.getShort(at + 2)) & 0x3fff;
            if (length < 4 || at + length > to) {
                break;
            }
            out.put(type, Arrays.copyOfRange(bytes, at + 4, at + length));
            at += NetlinkMessage.align(length);
        }
        return out;
    }
}

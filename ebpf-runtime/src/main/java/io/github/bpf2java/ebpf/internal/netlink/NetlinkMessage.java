package io.github.bpf2java.ebpf.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * One netlink request being built: the {@code struct nlmsghdr}, the fixed family header that follows it (e.g. a
 * {@code struct tcmsg}) and attributes ({@code struct rtattr}: length, type, payload, padded to 4 bytes), which may
 * nest. Written in the host's byte order, as netlink is.
 */
public final class NetlinkMessage {
    /** {@code sizeof(struct nlmsghdr)}. */
    static final int HEADER_SIZE = 16;
    /** {@code NLM_F_REQUEST}. */
    public static final int F_REQUEST = 0x1;
    /** {@code NLM_F_ACK}: answer with an error message carrying 0 on success. */
    public static final int F_ACK = 0x4;
    /** {@code NLM_F_REPLACE}: replace an existing object (a new request). */
    public static final int F_REPLACE = 0x100;
    /** {@code NLM_F_EXCL}: fail when the object exists. */
    public static final int F_EXCL = 0x200;
    /** {@code NLM_F_CREATE}: create the object when it does not exist. */
    public static final int F_CREATE = 0x400;
    /** {@code NLM_F_DUMP}: list every object ({@code NLM_F_ROOT | NLM_F_MATCH}). */
    public static final int F_DUMP = 0x300;

    private static final int ATTRIBUTE_HEADER_SIZE = 4;
    private static final int NLA_F_NESTED = 1 << 15;

    private final int type;
    private final int flags;
    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> openNests = new ArrayDeque<>();

    /**
     * @param type  the message type, e.g. {@code RTM_NEWTFILTER}
     * @param flags {@code NLM_F_*} beyond {@link #F_REQUEST}, which is always set
     */
    public NetlinkMessage(int type, int flags) {
        this.type = type;
        this.flags = flags | F_REQUEST;
        buffer.position(HEADER_SIZE);
    }

    /** The message type. */
    public int type() {
        return type;
    }

    /** Appends raw bytes of the family header (e.g. {@code struct tcmsg}); call before any attribute. */
    public NetlinkMessage header(byte[] familyHeader) {
        ensure(familyHeader.length);
        buffer.put(familyHeader);
        return this;
    }

    /** An attribute holding a 32-bit unsigned integer. */
    public NetlinkMessage u32(int attribute, int value) {
        byte[] payload = new byte[4];
        ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder()).putInt(value);
        return bytes(attribute, payload);
    }

    /** An attribute holding a 32-bit signed integer. */
    public NetlinkMessage s32(int attribute, int value) {
        return u32(attribute, value);
    }

    /** An attribute holding a NUL-terminated string. */
    public NetlinkMessage string(int attribute, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        return bytes(attribute, Arrays.copyOf(utf8, utf8.length + 1));
    }

    /** An attribute holding {@code payload}. */
    public NetlinkMessage bytes(int attribute, byte[] payload) {
        ensure(align(ATTRIBUTE_HEADER_SIZE + payload.length));
        int start = buffer.position();
        buffer.putShort((short) (ATTRIBUTE_HEADER_SIZE + payload.length)).putShort((short) attribute).put(payload);
        buffer.position(start + align(ATTRIBUTE_HEADER_SIZE + payload.length));
        return this;
    }

    /** Opens a nested attribute; the following attributes go inside it until {@link #endNested()}. */
    public NetlinkMessage beginNested(int attribute) {
        ensure(ATTRIBUTE_HEADER_SIZE);
        openNests.push(buffer.position());
        buffer.putShort((short) 0).putShort((short) (attribute | NLA_F_NESTED));
        return this;
    }

    /** Closes the innermost nested attribute. */
    public NetlinkMessage endNested() {
        int start = openNests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** The complete message with sequence number {@code sequence}. */
    byte[] encode(int sequence) {
        if (!openNests.isEmpty()) {
            throw new IllegalStateException("netlink message has " + openNests.size() + " unclosed nested attributes");
        }
        int length = buffer.position();
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        out.put(0, buffer.array(), 0, length);
        out.putInt(0, length).putShort(4, (short) type).putShort(6, (short) flags).putInt(8, sequence).putInt(12, 0);
        return out.array();
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more))
                    .order(ByteOrder.nativeOrder());
            bigger.put(0, buffer.array(), 0, buffer.position());
            bigger.position(buffer.position());
            buffer = bigger;
        }
    }
}

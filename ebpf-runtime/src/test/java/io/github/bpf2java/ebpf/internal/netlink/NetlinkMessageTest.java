package io.github.bpf2java.ebpf.internal.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wire format of netlink requests and the parsing of attributes in answers, without a kernel. */
class NetlinkMessageTest {

    @Test
    void encodesHeaderFamilyHeaderAndPaddedNestedAttributes() {
        byte[] message = new NetlinkMessage(44, NetlinkMessage.F_CREATE)
                .header(new byte[20])
                .string(1, "bpf")
                .beginNested(2)
                .u32(6, 7)
                .string(7, "ab")
                .endNested()
                .encode(99);
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
        assertEquals(message.length, in.getInt(0), "nlmsg_len");
        assertEquals(44, in.getShort(4), "nlmsg_type");
        assertEquals(NetlinkMessage.F_CREATE | NetlinkMessage.F_REQUEST, in.getShort(6), "nlmsg_flags");
        assertEquals(99, in.getInt(8), "nlmsg_seq");
        // "bpf\0": 4 + 4 bytes, no padding needed.
        assertEquals(8, in.getShort(36));
        assertEquals(1, in.getShort(38));
        // The nest at 44: its header, the u32 (8 bytes), "ab\0" (7 bytes padded to 8).
        assertEquals(4 + 8 + 8, in.getShort(44), "the nest's length counts its padded members");
        assertEquals(2 | 1 << 15, Short.toUnsignedInt(in.getShort(46)), "NLA_F_NESTED is set");
        assertEquals(7, in.getInt(52), "the u32 inside the nest");
        assertEquals(36 + 8 + 4 + 8 + 8, message.length, "every attribute padded to 4 bytes");
    }

    @Test
    void unclosedNestIsRefused() {
        NetlinkMessage open = new NetlinkMessage(16, 0).beginNested(1);
        assertThrows(IllegalStateException.class, () -> open.encode(1));
    }

    @Test
    void parsesAttributesAfterTheFamilyHeaderAndStopsAtATruncatedOne() {
        ByteBuffer payload = ByteBuffer.allocate(20 + 8 + 12 + 4).order(ByteOrder.nativeOrder());
        payload.position(20);
        payload.putShort((short) 8).putShort((short) 1).put("bpf\0".getBytes());
        payload.putShort((short) 12).putShort((short) (3 | 1 << 15)).putInt(5).putInt(6);
        payload.putShort((short) 40).putShort((short) 9); // claims more than there is
        Map<Integer, byte[]> attributes = new NetlinkReply(44, payload.array()).attributes(20);
        assertEquals(2, attributes.size(), "the truncated attribute is not read");
        assertEquals(Optional.of("bpf"), NetlinkReply.string(attributes, 1));
        assertArrayEquals(Arrays.copyOfRange(payload.array(), 32, 40), attributes.get(3), "nested flag cleared");
    }
}

package io.github.bpf2java.ebpf.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Network-order fields as records read them (in the host's order) turn into the numbers and addresses C meant: the
 * bytes are laid out as a packet header has them, and read back through a host-order buffer as a record would.
 */
class NetworkOrderTest {

    @Test
    void fieldsReadInHostOrderGiveTheNumbersAndAddressesTheHeaderHolds() throws Exception {
        // A header's bytes: port 443 (0x01bb) as __be16, 10.1.2.3 as __be32, 0x0102030405060708 as __be64.
        ByteBuffer header = ByteBuffer.allocate(14).order(ByteOrder.BIG_ENDIAN)
                .putShort(0, (short) 443).put(2, new byte[] {10, 1, 2, 3}).putLong(6, 0x0102030405060708L);
        ByteBuffer asRecordsRead = header.duplicate().order(ByteOrder.nativeOrder());
        short port = asRecordsRead.getShort(0);
        int address = asRecordsRead.getInt(2);
        long big = asRecordsRead.getLong(6);

        assertEquals(443, Short.toUnsignedInt(NetworkOrder.toHost(port)));
        assertEquals(InetAddress.getByName("10.1.2.3"), NetworkOrder.toInet4Address(address));
        assertEquals(0x0102030405060708L, NetworkOrder.toHost(big));

        assertEquals(port, NetworkOrder.toNetwork((short) 443));
        assertEquals(address, NetworkOrder.fromInet4Address((Inet4Address) InetAddress.getByName("10.1.2.3")));
        assertEquals(address, NetworkOrder.toNetwork(0x0a010203));
        assertEquals(big, NetworkOrder.toNetwork(0x0102030405060708L));
        assertEquals(InetAddress.getByName("255.0.0.128"),
                NetworkOrder.toInet4Address(NetworkOrder.toNetwork(0xff000080)), "high bits are not sign-extended");
    }
}

package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.ebpf.Events;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The record for struct event puts every field where the object's BTF says it is. */
class EventLayoutTest {

    @Test
    void recordLayoutMatchesTheBtfOffsets() {
        Btf btf = Events.spec().btf().orElseThrow();
        BtfType.Struct event = btf.find("event", BtfType.Struct.class).orElseThrow();
        BtfType.Struct location = btf.find("location", BtfType.Struct.class).orElseThrow();
        assertEquals(event.size(), Events.Event.SIZE);
        assertEquals(location.size(), Events.Location.SIZE);
        Map<String, Integer> at = event.members().stream()
                .collect(Collectors.toMap(BtfType.Member::name, m -> (int) (m.bitOffset() / 8)));
        Map<String, Integer> whereAt = location.members().stream()
                .collect(Collectors.toMap(BtfType.Member::name, m -> (int) (m.bitOffset() / 8)));

        Events.Event value = new Events.Event(4242, (byte) 3, 0x1122334455667788L, "java",
                new Events.Location(17, (short) 5), new int[] {7, 8, 9});
        byte[] comm = Arrays.copyOf("java".getBytes(StandardCharsets.US_ASCII), 16);
        ByteBuffer bytes = ByteBuffer.wrap(value.encode()).order(ByteOrder.nativeOrder());

        assertEquals(4242, bytes.getInt(at.get("pid")));
        assertEquals(3, bytes.get(at.get("kind")));
        assertEquals(0x1122334455667788L, bytes.getLong(at.get("timestamp_ns")));
        assertArrayEquals(comm, Arrays.copyOfRange(bytes.array(), at.get("comm"), at.get("comm") + 16));
        assertEquals(17, bytes.getInt(at.get("where") + whereAt.get("line")));
        assertEquals(5, bytes.getShort(at.get("where") + whereAt.get("column")));
        assertEquals(8, bytes.getInt(at.get("counts") + 4));
        assertEquals(value, Events.Event.decode(bytes.array()));
        assertEquals(value, Events.Event.CODEC.decode(bytes, 0));
        assertEquals(Events.Event.SIZE, Events.Event.CODEC.size());
    }
}

package io.github.bpf2java.ebpf.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The differential test's comparison and extraction, on instructions and files built here. */
class TranslatedCodeTest {
    /** {@code r1 = map[id] + offset; r0 = 0; exit}, as the kernel shows a map value reference in xlated code. */
    private static byte[] program(int mapId, int offset, int returnValue) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
        int regs = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? (2 << 4) | 1 : (1 << 4) | 2;
        b.put((byte) 0x18).put((byte) regs).putShort((short) 0).putInt(mapId);
        b.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(offset);
        b.put((byte) 0xb7).put((byte) 0).putShort((short) 0).putInt(returnValue);
        b.put((byte) 0x95).put((byte) 0).putShort((short) 0).putInt(0);
        return b.array();
    }

    @Test
    void mapIdsAreComparedByName() {
        assertEquals(Optional.empty(), TranslatedCode.firstDifference(program(7, 8, 0), Map.of(7, ".bss"),
                program(900, 8, 0), Map.of(900, "loader.bss")));
        Optional<String> otherMap = TranslatedCode.firstDifference(program(7, 8, 0), Map.of(7, "counts"),
                program(900, 8, 0), Map.of(900, "events"));
        assertTrue(otherMap.orElseThrow().contains("instruction 0: ours ld_imm64 r1 src=2 map 'counts' +8"),
                otherMap.get());
    }

    @Test
    void valueOffsetsAndOtherFieldsMustBeEqual() {
        assertTrue(TranslatedCode.firstDifference(program(7, 8, 0), Map.of(7, ".bss"), program(9, 16, 0),
                Map.of(9, ".bss")).orElseThrow().startsWith("instruction 0"));
        String differentReturn = TranslatedCode.firstDifference(program(7, 8, 0), Map.of(7, ".bss"),
                program(7, 8, 1), Map.of(7, ".bss")).orElseThrow();
        assertTrue(differentReturn.startsWith("instruction 2: ours code=0xb7 dst=r0 src=r0 off=0 imm=0"),
                differentReturn);
        byte[] shorter = java.util.Arrays.copyOf(program(7, 8, 0), 24);
        assertTrue(TranslatedCode.firstDifference(program(7, 8, 0), Map.of(7, ".bss"), shorter, Map.of(7, ".bss"))
                .orElseThrow().startsWith("lengths differ: ours 4 instructions, libbpf's 3"));
    }

    @Test
    void internalMapNamesMatchLibbpfsTruncatedOnes() {
        assertTrue(TranslatedCode.sameMap(".rodata", "execsnoo.rodata"));
        assertTrue(TranslatedCode.sameMap(".rodata.str1.1", "loader.rodata.s"));
        assertTrue(TranslatedCode.sameMap("events", "events"));
        assertTrue(!TranslatedCode.sameMap(".data", "loader.data.st") && !TranslatedCode.sameMap("a", "ab"));
    }

    @Test
    void embeddedObjectsAreCutAtTheirSectionHeaderTable() {
        byte[] object = BpfFixtures.compile("counter").bytes();
        byte[] host = new byte[100 + object.length + 50];
        host[0] = 0x7f; // a decoy header at the start: the host's own, which is not searched
        System.arraycopy(object, 0, host, 100, object.length);
        System.arraycopy("\u007fELF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, host,
                100 + object.length + 4, 4); // a truncated header after it: no section table, ignored
        List<byte[]> found = LibbpfTools.embeddedObjects(host);
        assertEquals(1, found.size());
        assertArrayEquals(object, found.get(0));
    }
}

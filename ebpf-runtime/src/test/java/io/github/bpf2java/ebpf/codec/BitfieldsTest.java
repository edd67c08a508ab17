package io.github.bpf2java.ebpf.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.BpfObject;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bit fields where the compiler put them: {@code sample} in {@code typed_data.c} is initialized by clang for both
 * byte orders, and every field reads back at the bit offset BTF gives; writing the same values into zeroed bytes
 * gives the compiler's bytes.
 */
class BitfieldsTest {
    /** The bit fields of struct packed_bits and the values sample holds, as the C initializer says. */
    private static final Map<String, Long> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("a", 5L);
        EXPECTED.put("b", 19L);
        EXPECTED.put("c", -37L);
        EXPECTED.put("d", 0x1abcdef0123L);
        EXPECTED.put("e", -1000000L);
        EXPECTED.put("flag", 1L);
        EXPECTED.put("g", 300L);
        EXPECTED.put("lvl", 13L); // HIGH = -3 in a 4-bit field: 13 unsigned, -3 where BTF says the enum is signed
    }

    static List<BpfFixtures.Fixture> objects() {
        List<String> compilers = BpfFixtures.installedCompilers();
        return List.of(BpfFixtures.compile("typed_data", compilers.get(0), BpfFixtures.BPFEL, false),
                BpfFixtures.compile("typed_data", compilers.get(0), BpfFixtures.BPFEB, false),
                BpfFixtures.compile("typed_data", compilers.get(compilers.size() - 1), BpfFixtures.BPFEB, false));
    }

    @ParameterizedTest
    @MethodSource("objects")
    void everyFieldReadsBackWhereTheCompilerPutIt(BpfFixtures.Fixture fixture) {
        Layout layout = Layout.of(fixture);
        for (Map.Entry<String, Long> field : EXPECTED.entrySet()) {
            BtfType.Member m = layout.member(field.getKey());
            boolean signed = layout.signed(m);
            long expected = field.getKey().equals("lvl") && signed ? -3 : field.getValue();
            assertEquals(expected, Bitfields.get(layout.bytes, layout.offset, (int) m.bitOffset(),
                    m.bitfieldSize(), signed), fixture + ": " + field.getKey());
        }
    }

    @ParameterizedTest
    @MethodSource("objects")
    void writingTheValuesGivesTheCompilersBytes(BpfFixtures.Fixture fixture) {
        Layout layout = Layout.of(fixture);
        // Only the bytes the bit fields cover: a (0) to e (8..11) and flag, g, lvl (16..17).
        ByteBuffer built = ByteBuffer.allocate(layout.bytes.limit()).order(layout.bytes.order());
        for (Map.Entry<String, Long> field : EXPECTED.entrySet()) {
            BtfType.Member m = layout.member(field.getKey());
            Bitfields.put(built, layout.offset, (int) m.bitOffset(), m.bitfieldSize(), field.getValue());
        }
        byte[] expected = new byte[18];
        byte[] actual = new byte[18];
        layout.bytes.get(layout.offset, expected);
        built.get(layout.offset, actual);
        Arrays.fill(expected, 12, 16, (byte) 0); // f, a plain member
        assertArrayEquals(expected, actual, fixture.toString());
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void everyWidthAtEveryBitRoundTripsAndLeavesItsNeighboursAlone(Order order) {
        Random random = new Random(42);
        for (int bits = 1; bits <= 64; bits++) {
            for (int bitOffset = 0; bitOffset < 16; bitOffset++) {
                byte[] background = new byte[12];
                random.nextBytes(background);
                ByteBuffer b = ByteBuffer.wrap(background.clone()).order(order.order);
                long mask = bits == 64 ? -1L : (1L << bits) - 1;
                long random64 = random.nextLong();
                long signed = bits == 64 ? random64 : ((random64 & mask) << (64 - bits)) >> (64 - bits);
                // Values that fit: as the unsigned number, or as the signed one.
                long value = random.nextBoolean() ? random64 & mask : signed;
                Bitfields.put(b, 1, bitOffset, bits, value);
                assertEquals(value & mask, Bitfields.get(b, 1, bitOffset, bits, false), bits + "@" + bitOffset);
                assertEquals(signed, Bitfields.get(b, 1, bitOffset, bits, true), bits + "@" + bitOffset);
                // Clearing the field again restores every other bit.
                ByteBuffer cleared = ByteBuffer.wrap(background.clone()).order(order.order);
                Bitfields.put(cleared, 1, bitOffset, bits, 0);
                Bitfields.put(b, 1, bitOffset, bits, 0);
                assertArrayEquals(cleared.array(), b.array(), bits + "@" + bitOffset);
            }
        }
    }

    @Test
    void aValueThatDoesNotFitItsFieldIsRefusedNotCutOff() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bitfields.put(b, 0, 3, 24, (1 << 24) | 5));
        assertEquals("value 16777221 does not fit the 24-bit field at bit 3: it holds 0..16777215 (unsigned) or "
                + "-8388608..8388607 (signed); bit fields are never cut off", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Bitfields.put(b, 0, 3, 24, -8388609));
        assertEquals(0, b.getLong(0), "nothing was written");
        Bitfields.put(b, 0, 3, 24, -8388608);
        Bitfields.put(b, 0, 3, 24, 16777215);

        // With the field's signedness the range is exact.
        IllegalArgumentException signed = assertThrows(IllegalArgumentException.class,
                () -> Bitfields.put(b, 0, 0, 23, true, 1 << 22));
        assertTrue(signed.getMessage().contains("value 4194304 does not fit the 23-bit signed field at bit 0: it holds"
                + " -4194304..4194303"), signed.getMessage());
        IllegalArgumentException unsigned = assertThrows(IllegalArgumentException.class,
                () -> Bitfields.put(b, 0, 0, 9, false, -1));
        assertTrue(unsigned.getMessage().contains("value -1 does not fit the 9-bit unsigned field at bit 0: it holds"
                + " 0..511;"), unsigned.getMessage());
        // A __u32 x : 32 in a Java int: 0xffffffff arrives as -1, the same bits.
        Bitfields.put(b, 0, 0, 32, false, 0xffff_ffff);
        assertEquals(0xffff_ffffL, Bitfields.get(b, 0, 0, 32, false));
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
                () -> Bitfields.put(b, 0, 0, 32, false, 1L << 32));
        assertTrue(wide.getMessage().contains("0..4294967295 (or the same bits as -2147483648..2147483647)"),
                wide.getMessage());
    }

    @Test
    void whatTheKernelWroteRoundTripsThroughAMapAndAnOversizedFieldNeverReachesIt() {
        KernelSupport.assumeBpf();
        ObjectSpec spec = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0));
        Btf btf = spec.btf().orElseThrow();
        BtfType.Struct struct = btf.find("packed_bits", BtfType.Struct.class).orElseThrow();
        try (BpfObject object = BpfObject.load(spec)) {
            // The program writes struct packed_bits field by field into written[0].
            object.program("write_struct").testRun(TestRun.ofData(new byte[64]));
            BpfMap written = object.map("written");
            ByteBuffer kernel = ByteBuffer.wrap(written.lookup(Codecs.toBytes(Codecs.U32, 0)).orElseThrow())
                    .order(ByteOrder.nativeOrder());
            ByteBuffer ours = ByteBuffer.allocate(written.valueSize()).order(ByteOrder.nativeOrder());
            for (String name : EXPECTED.keySet()) {
                BtfType.Member m = struct.members().stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElseThrow();
                BtfType type = btf.resolve(m.typeId());
                boolean signed = type instanceof BtfType.Int i ? i.signed()
                        : type instanceof BtfType.Enum en && en.signed();
                long value = Bitfields.get(kernel, 0, (int) m.bitOffset(), m.bitfieldSize(), signed);
                Bitfields.put(ours, 0, (int) m.bitOffset(), m.bitfieldSize(), signed, value);
            }
            written.put(Codecs.toBytes(Codecs.U32, 1), ours.array());
            byte[] back = written.lookup(Codecs.toBytes(Codecs.U32, 1)).orElseThrow();
            byte[] expected = Arrays.copyOf(kernel.array(), 18);
            Arrays.fill(expected, 12, 16, (byte) 0); // f, a plain member
            assertArrayEquals(expected, Arrays.copyOf(back, 18), "the bit fields as the kernel wrote them");

            // g is a 9-bit __u16: 517 would have been stored as 5.
            BtfType.Member g = struct.members().stream().filter(x -> x.name().equals("g")).findFirst().orElseThrow();
            ByteBuffer bad = ByteBuffer.allocate(written.valueSize()).order(ByteOrder.nativeOrder());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Bitfields.put(bad, 0, (int) g.bitOffset(), 9, (1 << 9) | 5));
            assertTrue(e.getMessage().startsWith("value 517 does not fit the 9-bit field at bit " + g.bitOffset()
                    + ": it holds 0..511 (unsigned) or -256..255 (signed)"), e.getMessage());
            assertArrayEquals(new byte[written.valueSize()], written.lookup(Codecs.toBytes(Codecs.U32, 2))
                    .orElseThrow(), "nothing was stored");
        }
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void aFieldStraddlingNineBytesReadsWhole(Order order) {
        ByteBuffer b = ByteBuffer.allocate(9).order(order.order);
        Bitfields.put(b, 0, 7, 64, 0x8123456789abcdefL);
        assertEquals(0x8123456789abcdefL, Bitfields.get(b, 0, 7, 64, false));
        assertThrows(IndexOutOfBoundsException.class, () -> Bitfields.get(b, 0, 9, 64, false));
        assertThrows(IllegalArgumentException.class, () -> Bitfields.get(b, 0, 0, 65, false));
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void bitNumberingFollowsTheByteOrder(Order order) {
        ByteBuffer b = ByteBuffer.allocate(1).order(order.order);
        Bitfields.put(b, 0, 0, 1, 1);
        // Bit 0 is the lowest bit of the first byte in a little-endian struct, the highest in a big-endian one.
        assertEquals(order == Order.LITTLE ? 0x01 : 0x80, b.get(0) & 0xff);
    }

    enum Order {
        LITTLE(ByteOrder.LITTLE_ENDIAN), BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder order;

        Order(ByteOrder order) {
            this.order = order;
        }
    }

    /** Where sample lies in the object's .data, in the object's byte order, and its struct's members. */
    private record Layout(ByteBuffer bytes, int offset, Btf btf, BtfType.Struct struct) {
        static Layout of(BpfFixtures.Fixture fixture) {
            ObjectSpec spec = ObjectSpec.read("typed_data", fixture.bytes());
            VariableSpec sample = spec.variable("sample").orElseThrow();
            MapSpec data = spec.map(sample.mapName()).orElseThrow();
            Btf btf = spec.btf().orElseThrow();
            BtfType.Struct struct = btf.find("packed_bits", BtfType.Struct.class).orElseThrow();
            return new Layout(ByteBuffer.wrap(data.contents()).order(spec.byteOrder()), sample.offset(), btf, struct);
        }

        BtfType.Member member(String name) {
            return struct.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        }

        boolean signed(BtfType.Member m) {
            BtfType type = btf.resolve(m.typeId());
            return type instanceof BtfType.Int i ? i.signed() : type instanceof BtfType.Enum e && e.signed();
        }
    }
}

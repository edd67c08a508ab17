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
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.VariableSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records of a user's own read through an object's BTF, without generated code: {@code struct packed_bits} of
 * {@code typed_data.c}, written field by field by a program, reads back into a record whose components name its
 * members, bit fields, union, nested arrays and anonymous struct included, and encodes back to the kernel's bytes.
 */
class BtfRecordCodecTest {
    /** union word: both views of the same four bytes. */
    record Word(int asU32, byte[] asBytes) {}

    /** The anonymous struct member inner. */
    record Inner(byte tag, long value) {}

    /** Every member of struct packed_bits, in another order than C's; f (__u32) as a long, its unsigned value. */
    record PackedBits(String name, byte a, byte b, int c, long d, long e, long f, boolean flag, short g, int lvl,
            Word w, short[][] grid, Inner inner) {}

    /** A record of two members only. */
    record Few(long d, String name) {}

    @Test
    void aStructTheKernelWroteReadsIntoARecordAndEncodesBackToItsBytes() {
        KernelSupport.assumeBpf();
        ObjectSpec spec = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0));
        Btf btf = spec.btf().orElseThrow();
        Codec<PackedBits> codec = Codecs.fromBtf(PackedBits.class, btf, "packed_bits");
        try (BpfObject object = BpfObject.load(spec)) {
            object.program("write_struct").testRun(TestRun.ofData(new byte[64]));
            BpfMap written = object.map("written");
            assertEquals(written.valueSize(), codec.size());
            byte[] kernel = written.lookup(Codecs.toBytes(Codecs.U32, 0)).orElseThrow();

            PackedBits p = Codecs.fromBytes(codec, kernel);
            assertEquals("bitfields", p.name());
            assertEquals(5, p.a());
            assertEquals(19, p.b());
            assertEquals(-37, p.c());
            assertEquals(0x1abcdef0123L, p.d());
            assertEquals(-1000000, p.e());
            assertEquals(0xfeedbeefL, p.f(), "a __u32 in a long is its unsigned number");
            assertTrue(p.flag());
            assertEquals(300, p.g());
            // HIGH = -3 in a 4-bit field: -3 where BTF says the enum is signed (clang 15 on), 13 where it does not.
            boolean signedEnum = btf.find("level", BtfType.Enum.class).orElseThrow()
                    .signed();
            assertEquals(signedEnum ? -3 : 13, p.lvl(), "enum level HIGH");
            assertEquals(0xdeadbeef, p.w().asU32());
            assertArrayEquals(Codecs.toBytes(Codecs.U32, 0xdeadbeef), p.w().asBytes(), "the union's other view");
            assertArrayEquals(new short[][] {{1, -2, 3}, {-4, 5, -6}}, p.grid());
            assertEquals(new Inner((byte) 7, 0x1122334455667788L), p.inner());

            // Back into the kernel's layout, byte for byte, and through the map.
            assertArrayEquals(kernel, Codecs.toBytes(codec, p));
            written.put(Codecs.toBytes(Codecs.U32, 1), Codecs.toBytes(codec, p));
            assertEquals(withoutArrays(p), withoutArrays(Codecs.fromBytes(codec,
                    written.lookup(Codecs.toBytes(Codecs.U32, 1)).orElseThrow())));

            // A record naming two members reads those, and writes zeros around them.
            Few few = Codecs.fromBytes(Codecs.fromBtf(Few.class, btf, "packed_bits"), kernel);
            assertEquals(new Few(0x1abcdef0123L, "bitfields"), few);
        }
    }

    @Test
    void theBigEndianObjectReadsTheSameValuesInItsByteOrder() {
        // The compiler's sample, initialized for both byte orders: one record type reads both, with equal values.
        String compiler = BpfFixtures.installedCompilers().get(0);
        PackedBits little = sample(BpfFixtures.compile("typed_data", compiler, BpfFixtures.BPFEL, false));
        PackedBits big = sample(BpfFixtures.compile("typed_data", compiler, BpfFixtures.BPFEB, false));
        assertEquals(-37, big.c());
        assertEquals(0x1abcdef0123L, big.d());
        assertEquals(0xfeedbeefL, big.f());
        assertEquals(withoutArrays(little), withoutArrays(big));
        assertTrue(Arrays.deepEquals(little.grid(), big.grid()));
    }

    private static PackedBits sample(BpfFixtures.Fixture fixture) {
        ObjectSpec spec = ObjectSpec.read("typed_data", fixture.bytes());
        VariableSpec sample = spec.variable("sample").orElseThrow();
        byte[] data = spec.map(sample.mapName()).orElseThrow().contents();
        return Codecs.fromBtf(PackedBits.class, spec.btf().orElseThrow(), "packed_bits")
                .decode(ByteBuffer.wrap(data).order(spec.byteOrder()), sample.offset());
    }

    private static String withoutArrays(Record r) {
        return r.toString().replaceAll("\\[[BS]@[0-9a-f]+", "");
    }

    record Unknown(int pid) {}

    record TooNarrow(short f) {}

    record NotText(String f) {}

    record TooNarrowBits(byte e) {}

    record BadInner(byte tagg) {}

    record HasBadInner(BadInner inner) {}

    record Bits(byte a, byte b) {}

    @Test
    void aNestedTypeOrABitFieldValueThatDoesNotFitIsNamedByWhereItIs() {
        Btf btf = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0)).btf().orElseThrow();
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fromBtf(HasBadInner.class, btf, "packed_bits"));
        assertTrue(nested.getMessage().startsWith("component 'tagg' of record BadInner names no member of struct "
                + "{...} (member 'inner' of struct packed_bits); its members: tag, value"), nested.getMessage());

        Codec<Bits> bits = Codecs.fromBtf(Bits.class, btf, "packed_bits");
        assertEquals(new Bits((byte) 7, (byte) 31), Codecs.fromBytes(bits, Codecs.toBytes(bits,
                new Bits((byte) 7, (byte) 31))), "the largest values of a 3-bit and a 5-bit unsigned field");
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class,
                () -> Codecs.toBytes(bits, new Bits((byte) 8, (byte) 0)));
        assertTrue(tooBig.getMessage().startsWith("component 'a' of record Bits (member 'a' of struct packed_bits): "
                + "value 8 does not fit the 3-bit unsigned field at bit 0: it holds 0..7;"), tooBig.getMessage());
    }

    record Wide(byte[] value, int tag) {}

    @Test
    void anInt128IsItsSixteenBytes() {
        // struct wide { unsigned __int128 value; __u32 tag; }: 32 bytes, the __int128 aligned to 16.
        Btf btf = Btf.of(List.of(new BtfType.Void(),
                new BtfType.Int(1, "unsigned __int128", 16, false, false, false, 0, 128),
                new BtfType.Int(2, "unsigned int", 4, false, false, false, 0, 32),
                new BtfType.Struct(3, "wide", 32, List.of(new BtfType.Member("value", 1, 0, 0),
                        new BtfType.Member("tag", 2, 128, 0)))), ByteOrder.LITTLE_ENDIAN);
        Codec<Wide> codec = Codecs.fromBtf(Wide.class, btf, "wide");
        byte[] value = new byte[16];
        for (int i = 0; i < 16; i++) {
            value[i] = (byte) (i * 17);
        }
        ByteBuffer buffer = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        codec.encode(new Wide(value, 42), buffer, 0);
        assertArrayEquals(value, Arrays.copyOf(buffer.array(), 16));
        assertEquals(42, buffer.getInt(16));
        Wide back = codec.decode(buffer, 0);
        assertArrayEquals(value, back.value());
        assertEquals(42, back.tag());
    }

    @Test
    void aRecordThatDoesNotFitTheStructIsRefusedSayingWhy() {
        Btf btf = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0)).btf().orElseThrow();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fromBtf(Unknown.class, btf, "packed_bits"));
        assertTrue(unknown.getMessage().startsWith("component 'pid' of record Unknown names no member of struct "
                + "packed_bits; its members: a, b, c, d, e, f, flag, g, lvl, w, grid, name, inner"),
                unknown.getMessage());
        IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fromBtf(TooNarrow.class, btf, "packed_bits"));
        assertEquals("component 'f' of record TooNarrow (member 'f' of struct packed_bits) is short, which cannot hold "
                + "C __u32: it is 4 bytes: use int or long", narrow.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fromBtf(NotText.class, btf, "packed_bits"));
        assertTrue(text.getMessage().endsWith("a String maps to a char array"), text.getMessage());
        IllegalArgumentException bits = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fromBtf(TooNarrowBits.class, btf, "packed_bits"));
        assertTrue(bits.getMessage().contains("it is a bit field of 23 bits: use int or long"), bits.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fromBtf(Few.class, btf, "no_such_struct"));
        assertEquals("no struct, union or typedef named 'no_such_struct' in the BTF given for record Few; a type that "
                + "only a program's body uses (an event it sends) is not in an object's BTF: name it in the "
                + "ebpf-maven-plugin's <types>, which puts it there and generates a record with its CODEC",
                missing.getMessage());
        IllegalArgumentException notStruct = assertThrows(IllegalArgumentException.class,
                () -> Codecs.fromBtf(Few.class, btf, btf.find("level", BtfType.Enum.class)
                        .orElseThrow().id()));
        assertTrue(notStruct.getMessage().contains("only a struct or a union maps to a record"),
                notStruct.getMessage());
    }
}

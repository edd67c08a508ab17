package io.github.bpf2java.ebpf.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.BtfType.Linkage;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.btf.BtfType.QualifierKind;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BtfTest {
    private static final int INT = 1;
    private static final int PTR = 2;
    private static final int ARRAY = 3;
    private static final int STRUCT = 4;
    private static final int ENUM = 6;
    private static final int FWD = 7;
    private static final int TYPEDEF = 8;
    private static final int CONST = 10;
    private static final int ENUM64 = 19;

    enum Order {
        LITTLE(ByteOrder.LITTLE_ENDIAN),
        BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder order;

        Order(ByteOrder order) {
            this.order = order;
        }
    }

    /** Every kind once, with the kind_flag variants that change meaning. */
    static List<BtfType> everyKind() {
        return List.of(
                new BtfType.Void(),
                new BtfType.Int(1, "int", 4, true, false, false, 0, 32),
                new BtfType.Pointer(2, 1),
                new BtfType.Array(3, 1, 1, 16),
                new BtfType.Struct(4, "s", 16, List.of(new Member("a", 1, 0, 0), new Member("bits", 1, 35, 3),
                        new Member("p", 2, 64, 0))),
                new BtfType.Union(5, "u", 8, List.of(new Member("x", 1, 0, 0), new Member("y", 2, 0, 0))),
                new BtfType.Enum(6, "e", 4, true, List.of(new BtfType.EnumValue("NEG", -1),
                        new BtfType.EnumValue("POS", 7))),
                new BtfType.Enum(7, "e64", 8, false, List.of(new BtfType.EnumValue("BIG", 0x1_0000_0001L))),
                new BtfType.Forward(8, "fwd_union", true),
                new BtfType.Typedef(9, "myint", 1),
                new BtfType.Qualifier(10, QualifierKind.VOLATILE, "", 9),
                new BtfType.Qualifier(11, QualifierKind.CONST, "", 10),
                new BtfType.Qualifier(12, QualifierKind.RESTRICT, "", 2),
                new BtfType.Qualifier(13, QualifierKind.TYPE_TAG, "user", 1),
                new BtfType.FuncProto(14, 1, List.of(new BtfType.Param("x", 1), new BtfType.Param("", 0))),
                new BtfType.Func(15, "f", 14, Linkage.GLOBAL),
                new BtfType.Var(16, "v", 4, Linkage.STATIC),
                new BtfType.DataSection(17, ".data", 16, List.of(new BtfType.VarPlacement(16, 0, 16))),
                new BtfType.Float(18, "double", 8),
                new BtfType.DeclTag(19, "tag", 4, 1),
                new BtfType.Qualifier(20, QualifierKind.TYPE_TAG, "attr", 1, true),
                new BtfType.DeclTag(21, "attr", 15, -1, true));
    }

    @ParameterizedTest
    @EnumSource(Order.class)
    void roundTripsEveryKindThroughTheEncoder(Order order) {
        Btf built = Btf.of(everyKind(), order.order);
        byte[] raw = BtfEncoder.encode(built);
        Btf parsed = Btf.parse(raw, order.order);
        assertEquals(everyKind(), parsed.types());
        assertArrayEquals(raw, BtfEncoder.encode(parsed), "encode(parse(x)) == x");
        assertArrayEquals(raw, parsed.rawBytes());
    }

    @Test
    void describesTypesLikeC() {
        Btf btf = Btf.of(everyKind(), ByteOrder.LITTLE_ENDIAN);
        assertEquals("int *", btf.describe(2));
        assertEquals("int[16]", btf.describe(3));
        assertEquals("struct s", btf.describe(4));
        assertEquals("union u", btf.describe(5));
        assertEquals("enum e", btf.describe(6));
        assertEquals("union fwd_union", btf.describe(8));
        assertEquals("const volatile myint", btf.describe(11));
        assertEquals("int * restrict", btf.describe(12));
        assertEquals("int f(int, ...)", btf.describe(15));
        assertEquals("struct s v", btf.describe(16));
        assertEquals("SEC(\".data\")", btf.describe(17));
    }

    @Test
    void sizesFollowTypedefsQualifiersAndArrays() {
        Btf btf = Btf.of(everyKind(), ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, btf.sizeOf(11));
        assertEquals(64, btf.sizeOf(3));
        assertEquals(8, btf.sizeOf(2));
        assertEquals(16, btf.sizeOf(16), "a VAR has its type's size");
        assertTrue(btf.resolve(11) instanceof BtfType.Int);
        assertEquals(4, btf.alignOf(3));
        assertEquals(8, btf.alignOf(4));
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> btf.sizeOf(14));
        assertTrue(e.getMessage().contains("no size"), e.getMessage());
    }

    @Test
    void decodesKindFlagSemantics() {
        RawBtf raw = new RawBtf(ByteOrder.LITTLE_ENDIAN);
        int u32 = raw.str("u32");
        int s = raw.str("bits");
        int a = raw.str("a");
        int b = raw.str("b");
        raw.type(u32, INT, 0, false, 4, 32);
        // struct bits { u32 a:3; u32 b:5; } with kind_flag: offsets carry bitfield_size << 24.
        raw.type(s, STRUCT, 2, true, 4, a, 1, 3 << 24, b, 1, 5 << 24 | 3);
        raw.type(raw.str("f"), FWD, 0, true, 0);
        raw.type(raw.str("signed_e"), ENUM, 1, true, 4, raw.str("M"), -2);
        raw.type(raw.str("unsigned_e"), ENUM, 1, false, 4, raw.str("N"), -2);
        raw.type(raw.str("e64"), ENUM64, 1, true, 8, raw.str("W"), 5, -1);
        Btf btf = Btf.parse(raw.bytes(), ByteOrder.LITTLE_ENDIAN);
        BtfType.Struct bits = (BtfType.Struct) btf.type(2);
        assertEquals(new Member("a", 1, 0, 3), bits.members().get(0));
        assertEquals(new Member("b", 1, 3, 5), bits.members().get(1));
        assertTrue(((BtfType.Forward) btf.type(3)).union());
        assertEquals(-2, ((BtfType.Enum) btf.type(4)).values().get(0).value());
        assertTrue(((BtfType.Enum) btf.type(4)).signed());
        assertEquals(0xffff_fffeL, ((BtfType.Enum) btf.type(5)).values().get(0).value());
        assertEquals(0xffff_ffff_0000_0005L, ((BtfType.Enum) btf.type(6)).values().get(0).value());
    }

    @Test
    void rejectsTypedefLoop() {
        RawBtf raw = new RawBtf(ByteOrder.LITTLE_ENDIAN);
        raw.type(raw.str("A"), TYPEDEF, 0, false, 1);
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> Btf.parse(raw.bytes(), ByteOrder.LITTLE_ENDIAN));
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    @Test
    void rejectsLoopThroughPointersConstsAndArrays() {
        RawBtf raw = new RawBtf(ByteOrder.LITTLE_ENDIAN);
        raw.type(0, PTR, 0, false, 2);
        raw.type(0, CONST, 0, false, 3);
        raw.type(0, ARRAY, 0, false, 0, 1, 1, 4);
        assertThrows(ObjectFormatException.class, () -> Btf.parse(raw.bytes(), ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void acceptsSelfReferenceThroughStructMembers() {
        RawBtf raw = new RawBtf(ByteOrder.LITTLE_ENDIAN);
        int node = raw.str("node");
        raw.type(node, STRUCT, 1, false, 8, raw.str("next"), 2, 0);
        raw.type(0, PTR, 0, false, 1);
        Btf btf = Btf.parse(raw.bytes(), ByteOrder.LITTLE_ENDIAN);
        assertEquals("struct node *", btf.describe(2));
        assertEquals(8, btf.sizeOf(1));
    }

    @Test
    void rejectsReferenceToMissingType() {
        RawBtf raw = new RawBtf(ByteOrder.LITTLE_ENDIAN);
        raw.type(0, PTR, 0, false, 7);
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> Btf.parse(raw.bytes(), ByteOrder.LITTLE_ENDIAN));
        assertTrue(e.getMessage().contains("type 1") && e.getMessage().contains("7"), e.getMessage());
    }

    @Test
    void rejectsStringOffsetOutsideTable() {
        RawBtf raw = new RawBtf(ByteOrder.LITTLE_ENDIAN);
        raw.type(999, INT, 0, false, 4, 32);
        assertThrows(ObjectFormatException.class, () -> Btf.parse(raw.bytes(), ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void rejectsUnknownKindAndHugeVlen() {
        RawBtf unknown = new RawBtf(ByteOrder.LITTLE_ENDIAN).type(0, 31, 0, false, 0);
        assertThrows(ObjectFormatException.class, () -> Btf.parse(unknown.bytes(), ByteOrder.LITTLE_ENDIAN));
        RawBtf huge = new RawBtf(ByteOrder.LITTLE_ENDIAN).type(0, STRUCT, 0xffff, false, 4);
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> Btf.parse(huge.bytes(), ByteOrder.LITTLE_ENDIAN));
        assertTrue(e.getMessage().contains("runs past"), e.getMessage());
    }

    @Test
    void rejectsWrongByteOrderAndBadHeader() {
        byte[] le = new RawBtf(ByteOrder.LITTLE_ENDIAN).type(0, INT, 0, false, 4, 32).bytes();
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> Btf.parse(le, ByteOrder.BIG_ENDIAN));
        assertTrue(e.getMessage().contains("other byte order"), e.getMessage());
        assertEquals(ByteOrder.LITTLE_ENDIAN, Btf.parse(le).byteOrder());
        byte[] truncated = java.util.Arrays.copyOf(le, le.length - 3);
        assertThrows(ObjectFormatException.class, () -> Btf.parse(truncated, ByteOrder.LITTLE_ENDIAN));
        byte[] badLen = le.clone();
        badLen[4] = (byte) 0xff;
        assertThrows(ObjectFormatException.class, () -> Btf.parse(badLen, ByteOrder.LITTLE_ENDIAN));
        assertThrows(ObjectFormatException.class, () -> Btf.parse(new byte[3], ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void reportsOutOfRangeIdsOnLookup() {
        Btf btf = Btf.of(everyKind(), ByteOrder.LITTLE_ENDIAN);
        assertThrows(ObjectFormatException.class, () -> btf.type(1000));
        assertThrows(ObjectFormatException.class, () -> btf.type(-1));
        assertThrows(ObjectFormatException.class, () -> btf.string(1 << 20));
    }

    @Test
    void findsTypesByName() {
        Btf btf = Btf.of(everyKind(), ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, btf.find("s", BtfType.Struct.class).orElseThrow().id());
        assertFalse(btf.find("s", BtfType.Union.class).isPresent());
        assertEquals(2, btf.findAll("attr").size());
    }

    @Test
    void parsesSplitBtfOnTopOfBase() {
        RawBtf baseRaw = new RawBtf(ByteOrder.LITTLE_ENDIAN);
        baseRaw.type(baseRaw.str("int"), INT, 0, false, 4, 1 << 24 | 32);
        baseRaw.type(0, PTR, 0, false, 1);
        byte[] baseBytes = baseRaw.bytes();
        Btf base = Btf.parse(baseBytes, ByteOrder.LITTLE_ENDIAN);
        int baseStrings = 5; // "\0int\0"
        RawBtf split = new RawBtf(ByteOrder.LITTLE_ENDIAN, baseStrings, false);
        int modStruct = split.str("mod_struct");
        int field = split.str("field");
        split.type(modStruct, STRUCT, 2, false, 16, field, 1, 0, 1 /* "int" from the base */, 2, 64);
        split.type(split.str("mod_int"), TYPEDEF, 0, false, 1);
        Btf btf = Btf.parseSplit(split.bytes(), base);
        assertEquals(3, btf.firstTypeId());
        assertEquals(5, btf.types().size());
        BtfType.Struct s = btf.find("mod_struct", BtfType.Struct.class).orElseThrow();
        assertEquals(3, s.id());
        assertEquals("int", s.members().get(1).name());
        assertEquals("int *", btf.describe(s.members().get(1).typeId()));
        assertEquals(4, btf.sizeOf(4));
        assertEquals(1, btf.findAll("int").size(), "names of the base are found too");
        assertEquals(btf.types(), Btf.parseSplit(BtfEncoder.encode(btf), base).types());
    }

    @Test
    void rejectsSplitReferenceBeyondIds() {
        Btf base = Btf.parse(new RawBtf(ByteOrder.LITTLE_ENDIAN).type(0, INT, 0, false, 4, 32).bytes(),
                ByteOrder.LITTLE_ENDIAN);
        RawBtf split = new RawBtf(ByteOrder.LITTLE_ENDIAN, 1, false);
        split.type(0, PTR, 0, false, 9);
        assertThrows(ObjectFormatException.class, () -> Btf.parseSplit(split.bytes(), base));
    }

    @Test
    void replacesTypesKeepingStringOffsets() {
        Btf btf = Btf.parse(BtfEncoder.encode(Btf.of(everyKind(), ByteOrder.BIG_ENDIAN)), ByteOrder.BIG_ENDIAN);
        int offsetOfS = 0;
        for (int i = 0; i < 100; i++) {
            if (btf.string(i).equals("s")) {
                offsetOfS = i;
                break;
            }
        }
        Btf fixed = btf.with(List.of(new BtfType.DataSection(17, ".data", 32,
                List.of(new BtfType.VarPlacement(16, 16, 16))), new BtfType.Typedef(9, "renamed_int", 1)));
        assertEquals(32, ((BtfType.DataSection) fixed.type(17)).size());
        assertEquals("renamed_int", fixed.type(9).name());
        Btf reparsed = Btf.parse(fixed.rawBytes(), ByteOrder.BIG_ENDIAN);
        assertEquals(fixed.types(), reparsed.types());
        assertEquals("s", reparsed.string(offsetOfS), "existing string offsets stay valid");
        assertThrows(ObjectFormatException.class, () -> btf.with(List.of(new BtfType.Typedef(9, "loop", 9))));
        assertThrows(ObjectFormatException.class, () -> btf.with(List.of(new BtfType.Typedef(99, "x", 1))));
    }

    @Test
    void replacingTwiceKeepsTheFirstReplacements() {
        Btf btf = Btf.parse(BtfEncoder.encode(Btf.of(everyKind(), ByteOrder.LITTLE_ENDIAN)), ByteOrder.LITTLE_ENDIAN);
        Btf once = btf.with(List.of(new BtfType.Typedef(9, "first", 1)));
        Btf twice = once.with(List.of(new BtfType.DataSection(17, ".data", 32,
                List.of(new BtfType.VarPlacement(16, 16, 16)))));
        assertEquals("first", twice.type(9).name());
        assertEquals(32, ((BtfType.DataSection) twice.type(17)).size());
        assertEquals("first", Btf.parse(twice.rawBytes()).type(9).name());
    }
}

package io.github.bpf2java.ebpf.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfEncoder;
import io.github.bpf2java.ebpf.btf.BtfType.Linkage;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.testing.ElfWriter;
import io.github.bpf2java.ebpf.testing.ParseBounds.Outcome;
import io.github.bpf2java.ebpf.testing.ParseBounds;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile objects, built here from their description, that once hung the reader or exhausted memory: each must be
 * read or rejected with an {@link ObjectFormatException} within {@link ParseBounds#MAX_TIME} and
 * {@link ParseBounds#MAX_ALLOCATION}, and so must a generator-like walk of what was read.
 */
class ParserBoundsTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final long DATA = ElfWriter.SHF_ALLOC | ElfWriter.SHF_WRITE;

    /** Reads {@code object} and walks its types as the generator does, within the bounds. */
    private static Outcome<ObjectSpec> readAndWalk(String what, byte[] object) {
        return ParseBounds.within(what, () -> {
            ObjectSpec spec = ObjectSpec.read("hostile.o", object);
            ParseBounds.walkLikeTheGenerator(spec);
            return spec;
        });
    }

    private static byte[] btf(List<BtfType> types) {
        return BtfEncoder.encode(Btf.of(types, LE));
    }

    private static BtfType.Int intType(int id) {
        return new BtfType.Int(id, "int", 4, true, false, false, 0, 32);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. A pointer to a function prototype whose return and parameters are that pointer

    /**
     * {@code ring} pairs of a pointer and a prototype: pointer {@code i} points to prototype {@code i}, which
     * returns and takes two of pointer {@code i + 1} (the last back to the first). With a ring of 1 this is the
     * object of issue 8: describing the pointer branched three ways at each level down to the depth cap.
     */
    private static byte[] functionPointerLoop(int ring) {
        List<BtfType> types = new ArrayList<>(List.of(new BtfType.Void(), intType(1)));
        int first = 2;
        for (int i = 0; i < ring; i++) {
            int pointer = first + 2 * i;
            int next = first + 2 * ((i + 1) % ring);
            types.add(new BtfType.Pointer(pointer, pointer + 1));
            types.add(new BtfType.FuncProto(pointer + 1, next,
                    List.of(new BtfType.Param("a", next), new BtfType.Param("b", next))));
        }
        int var = types.size();
        types.add(new BtfType.Var(var, "m", first, Linkage.GLOBAL));
        types.add(new BtfType.DataSection(var + 1, ".maps", 8, List.of(new BtfType.VarPlacement(var, 0, 8))));
        ElfWriter elf = new ElfWriter(LE);
        int maps = elf.section(".maps", ElfWriter.SHT_PROGBITS, DATA, new byte[8]);
        elf.symbol("m", maps, 0, 8, ElfWriter.STT_OBJECT);
        elf.section(".BTF", ElfWriter.SHT_PROGBITS, 0, btf(types));
        return elf.bytes();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 40})
    void describesAFunctionPointerThatReturnsAndTakesItselfInBoundedTime(int ring) {
        byte[] object = functionPointerLoop(ring);
        Outcome<ObjectSpec> outcome = readAndWalk("function pointer loop of " + ring, object);
        // The map definition is a pointer, not a struct: the message spells it, with the loop cut.
        BpfException e = outcome.rejection().orElseThrow();
        assertTrue(e.getMessage().contains("map m: definition is ") && e.getMessage().contains("(*)("),
                e.getMessage());
        assertTrue(e.getMessage().length() < 2048, e.getMessage());
        if (ring == 1) {
            assertTrue(e.getMessage().contains("<loop> (*)(<loop>, <loop>), not a struct"), e.getMessage());
        }
    }

    @Test
    void spellsTheLoopOfAFunctionPointerReturningItself() {
        Btf btf = Btf.parse(btfOf(functionPointerLoop(1)), LE);
        assertEquals("<loop> (*)(<loop>, <loop>)", btf.describe(2));
        assertEquals("<loop> (*)(<loop>, <loop>) (<loop> (*)(<loop>, <loop>), <loop> (*)(<loop>, <loop>))",
                btf.describe(3));
        ParseBounds.within("walking a ring of 40", () -> {
            ParseBounds.walkTypes(Btf.parse(btfOf(functionPointerLoop(40)), LE));
            return null;
        });
    }

    private static byte[] btfOf(byte[] object) {
        io.github.bpf2java.ebpf.internal.elf.ElfFile elf = io.github.bpf2java.ebpf.internal.elf.ElfFile.parse(object);
        return elf.contents(elf.section(".BTF").orElseThrow());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Structs nested in a diamond, reached through a .kconfig extern

    /**
     * {@code levels} structs, each with {@code width} members of the one before (all at offset 0, so sizes stay
     * small), the last the type of a {@code .kconfig} extern: an alignment walk without memory visits
     * {@code width^levels} members.
     */
    private static byte[] kconfigDiamond(int levels, int width) {
        List<BtfType> types = new ArrayList<>(List.of(new BtfType.Void(), intType(1)));
        int below = 1;
        for (int level = 0; level < levels; level++) {
            int id = types.size();
            List<BtfType.Member> members = new ArrayList<>();
            for (int m = 0; m < width; m++) {
                members.add(new BtfType.Member("m" + m, below, 0, 0));
            }
            types.add(new BtfType.Struct(id, "s" + level, 4, members));
            below = id;
        }
        int var = types.size();
        types.add(new BtfType.Var(var, "CONFIG_DIAMOND", below, Linkage.EXTERN));
        types.add(new BtfType.DataSection(var + 1, ".kconfig", 0, List.of(new BtfType.VarPlacement(var, 0, 4))));
        ElfWriter elf = new ElfWriter(LE);
        elf.symbol("CONFIG_DIAMOND", ElfWriter.SHN_UNDEF, 0, 0, ElfWriter.STT_NOTYPE);
        elf.section(".BTF", ElfWriter.SHT_PROGBITS, 0, btf(types));
        return elf.bytes();
    }

    @ParameterizedTest
    @ValueSource(ints = {18, 30, 1000})
    void laysOutAKconfigExternOfDiamondNestedStructsInLinearTime(int levels) {
        byte[] object = kconfigDiamond(levels, 2);
        ObjectSpec spec = readAndWalk(levels + " diamond levels", object).value().orElseThrow();
        MapSpec kconfig = spec.map(".kconfig").orElseThrow();
        assertEquals(4, kconfig.valueSize());
        VariableSpec extern = spec.variable("CONFIG_DIAMOND").orElseThrow();
        assertEquals(0, extern.offset());
        assertEquals(4, spec.btf().orElseThrow().alignOf(extern.typeId()));
    }

    @Test
    void laysOutWideDiamonds() {
        readAndWalk("30 levels of 8 members", kconfigDiamond(30, 8)).value().orElseThrow();
    }

    /** 50,000 nested structs: a recursive walk would overflow the stack. No time bound: this is about depth. */
    @Test
    void laysOutChainsTooDeepForRecursion() {
        ObjectSpec spec = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> ObjectSpec.read("deep.o", kconfigDiamond(50_000, 1)));
        Btf btf = spec.btf().orElseThrow();
        int top = spec.variable("CONFIG_DIAMOND").orElseThrow().typeId();
        assertEquals(4, btf.alignOf(top));
        assertEquals(4, btf.sizeOf(top));
        assertEquals("struct s49999", btf.describe(top));
    }

    @Test
    void rejectsAStructThatContainsItselfNamingIt() {
        List<BtfType> types = new ArrayList<>(List.of(new BtfType.Void(), intType(1)));
        types.add(new BtfType.Struct(2, "outer", 8, List.of(new BtfType.Member("a", 1, 0, 0),
                new BtfType.Member("b", 3, 32, 0))));
        types.add(new BtfType.Struct(3, "inner", 4, List.of(new BtfType.Member("back", 4, 0, 0))));
        types.add(new BtfType.Array(4, 2, 1, 1));
        Btf btf = Btf.of(types, LE);
        for (int id : new int[] {2, 3, 4}) {
            ObjectFormatException e = ParseBounds.within("alignment of a self-containing struct", () -> {
                try {
                    btf.alignOf(id);
                    return null;
                } catch (ObjectFormatException ex) {
                    return ex;
                }
            }).value().orElseThrow();
            assertTrue(e.getMessage().contains("contains itself"), e.getMessage());
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Data sections of type SHT_NOBITS, as large as they come

    @ParameterizedTest
    @ValueSource(strings = {".bss", ".data", ".rodata.big"})
    void readsAHalfGibibyteNobitsSectionWithoutAllocatingIt(String section) {
        long size = ObjectSpecReader.MAX_DATA_SIZE;
        ElfWriter elf = new ElfWriter(LE);
        int bss = elf.nobits(section, DATA, size);
        elf.symbol("big", bss, 0, size, ElfWriter.STT_OBJECT);
        byte[] object = elf.bytes();
        assertTrue(object.length < 1024, "a " + object.length + "-byte object");
        ObjectSpec spec = readAndWalk(section + " of " + size + " bytes", object).value().orElseThrow();
        MapSpec map = spec.map(section).orElseThrow();
        assertEquals(size, map.valueSize());
        assertEquals(size, spec.variable("big").orElseThrow().size());
    }

    @Test
    void readsFourLargeNobitsSectionsWithinTheBounds() {
        ElfWriter elf = new ElfWriter(LE);
        for (String name : List.of(".bss", ".bss.a", ".data.b", ".rodata.c")) {
            elf.nobits(name, DATA, ObjectSpecReader.MAX_DATA_SIZE);
        }
        ObjectSpec spec = readAndWalk("four NOBITS sections", elf.bytes()).value().orElseThrow();
        assertEquals(4, spec.maps().size());
    }

    @Test
    void rejectsANobitsSectionLargerThanAnyMapValue() {
        ElfWriter elf = new ElfWriter(LE);
        elf.nobits(".bss", DATA, 1L << 30);
        BpfException e = readAndWalk("1 GiB .bss", elf.bytes()).rejection().orElseThrow();
        assertTrue(e instanceof ObjectFormatException && e.getMessage().contains("data section .bss of 1073741824 "
                + "bytes is too large for a map value (at most 536870912 bytes"), e.getMessage());
        elf = new ElfWriter(LE);
        elf.nobits(".bss", DATA, -8);
        e = readAndWalk("2^64 - 8 byte .bss", elf.bytes()).rejection().orElseThrow();
        assertTrue(e.getMessage().contains("18446744073709551608 bytes is too large"), e.getMessage());
    }

    @Test
    void makesTheZerosOfNobitsOnlyWhenAsked() {
        ElfWriter elf = new ElfWriter(LE);
        elf.nobits(".bss", DATA, 24);
        MapSpec bss = ObjectSpec.read("small.o", elf.bytes()).map(".bss").orElseThrow();
        assertEquals(24, bss.valueSize());
        assertTrue(Arrays.equals(new byte[24], bss.contents()));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Other inputs whose counts and offsets once drove allocation

    @Test
    void rejectsSectionsThatOverlap() {
        ElfWriter elf = new ElfWriter(LE);
        elf.section(".data", ElfWriter.SHT_PROGBITS, DATA, new byte[64]);
        byte[] object = elf.bytes();
        // Point .symtab (section 2) at .data's bytes.
        io.github.bpf2java.ebpf.internal.elf.ElfFile parsed = io.github.bpf2java.ebpf.internal.elf.ElfFile.parse(object);
        long dataOffset = parsed.section(1).offset();
        long shoff = java.nio.ByteBuffer.wrap(object).order(LE).getLong(40);
        java.nio.ByteBuffer.wrap(object).order(LE).putLong((int) (shoff + 64L * 2 + 24), dataOffset + 8);
        BpfException e = readAndWalk("overlapping sections", object).rejection().orElseThrow();
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void rejectsNamesLongerThanTheCap() {
        String longName = "x".repeat(io.github.bpf2java.ebpf.internal.elf.ElfFile.MAX_NAME_LENGTH + 1);
        ElfWriter elf = new ElfWriter(LE);
        elf.section(".data", ElfWriter.SHT_PROGBITS, DATA, new byte[8]);
        elf.symbol(longName, 1, 0, 8, ElfWriter.STT_OBJECT);
        BpfException e = readAndWalk("a long symbol name", elf.bytes()).rejection().orElseThrow();
        assertTrue(e.getMessage().contains("longer than 1024 bytes"), e.getMessage());

        List<BtfType> types = List.of(new BtfType.Void(),
                new BtfType.Int(1, "i".repeat(Btf.MAX_NAME_LENGTH + 1), 4, true, false, false, 0, 32));
        byte[] raw = btf(types);
        ObjectFormatException be = ParseBounds.within("a long BTF name", () -> {
            try {
                Btf.parse(raw, LE);
                return null;
            } catch (ObjectFormatException ex) {
                return ex;
            }
        }).value().orElseThrow();
        assertTrue(be.getMessage().contains("longer than 512 bytes"), be.getMessage());
    }

    /**
     * Thousands of symbols naming overlapping parts of one long name, and thousands naming the same one: with names
     * capped and read once per offset, the strings stay a small multiple of the file.
     */
    @Test
    void readsManySymbolsNamingOneStringTableWithinTheBounds() {
        ElfWriter elf = new ElfWriter(LE);
        int data = elf.section(".data", ElfWriter.SHT_PROGBITS, DATA, new byte[8]);
        String name = "n".repeat(io.github.bpf2java.ebpf.internal.elf.ElfFile.MAX_NAME_LENGTH);
        for (int i = 0; i < 20_000; i++) {
            elf.symbol(name, data, 0, 8, ElfWriter.STT_OBJECT);
        }
        byte[] object = elf.bytes();
        Outcome<ObjectSpec> outcome = readAndWalk("20,000 symbols of one name", object);
        assertTrue(outcome.allocated() < 16L * object.length + (8 << 20),
                outcome.allocated() + " bytes for a " + object.length + "-byte object");
        assertEquals(name.getBytes(StandardCharsets.UTF_8).length, 1024);
    }

    @Test
    void rejectsTwoDataSectionsOfOneName() {
        ElfWriter elf = new ElfWriter(LE);
        elf.section(".data", ElfWriter.SHT_PROGBITS, DATA, new byte[8]);
        elf.section(".data", ElfWriter.SHT_PROGBITS, DATA, new byte[8]);
        BpfException e = readAndWalk("two .data", elf.bytes()).rejection().orElseThrow();
        assertTrue(e.getMessage().contains("two global data sections are named .data"), e.getMessage());
    }
}

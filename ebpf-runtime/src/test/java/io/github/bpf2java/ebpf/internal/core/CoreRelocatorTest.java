package io.github.bpf2java.ebpf.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Array;
import io.github.bpf2java.ebpf.btf.BtfType.Enum;
import io.github.bpf2java.ebpf.btf.BtfType.EnumValue;
import io.github.bpf2java.ebpf.btf.BtfType.Int;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.btf.BtfType.Pointer;
import io.github.bpf2java.ebpf.btf.BtfType.Struct;
import io.github.bpf2java.ebpf.btf.BtfType.Typedef;
import io.github.bpf2java.ebpf.btf.BtfType.Union;
import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.internal.asm.Opcodes;
import io.github.bpf2java.ebpf.spec.CoreRelocationKind;
import io.github.bpf2java.ebpf.spec.FunctionSpec.CoreRelocation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relocation engine against hand-built BTF: every kind, the matching rules, and each way of patching. */
class CoreRelocatorTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int LDX_W = 0x61;
    private static final int LDX_DW = 0x79;
    private static final int ALU64_ADD_K = 0x07;
    private static final int MOV64_K = 0xb7;

    // Local (the object's) types.
    private static final int L_INT = 1;
    private static final int L_S = 2;
    private static final int L_UINT = 3;
    private static final int L_BITS = 4;
    private static final int L_ARR = 6;
    private static final int L_ENUM = 7;
    private static final int L_PTR = 8;
    private static final int L_U64 = 9;
    private static final int L_WIDE = 10;
    private static final int L_ANON = 11;
    private static final int L_TYPEDEF = 12;
    private static final int L_FLEX = 14;

    private static Btf local() {
        return btf(
                new Int(L_INT, "int", 4, true, false, false, 0, 32),
                new Struct(L_S, "s___v1", 12, List.of(m("a", L_INT, 0), m("b", L_INT, 32), m("c", L_INT, 64))),
                new Int(L_UINT, "unsigned int", 4, false, false, false, 0, 32),
                new Struct(L_BITS, "bits", 8, List.of(new Member("x", L_UINT, 0, 3), new Member("y", L_UINT, 3, 7),
                        new Member("z", L_UINT, 10, 6))),
                new Array(5, L_INT, L_INT, 4),
                new Struct(L_ARR, "arr", 16, List.of(m("v", 5, 0))),
                new Enum(L_ENUM, "e___v1", 4, false, List.of(new EnumValue("A___v1", 0), new EnumValue("B", 1),
                        new EnumValue("GONE", 2))),
                new Pointer(L_PTR, L_S),
                new Int(L_U64, "unsigned long long", 8, false, false, false, 0, 64),
                new Struct(L_WIDE, "wide", 16, List.of(m("u", L_U64, 0), m("p", L_PTR, 64))),
                new Struct(L_ANON, "", 4, List.of(m("a", L_INT, 0))),
                new Typedef(L_TYPEDEF, "s_t", L_S),
                new Array(13, L_INT, L_INT, 0),
                new Struct(L_FLEX, "flex", 4, List.of(m("n", L_INT, 0), m("data", 13, 32))));
    }

    // Target (the kernel's) types.
    private static Btf target() {
        return btf(
                new Int(1, "int", 4, true, false, false, 0, 32),
                // s: c first, then a field the object does not know, then a and b inside an anonymous union.
                new Struct(2, "s", 20, List.of(m("c", 1, 0), m("x", 1, 32), m("", 9, 64))),
                new Int(3, "unsigned int", 4, false, false, false, 0, 32),
                new Struct(4, "bits", 8, List.of(new Member("x", 3, 29, 3), new Member("y", 3, 40, 7),
                        new Member("z", 3, 30, 6))),
                new Array(5, 1, 1, 2),
                new Struct(6, "arr", 12, List.of(m("pad", 1, 0), m("v", 5, 32))),
                new Enum(7, "e", 8, true, List.of(new EnumValue("B", 7), new EnumValue("A", -9))),
                new Pointer(8, 2),
                new Union(9, "", 12, List.of(m("", 10, 0))),
                new Struct(10, "", 12, List.of(m("pad2", 1, 0), m("a", 1, 32), m("b", 1, 64))),
                new Struct(11, "wide", 12, List.of(m("u", 3, 0), m("p", 8, 32))),
                new Typedef(12, "s_t", 2),
                new Array(13, 1, 1, 0),
                new Struct(14, "flex", 4, List.of(m("n", 1, 0), m("data", 13, 32))));
    }

    private static Member m(String name, int type, long bitOffset) {
        return new Member(name, type, bitOffset, 0);
    }

    private static Btf btf(BtfType... types) {
        List<BtfType> all = new ArrayList<>();
        all.add(new BtfType.Void());
        all.addAll(Arrays.asList(types));
        return Btf.of(all, LE);
    }

    private static CoreRelocation relo(int type, String access, CoreRelocationKind kind) {
        return new CoreRelocation(0, type, access, kind);
    }

    private static Instructions insn(int opcode, int dst, int src, int off, int imm) {
        Instructions code = Instructions.allocate(1, LE);
        code.setOpcode(0, opcode);
        code.setRegisters(0, dst, src);
        code.setOffset(0, (short) off);
        code.setImmediate(0, imm);
        return code;
    }

    private static Instructions ldImm64(long value) {
        Instructions code = Instructions.allocate(2, LE);
        code.setOpcode(0, Opcodes.LD_IMM64);
        code.setImmediate64(0, value);
        return code;
    }

    private static CoreOutcome run(Btf target, Instructions code, CoreRelocation relocation) {
        return new CoreRelocator(local(), TargetTypes.of(target)).relocate(code, relocation);
    }

    private static long imm64(Instructions code) {
        return Integer.toUnsignedLong(code.immediate(0)) | (long) code.immediate(1) << 32;
    }

    @Test
    void flavorsAreStrippedAtTheLastSeparator() {
        assertEquals("task_struct", CoreTypes.essentialName("task_struct___v1"));
        assertEquals("x___y", CoreTypes.essentialName("x___y___z"));
        assertEquals("a____b", CoreTypes.essentialName("a____b"), "four underscores are no separator");
        assertEquals("___x", CoreTypes.essentialName("___x"));
        assertEquals("plain", CoreTypes.essentialName("plain"));
    }

    @Test
    void aMovedFieldPatchesTheLoadOffset() {
        Instructions code = insn(LDX_W, 0, 1, 4, 0);
        CoreOutcome out = run(target(), code, relo(L_S, "0:1", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertFalse(out.poisoned());
        assertEquals(16, code.offset(0), "b sits at byte 16 of the target, inside an anonymous union and struct");
        assertEquals(LDX_W, code.opcode(0));
        assertEquals("s.b", out.accessString());
        assertEquals("struct s___v1", out.localType());
    }

    @Test
    void anAluImmediateTakesTheNewOffset() {
        Instructions code = insn(ALU64_ADD_K, 1, 0, 0, 8);
        run(target(), code, relo(L_S, "0:2", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertEquals(0, code.immediate(0), "c moved to the front");
    }

    @Test
    void anInstructionThatDisagreesWithTheObjectsBtfIsRefused() {
        Instructions code = insn(ALU64_ADD_K, 1, 0, 0, 5);
        CoreSpecException e = assertThrows(CoreSpecException.class,
                () -> run(target(), code, relo(L_S, "0:2", CoreRelocationKind.FIELD_BYTE_OFFSET)));
        assertTrue(e.getMessage().contains("is 5 where the object's BTF says 8"), e.getMessage());
    }

    @Test
    void aMissingFieldPoisonsTheInstruction() {
        Btf noB = btf(new Int(1, "int", 4, true, false, false, 0, 32),
                new Struct(2, "s", 8, List.of(m("a", 1, 0), m("c", 1, 32))));
        Instructions code = insn(LDX_W, 0, 1, 4, 0);
        CoreOutcome out = run(noB, code, relo(L_S, "0:1", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertTrue(out.poisoned());
        assertTrue(out.reason().contains("has no field 'b'"), out.reason());
        assertEquals(Opcodes.CALL, code.opcode(0));
        assertEquals(CoreRelocator.POISON_HELPER, code.immediate(0));
        assertEquals(195896080, code.immediate(0));
        assertEquals(0, code.offset(0));
        assertEquals(0, code.destinationRegister(0));

        Instructions exists = insn(MOV64_K, 0, 0, 0, 1);
        CoreOutcome e = run(noB, exists, relo(L_S, "0:1", CoreRelocationKind.FIELD_EXISTS));
        assertFalse(e.poisoned(), "existence of a missing field is an answer, 0");
        assertEquals(0, exists.immediate(0));
    }

    @Test
    void aMissingTypeIsNamed() {
        Btf none = btf(new Int(1, "int", 4, true, false, false, 0, 32));
        CoreOutcome out = run(none, insn(LDX_W, 0, 1, 0, 0), relo(L_S, "0:0", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertTrue(out.poisoned());
        assertEquals("the target has no struct named 's'", out.reason());
        Instructions exists = insn(MOV64_K, 0, 0, 0, 1);
        run(none, exists, relo(L_S, "0", CoreRelocationKind.TYPE_EXISTS));
        assertEquals(0, exists.immediate(0), "type existence of a missing type is 0, not poison");
    }

    @Test
    void fieldSizeSignednessAndExistence() {
        Instructions size = insn(MOV64_K, 0, 0, 0, 16);
        run(target(), size, relo(L_ARR, "0:0", CoreRelocationKind.FIELD_BYTE_SIZE));
        assertEquals(8, size.immediate(0), "int[2] in the target");
        Instructions signed = insn(MOV64_K, 0, 0, 0, 1);
        run(target(), signed, relo(L_S, "0:0", CoreRelocationKind.FIELD_SIGNED));
        assertEquals(1, signed.immediate(0));
        Instructions unsigned = insn(MOV64_K, 0, 0, 0, 0);
        run(target(), unsigned, relo(L_WIDE, "0:0", CoreRelocationKind.FIELD_SIGNED));
        assertEquals(0, unsigned.immediate(0));
    }

    @Test
    void bitfieldsGetTheSmallestCoveringLoadAndShifts() {
        // y: 7 bits at bit 40 of the target: a 4-byte load at byte 4, shifted left 49 and right 57.
        assertEquals(4, bitfield("0:1", CoreRelocationKind.FIELD_BYTE_OFFSET, LE));
        assertEquals(4, bitfield("0:1", CoreRelocationKind.FIELD_BYTE_SIZE, LE));
        assertEquals(49, bitfield("0:1", CoreRelocationKind.FIELD_LSHIFT_U64, LE));
        assertEquals(57, bitfield("0:1", CoreRelocationKind.FIELD_RSHIFT_U64, LE));
        assertEquals(40, bitfield("0:1", CoreRelocationKind.FIELD_LSHIFT_U64, ByteOrder.BIG_ENDIAN));
        // z: 6 bits at bit 30 straddle two 4-byte words: an 8-byte load at byte 0.
        assertEquals(0, bitfield("0:2", CoreRelocationKind.FIELD_BYTE_OFFSET, LE));
        assertEquals(8, bitfield("0:2", CoreRelocationKind.FIELD_BYTE_SIZE, LE));
        assertEquals(28, bitfield("0:2", CoreRelocationKind.FIELD_LSHIFT_U64, LE));
        assertEquals(58, bitfield("0:2", CoreRelocationKind.FIELD_RSHIFT_U64, LE));
        // x: 3 bits at bit 29.
        assertEquals(32, bitfield("0:0", CoreRelocationKind.FIELD_LSHIFT_U64, LE));
        assertEquals(61, bitfield("0:0", CoreRelocationKind.FIELD_RSHIFT_U64, LE));
    }

    private static int bitfield(String access, CoreRelocationKind kind, ByteOrder order) {
        Instructions code = Instructions.allocate(1, order);
        code.setOpcode(0, MOV64_K);
        // Bitfield offsets, sizes and left shifts are not checked against what the compiler wrote (it may choose
        // another load); right shifts are, and equal the local ones here (same widths).
        int bits = access.equals("0:0") ? 3 : access.equals("0:1") ? 7 : 6;
        code.setImmediate(0, kind == CoreRelocationKind.FIELD_RSHIFT_U64 ? 64 - bits : 12345);
        Btf localBtf = Btf.of(local().types(), order);
        Btf targetBtf = Btf.of(target().types(), order);
        new CoreRelocator(localBtf, TargetTypes.of(targetBtf)).relocate(code, relo(L_BITS, access, kind));
        return code.immediate(0);
    }

    @Test
    void arrayElementsRelocateAndOutOfRangeIndicesPoison() {
        Instructions code = insn(LDX_W, 0, 1, 4, 0);
        CoreOutcome ok = run(target(), code, relo(L_ARR, "0:0:1", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertEquals("arr.v[1]", ok.accessString());
        assertEquals(8, code.offset(0), "v at byte 4 of the target, element 1 four bytes further");
        CoreOutcome out = run(target(), insn(LDX_W, 0, 1, 12, 0),
                relo(L_ARR, "0:0:3", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertTrue(out.poisoned(), "the target's array has 2 elements");
        assertTrue(out.reason().contains("has no element 3"), out.reason());
        Instructions flex = insn(LDX_W, 0, 1, 24, 0);
        run(target(), flex, relo(L_FLEX, "0:1:5", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertEquals(24, flex.offset(0), "a flexible array member is indexed past its zero length");
    }

    @Test
    void enumValuesRelocateByEnumeratorName() {
        Instructions b = ldImm64(1);
        run(target(), b, relo(L_ENUM, "1", CoreRelocationKind.ENUMVAL_VALUE));
        assertEquals(7, imm64(b), "B is 7 in the target's 64-bit enum");
        Instructions a = ldImm64(0);
        CoreOutcome out = run(target(), a, relo(L_ENUM, "0", CoreRelocationKind.ENUMVAL_VALUE));
        assertEquals(-9, imm64(a), "the flavor of A___v1 is ignored; 64-bit signed values keep their sign");
        assertEquals("e::A___v1", out.accessString());
        Instructions gone = ldImm64(1);
        run(target(), gone, relo(L_ENUM, "2", CoreRelocationKind.ENUMVAL_EXISTS));
        assertEquals(0, imm64(gone));
        Instructions poisoned = ldImm64(2);
        CoreOutcome p = run(target(), poisoned, relo(L_ENUM, "2", CoreRelocationKind.ENUMVAL_VALUE));
        assertTrue(p.poisoned());
        assertEquals(Opcodes.CALL, poisoned.opcode(0));
        assertEquals(Opcodes.CALL, poisoned.opcode(1), "both halves of ld_imm64 are poisoned");
    }

    @Test
    void typeRelocations() {
        Instructions size = insn(MOV64_K, 0, 0, 0, 12);
        run(target(), size, relo(L_S, "0", CoreRelocationKind.TYPE_SIZE));
        assertEquals(20, size.immediate(0));
        Instructions id = ldImm64(L_S);
        run(target(), id, relo(L_S, "0", CoreRelocationKind.TYPE_ID_TARGET));
        assertEquals(2, imm64(id));
        Instructions localId = ldImm64(L_TYPEDEF);
        run(target(), localId, relo(L_TYPEDEF, "0", CoreRelocationKind.TYPE_ID_LOCAL));
        assertEquals(L_TYPEDEF, imm64(localId));
        Instructions typedefExists = insn(MOV64_K, 0, 0, 0, 1);
        run(target(), typedefExists, relo(L_TYPEDEF, "0", CoreRelocationKind.TYPE_EXISTS));
        assertEquals(1, typedefExists.immediate(0), "a typedef finds the typedef of that name");
        Instructions matches = insn(MOV64_K, 0, 0, 0, 1);
        run(target(), matches, relo(L_WIDE, "0", CoreRelocationKind.TYPE_MATCHES));
        assertEquals(0, matches.immediate(0), "wide's u is 8 bytes here and 4 in the target: no match");
        Instructions wideExists = insn(MOV64_K, 0, 0, 0, 1);
        run(target(), wideExists, relo(L_WIDE, "0", CoreRelocationKind.TYPE_EXISTS));
        assertEquals(1, wideExists.immediate(0), "yet it exists: struct kinds and names are all that count");
        assertFalse(CoreTypes.typesMatch(local(), L_S, target(), 2),
                "matching wants every member by name at the top level: a and b hide in an anonymous union");
        assertTrue(CoreTypes.typesMatch(local(), L_ARR, target(), 6) == false, "int[4] against int[2]");
        assertTrue(CoreTypes.typesAreCompatible(local(), L_ARR, target(), 6), "but compatible for existence");
        assertThrows(CoreSpecException.class, () -> run(target(), insn(MOV64_K, 0, 0, 0, 1),
                relo(L_ANON, "0", CoreRelocationKind.TYPE_EXISTS)), "anonymous types have no name to look up");
    }

    @Test
    void loadsShrinkForUnsignedIntegersAndPointersButNotSignedOnes() {
        Instructions u = insn(LDX_DW, 0, 1, 0, 0);
        run(target(), u, relo(L_WIDE, "0:0", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertEquals(LDX_W, u.opcode(0), "u64 to u32: the load becomes 4 bytes");
        Instructions p = insn(LDX_DW, 0, 1, 8, 0);
        run(target(), p, relo(L_WIDE, "0:1", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertEquals(4, p.offset(0));
        assertEquals(LDX_DW, p.opcode(0), "pointers stay 8 bytes in BPF");

        Btf signedWide = btf(new Int(1, "long", 8, true, false, false, 0, 64),
                new Struct(2, "wide", 8, List.of(m("u", 1, 0))));
        Btf signedNarrow = btf(new Int(1, "int", 4, true, false, false, 0, 32),
                new Struct(2, "wide", 4, List.of(m("u", 1, 0))));
        Instructions s = insn(LDX_DW, 0, 1, 0, 0);
        CoreOutcome out = new CoreRelocator(signedWide, TargetTypes.of(signedNarrow)).relocate(s,
                relo(2, "0:0", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertTrue(out.poisoned());
        assertTrue(out.reason().contains("from 8 to 4 bytes"), out.reason());
    }

    @Test
    void candidatesThatDisagreeAreAnError() {
        Btf two = btf(new Int(1, "int", 4, true, false, false, 0, 32),
                new Struct(2, "s", 12, List.of(m("a", 1, 0), m("b", 1, 32), m("c", 1, 64))),
                new Struct(3, "s___other", 12, List.of(m("b", 1, 0), m("a", 1, 32), m("c", 1, 64))));
        CoreSpecException e = assertThrows(CoreSpecException.class, () -> run(two, insn(LDX_W, 0, 1, 4, 0),
                relo(L_S, "0:1", CoreRelocationKind.FIELD_BYTE_OFFSET)));
        assertTrue(e.getMessage().contains("both match but give different values"), e.getMessage());
        Instructions c = insn(LDX_W, 0, 1, 8, 0);
        run(two, c, relo(L_S, "0:2", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertEquals(8, c.offset(0), "where both agree, either will do");
    }

    @Test
    void incompatibleFieldTypesDoNotMatch() {
        Btf pointerA = btf(new Int(1, "int", 4, true, false, false, 0, 32), new Pointer(2, 1),
                new Struct(3, "s", 8, List.of(m("a", 2, 0))));
        CoreOutcome out = run(pointerA, insn(LDX_W, 0, 1, 0, 0), relo(L_S, "0:0",
                CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertTrue(out.poisoned());
        assertTrue(out.reason().contains("incompatible type"), out.reason());
    }

    @Test
    void malformedAccessStringsAreRefused() {
        assertThrows(CoreSpecException.class, () -> run(target(), insn(LDX_W, 0, 1, 0, 0),
                relo(L_S, "0:x", CoreRelocationKind.FIELD_BYTE_OFFSET)));
        assertThrows(CoreSpecException.class, () -> run(target(), insn(LDX_W, 0, 1, 0, 0),
                relo(L_S, "0:9", CoreRelocationKind.FIELD_BYTE_OFFSET)));
        assertThrows(CoreSpecException.class, () -> run(target(), insn(MOV64_K, 0, 0, 0, 0),
                relo(L_S, "0:1", CoreRelocationKind.TYPE_SIZE)));
        assertThrows(CoreSpecException.class, () -> run(target(), insn(LDX_W, 0, 1, 0, 0),
                relo(999, "0", CoreRelocationKind.FIELD_BYTE_OFFSET)));
    }

    @Test
    void typesMissingFromVmlinuxAreLookedUpInModules() {
        Btf vmlinux = Btf.parse(btf(new Int(1, "int", 4, true, false, false, 0, 32)).rawBytes(), LE);
        Btf module = Btf.parseSplit(splitStruct(vmlinux, "s", "b", 1, 96), vmlinux);
        Instructions code = insn(LDX_W, 0, 1, 4, 0);
        TargetTypes targets = TargetTypes.withModules(vmlinux, () -> List.of(module));
        new CoreRelocator(local(), targets).relocate(code, relo(L_S, "0:1", CoreRelocationKind.FIELD_BYTE_OFFSET));
        assertEquals(12, code.offset(0));
    }

    /** Raw split BTF holding one struct {@code name} with one member of base type {@code memberType}. */
    private static byte[] splitStruct(Btf base, String name, String member, int memberType, int bitOffset) {
        byte[] baseBytes = base.rawBytes();
        int baseStrings = ByteBuffer.wrap(baseBytes).order(LE).getInt(20);
        byte[] strings = ("\0" + name + "\0" + member + "\0").getBytes(StandardCharsets.UTF_8);
        ByteBuffer types = ByteBuffer.allocate(24).order(LE);
        types.putInt(baseStrings + 1).putInt(4 << 24 | 1).putInt(16);
        types.putInt(baseStrings + 2 + name.length()).putInt(memberType).putInt(bitOffset);
        ByteBuffer out = ByteBuffer.allocate(24 + 24 + strings.length).order(LE);
        out.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        out.putInt(0).putInt(24).putInt(24).putInt(strings.length);
        out.put(types.array()).put(strings);
        return out.array();
    }
}

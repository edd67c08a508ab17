package io.github.bpf2java.ebpf.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A tiny eBPF assembler for tests: enough instructions to write the small programs that exercise the syscall layer
 * (return a constant, bump a map counter). Encodes {@code struct bpf_insn} in host byte order; the register
 * nibbles swap places on big-endian hosts as the C bit fields do.
 */
public final class Asm {
    /** {@code BPF_PSEUDO_MAP_FD}: the {@code src_reg} marking a {@code ld_imm64} of a map descriptor. */
    public static final int PSEUDO_MAP_FD = 1;
    /** {@code BPF_FUNC_map_lookup_elem}. */
    public static final int FUNC_MAP_LOOKUP_ELEM = 1;
    /** {@code BPF_FUNC_get_smp_processor_id}. */
    public static final int FUNC_GET_SMP_PROCESSOR_ID = 8;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** {@code dst = imm} (64-bit). */
    public Asm mov(int dst, int imm) {
        return insn(0xb7, dst, 0, 0, imm);
    }

    /** {@code dst = src} (64-bit). */
    public Asm movReg(int dst, int src) {
        return insn(0xbf, dst, src, 0, 0);
    }

    /** {@code dst += imm} (64-bit). */
    public Asm add(int dst, int imm) {
        return insn(0x07, dst, 0, 0, imm);
    }

    /** {@code *(u32 *)(dst + off) = src}. */
    public Asm storeWord(int dst, int off, int src) {
        return insn(0x63, dst, src, off, 0);
    }

    /** {@code dst = *(u64 *)(src + off)}. */
    public Asm loadDouble(int dst, int src, int off) {
        return insn(0x79, dst, src, off, 0);
    }

    /** {@code lock *(u64 *)(dst + off) += src}: an atomic add. */
    public Asm atomicAdd(int dst, int off, int src) {
        return insn(0xdb, dst, src, off, 0);
    }

    /** {@code if dst == imm goto +off}. */
    public Asm jumpIfEqual(int dst, int imm, int off) {
        return insn(0x15, dst, 0, off, imm);
    }

    /** {@code call helper}. */
    public Asm call(int helper) {
        return insn(0x85, 0, 0, 0, helper);
    }

    /** {@code dst = map} as a {@code ld_imm64} with {@code src_reg = BPF_PSEUDO_MAP_FD}: two instruction slots. */
    public Asm loadMapFd(int dst, int mapFd) {
        insn(0x18, dst, PSEUDO_MAP_FD, 0, mapFd);
        return insn(0, 0, 0, 0, 0);
    }

    /** Any instruction, by its fields. */
    public Asm instruction(int opcode, int dst, int src, int off, int imm) {
        return insn(opcode, dst, src, off, imm);
    }

    /** {@code exit}. */
    public Asm exit() {
        return insn(0x95, 0, 0, 0, 0);
    }

    /** The instructions so far. */
    public byte[] bytes() {
        return out.toByteArray();
    }

    /** A program that returns {@code value}. */
    public static byte[] returning(int value) {
        return new Asm().mov(0, value).exit().bytes();
    }

    /**
     * A program that atomically adds 1 to the 64-bit value at key 0 of the array map {@code mapFd} and returns 0.
     */
    public static byte[] countingInto(int mapFd) {
        return new Asm()
                .mov(1, 0)
                .storeWord(10, -4, 1)          // u32 key = 0 on the stack
                .movReg(2, 10)
                .add(2, -4)                    // r2 = &key
                .loadMapFd(1, mapFd)           // r1 = map
                .call(FUNC_MAP_LOOKUP_ELEM)
                .jumpIfEqual(0, 0, 2)          // no value: skip the add
                .mov(1, 1)
                .atomicAdd(0, 0, 1)
                .mov(0, 0)
                .exit()
                .bytes();
    }

    private Asm insn(int code, int dst, int src, int off, int imm) {
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        int regs = little ? (src << 4) | dst : (dst << 4) | src;
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.put((byte) code).put((byte) regs).putShort((short) off).putInt(imm);
        out.writeBytes(b.array());
        return this;
    }
}

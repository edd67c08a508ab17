package io.github.bpf2java.ebpf.internal.probe;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The few instructions probe programs are made of, in the host's byte order. */
final class ProbeCode {
    /** {@code BPF_PSEUDO_MAP_VALUE}: a 64-bit load of an address inside a map's value. */
    private static final int PSEUDO_MAP_VALUE = 2;
    private static final int REGISTER_0 = 0;
    private static final int REGISTER_1 = 1;

    private final ByteBuffer code;

    private ProbeCode(int instructions) {
        code = ByteBuffer.allocate(instructions * 8).order(ByteOrder.nativeOrder());
    }

    /** {@code r0 = 0; exit}. */
    static byte[] returnZero() {
        return new ProbeCode(2).movZero().exit().bytes();
    }

    /** {@code call helper; exit}: the verifier names an unknown helper before it looks at the arguments. */
    static byte[] callHelper(int helper) {
        return new ProbeCode(2).put(0x85, 0, 0, 0, helper).exit().bytes();
    }

    /** {@code r1 = &map[0] + 0; *(u64 *)(r1 + 0) = 42; r0 = 0; exit}: a store into global data. */
    static byte[] storeIntoMapValue(int mapFd) {
        return new ProbeCode(5)
                .put(0x18, REGISTER_1, PSEUDO_MAP_VALUE, 0, mapFd).put(0, 0, 0, 0, 0) // ld_imm64, value offset 0
                .put(0x7a, REGISTER_1, 0, 0, 42) // BPF_ST | BPF_MEM | BPF_DW
                .movZero().exit().bytes();
    }

    /** {@code r0 = 0; if r0 < 1 goto +0; exit}: {@code BPF_JLT}, of instruction set v2 (Linux 4.14). */
    static byte[] jumpIfLess() {
        return new ProbeCode(3).movZero().put(0xa5, REGISTER_0, 0, 0, 1).exit().bytes();
    }

    /** {@code r0 = 0; if w0 < 1 goto +0; exit}: a 32-bit jump, of instruction set v3 (Linux 5.1). */
    static byte[] jump32() {
        return new ProbeCode(3).movZero().put(0xa6, REGISTER_0, 0, 0, 1).exit().bytes();
    }

    /** {@code r0 = 0; r0 = (s8) r0; exit}: a sign-extending move, of instruction set v4 (Linux 6.6). */
    static byte[] signExtendingMove() {
        return new ProbeCode(3).movZero().put(0xbf, REGISTER_0, REGISTER_0, 8, 0).exit().bytes();
    }

    /** {@code r0 = 10; loop: r0 -= 1; if r0 != 0 goto loop; exit}: a backward jump (bounded loops, Linux 5.3). */
    static byte[] boundedLoop() {
        return new ProbeCode(4).put(0xb7, REGISTER_0, 0, 0, 10).put(0x17, REGISTER_0, 0, 0, 1)
                .put(0x55, REGISTER_0, 0, -2, 0).exit().bytes();
    }

    /** 4096 times {@code r0 = 0}, then {@code exit}: one past the old limit of 4096 instructions (Linux 5.2). */
    static byte[] largeProgram() {
        ProbeCode code = new ProbeCode(4097);
        for (int i = 0; i < 4096; i++) {
            code.movZero();
        }
        return code.exit().bytes();
    }

    private ProbeCode movZero() {
        return put(0xb7, REGISTER_0, 0, 0, 0);
    }

    private ProbeCode exit() {
        return put(0x95, 0, 0, 0, 0);
    }

    private ProbeCode put(int opcode, int dst, int src, int offset, int immediate) {
        // The registers share a byte: dst in the low nibble on little-endian hosts, the high one on big-endian.
        int registers = code.order() == ByteOrder.LITTLE_ENDIAN ? (src << 4 | dst) : (dst << 4 | src);
        code.put((byte) opcode).put((byte) registers).putShort((short) offset).putInt(immediate);
        return this;
    }

    private byte[] bytes() {
        return code.array();
    }
}

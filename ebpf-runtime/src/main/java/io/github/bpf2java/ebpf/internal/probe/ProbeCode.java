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

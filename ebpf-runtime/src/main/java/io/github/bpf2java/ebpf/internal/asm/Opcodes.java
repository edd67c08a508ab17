package io.github.bpf2java.ebpf.internal.asm;

/**
 * The instruction encoding facts the loader needs, from {@code linux/bpf_common.h} and {@code linux/bpf.h}. Only
 * what relocation and linking touch is here; this is not an assembler.
 */
public final class Opcodes {
    /** Size of one instruction slot in bytes; {@code ld_imm64} takes two slots. */
    public static final int INSTRUCTION_SIZE = 8;

    /** {@code BPF_LD}: instruction class of {@code ld_imm64}. */
    public static final int CLASS_LD = 0x00;
    /** {@code BPF_LDX}. */
    public static final int CLASS_LDX = 0x01;
    /** {@code BPF_ST}. */
    public static final int CLASS_ST = 0x02;
    /** {@code BPF_STX}. */
    public static final int CLASS_STX = 0x03;
    /** {@code BPF_ALU}. */
    public static final int CLASS_ALU = 0x04;
    /** {@code BPF_JMP}. */
    public static final int CLASS_JMP = 0x05;
    /** {@code BPF_JMP32}. */
    public static final int CLASS_JMP32 = 0x06;
    /** {@code BPF_ALU64}. */
    public static final int CLASS_ALU64 = 0x07;

    /** {@code BPF_LD | BPF_IMM | BPF_DW}: the 16-byte load of a 64-bit immediate. */
    public static final int LD_IMM64 = 0x18;
    /** {@code BPF_JMP | BPF_CALL}. */
    public static final int CALL = 0x85;
    /** {@code BPF_JMP | BPF_EXIT}. */
    public static final int EXIT = 0x95;

    /** {@code BPF_PSEUDO_MAP_FD}: {@code ld_imm64} source register meaning "imm is a map fd". */
    public static final int PSEUDO_MAP_FD = 1;
    /** {@code BPF_PSEUDO_MAP_VALUE}: "imm is a map fd, the second imm an offset into its value". */
    public static final int PSEUDO_MAP_VALUE = 2;
    /** {@code BPF_PSEUDO_BTF_ID}: "imm is a kernel BTF id of a variable, the second imm a BTF object fd". */
    public static final int PSEUDO_BTF_ID = 3;
    /** {@code BPF_PSEUDO_FUNC}: "imm is the pc-relative offset of a function". */
    public static final int PSEUDO_FUNC = 4;

    /** {@code BPF_PSEUDO_CALL}: call source register meaning "imm is the pc-relative offset of a subprogram". */
    public static final int PSEUDO_CALL = 1;
    /** {@code BPF_PSEUDO_KFUNC_CALL}: "imm is the BTF id of a kernel function". */
    public static final int PSEUDO_KFUNC_CALL = 2;

    private Opcodes() {}

    /** The instruction class of an opcode ({@code BPF_CLASS}). */
    public static int instructionClass(int opcode) {
        return opcode & 0x07;
    }
}

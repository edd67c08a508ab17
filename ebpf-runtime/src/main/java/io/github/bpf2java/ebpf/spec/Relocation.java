package io.github.bpf2java.ebpf.spec;

/**
 * A reference from one instruction to something the loader must fill in. Offsets are in instructions (8-byte
 * slots) from the start of the function.
 */
public sealed interface Relocation {

    /** The instruction to patch. */
    int instructionOffset();

    /** {@code ld_imm64} of a map's file descriptor. */
    record MapReference(int instructionOffset, String mapName) implements Relocation {}

    /**
     * {@code ld_imm64} of an address inside a global data map ({@code .data}, {@code .rodata}, {@code .bss},
     * {@code .rodata.*}, ...): the map and the byte offset inside its value.
     */
    record MapValueReference(int instructionOffset, String mapName, long offset) implements Relocation {}

    /** A bpf-to-bpf {@code call} whose target is another function of the object. */
    record FunctionCall(int instructionOffset, String functionName) implements Relocation {}

    /** {@code ld_imm64} of a function's address ({@code BPF_PSEUDO_FUNC}), as callbacks use. */
    record FunctionPointer(int instructionOffset, String functionName) implements Relocation {}

    /**
     * A reference to an {@code extern} variable: in {@code .kconfig}, or a kernel symbol ({@code __ksym}).
     *
     * @param weak whether the extern is declared {@code __weak}: a kernel symbol the running kernel lacks then
     *             reads as 0 (and a call to such a kernel function must be guarded by {@code bpf_ksym_exists})
     *             instead of failing the load
     */
    record ExternReference(int instructionOffset, String symbolName, ExternKind kind, long offset, boolean weak)
            implements Relocation {

        /** A strong (not {@code __weak}) extern reference. */
        public ExternReference(int instructionOffset, String symbolName, ExternKind kind, long offset) {
            this(instructionOffset, symbolName, kind, offset, false);
        }
    }

    /**
     * {@code ld_imm64} of a global in BPF arena memory ({@code __arena}, section {@code .addr_space.1}): the section
     * and the byte offset inside it.
     */
    record ArenaReference(int instructionOffset, String sectionName, long offset) implements Relocation {}

    /** Where an extern lives. */
    enum ExternKind {
        /** A Kconfig value, {@code extern ... __kconfig}. */
        KCONFIG,
        /** A kernel variable or function, {@code extern ... __ksym}. */
        KSYM
    }
}

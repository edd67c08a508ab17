package io.github.bpf2java.ebpf.internal.elf;

import java.util.Optional;

/**
 * One entry of a relocation section ({@code Elf64_Rel}, or {@code Elf64_Rela} with its addend).
 *
 * @param offset      {@code r_offset}: the byte offset in the section the relocation applies to
 * @param symbolIndex {@code ELF64_R_SYM(r_info)}: the index into the symbol table
 * @param type        {@code ELF64_R_TYPE(r_info)}; for BPF see {@link BpfType}
 * @param addend      {@code r_addend} for {@code SHT_RELA}, 0 for {@code SHT_REL}
 */
public record ElfRelocation(long offset, int symbolIndex, int type, long addend) {

    /** The BPF relocation type, if {@link #type()} is one this reader knows. */
    public Optional<BpfType> bpfType() {
        return BpfType.of(type);
    }

    /** BPF relocation types ({@code R_BPF_*} from LLVM's {@code ELFRelocs/BPF.def}). */
    public enum BpfType {
        /** {@code R_BPF_NONE} = 0. */
        NONE(0),
        /** {@code R_BPF_64_64} = 1: a 64-bit immediate of {@code ld_imm64}. */
        R_64_64(1),
        /** {@code R_BPF_64_ABS64} = 2: a 64-bit data word. */
        R_64_ABS64(2),
        /** {@code R_BPF_64_ABS32} = 3: a 32-bit data word. */
        R_64_ABS32(3),
        /** {@code R_BPF_64_NODYLD32} = 4: a 32-bit data word in debug/BTF sections. */
        R_64_NODYLD32(4),
        /** {@code R_BPF_64_32} = 10: the 32-bit immediate of a {@code call}. */
        R_64_32(10);

        private final int value;

        BpfType(int value) {
            this.value = value;
        }

        /** The number in {@code r_info}. */
        public int value() {
            return value;
        }

        /** The type numbered {@code value}. */
        public static Optional<BpfType> of(int value) {
            for (BpfType t : values()) {
                if (t.value == value) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }
}

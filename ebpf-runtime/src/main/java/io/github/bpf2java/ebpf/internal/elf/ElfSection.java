package io.github.bpf2java.ebpf.internal.elf;

/**
 * One section header of an ELF64 file. The section's bytes are read through {@link ElfFile#contents(ElfSection)},
 * which has checked them against the file size.
 *
 * @param index     the section's index in the section header table
 * @param name      the name from the section header string table
 * @param type      {@code sh_type}, e.g. {@link #SHT_PROGBITS}
 * @param flags     {@code sh_flags}, e.g. {@link #SHF_EXECINSTR}
 * @param offset    {@code sh_offset}: where the bytes start in the file
 * @param size      {@code sh_size}: the byte size (for {@link #SHT_NOBITS} the size in memory, with no bytes in
 *                  the file)
 * @param link      {@code sh_link}
 * @param info      {@code sh_info}; for relocation sections the index of the section they apply to
 * @param addralign {@code sh_addralign}
 * @param entsize   {@code sh_entsize}: the size of one entry for tables
 */
public record ElfSection(int index, String name, int type, long flags, long offset, long size, int link, int info,
        long addralign, long entsize) {

    /** {@code SHT_NULL}. */
    public static final int SHT_NULL = 0;
    /** {@code SHT_PROGBITS}. */
    public static final int SHT_PROGBITS = 1;
    /** {@code SHT_SYMTAB}. */
    public static final int SHT_SYMTAB = 2;
    /** {@code SHT_STRTAB}. */
    public static final int SHT_STRTAB = 3;
    /** {@code SHT_RELA}. */
    public static final int SHT_RELA = 4;
    /** {@code SHT_NOBITS}: occupies no file space ({@code .bss}). */
    public static final int SHT_NOBITS = 8;
    /** {@code SHT_REL}. */
    public static final int SHT_REL = 9;

    /** {@code SHF_WRITE}. */
    public static final long SHF_WRITE = 0x1;
    /** {@code SHF_ALLOC}. */
    public static final long SHF_ALLOC = 0x2;
    /** {@code SHF_EXECINSTR}. */
    public static final long SHF_EXECINSTR = 0x4;

    /** Whether the section holds executable instructions. */
    public boolean isExecutable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    /** Whether the section has bytes in the file (everything except {@code SHT_NOBITS}). */
    public boolean hasContents() {
        return type != SHT_NOBITS && type != SHT_NULL;
    }
}

package io.github.bpf2java.ebpf.internal.elf;

/**
 * One entry of the symbol table ({@code Elf64_Sym}).
 *
 * @param index        the entry's index in the symbol table (what relocations refer to)
 * @param name         the name from the symbol string table, empty for section symbols
 * @param value        {@code st_value}: for a defined symbol, its byte offset in its section
 * @param size         {@code st_size}
 * @param binding      {@code ELF64_ST_BIND(st_info)}
 * @param type         {@code ELF64_ST_TYPE(st_info)}
 * @param visibility   {@code ELF64_ST_VISIBILITY(st_other)}
 * @param sectionIndex {@code st_shndx}: the section it is defined in, or {@link #SHN_UNDEF}, {@link #SHN_ABS},
 *                     {@link #SHN_COMMON}
 */
public record ElfSymbol(int index, String name, long value, long size, Binding binding, Type type,
        Visibility visibility, int sectionIndex) {

    /** {@code SHN_UNDEF}: the symbol is not defined in this file (an {@code extern}). */
    public static final int SHN_UNDEF = 0;
    /** {@code SHN_LORESERVE}: section indexes from here on are special. */
    public static final int SHN_LORESERVE = 0xff00;
    /** {@code SHN_ABS}: an absolute value, in no section. */
    public static final int SHN_ABS = 0xfff1;
    /** {@code SHN_COMMON}: a common block not yet allocated. */
    public static final int SHN_COMMON = 0xfff2;

    /** Whether the symbol is undefined here ({@code SHN_UNDEF}). */
    public boolean isUndefined() {
        return sectionIndex == SHN_UNDEF;
    }

    /** Whether the symbol lives in a real section (not undefined, absolute or common). */
    public boolean isInSection() {
        return sectionIndex != SHN_UNDEF && sectionIndex < SHN_LORESERVE;
    }

    /** Whether other objects may see it ({@code STB_GLOBAL} or {@code STB_WEAK}) and it is not hidden. */
    public boolean isExported() {
        return (binding == Binding.GLOBAL || binding == Binding.WEAK)
                && visibility != Visibility.HIDDEN && visibility != Visibility.INTERNAL;
    }

    /** {@code STB_*}. */
    public enum Binding {
        /** {@code STB_LOCAL} = 0. */
        LOCAL,
        /** {@code STB_GLOBAL} = 1. */
        GLOBAL,
        /** {@code STB_WEAK} = 2. */
        WEAK,
        /** Any OS- or processor-specific binding. */
        OTHER;

        static Binding of(int value) {
            return value <= 2 ? values()[value] : OTHER;
        }
    }

    /** {@code STT_*}. */
    public enum Type {
        /** {@code STT_NOTYPE} = 0. */
        NOTYPE,
        /** {@code STT_OBJECT} = 1. */
        OBJECT,
        /** {@code STT_FUNC} = 2. */
        FUNC,
        /** {@code STT_SECTION} = 3. */
        SECTION,
        /** {@code STT_FILE} = 4. */
        FILE,
        /** {@code STT_COMMON} = 5. */
        COMMON,
        /** {@code STT_TLS} = 6. */
        TLS,
        /** Any OS- or processor-specific type. */
        OTHER;

        static Type of(int value) {
            return value <= 6 ? values()[value] : OTHER;
        }
    }

    /** {@code STV_*}. */
    public enum Visibility {
        /** {@code STV_DEFAULT} = 0. */
        DEFAULT,
        /** {@code STV_INTERNAL} = 1. */
        INTERNAL,
        /** {@code STV_HIDDEN} = 2. */
        HIDDEN,
        /** {@code STV_PROTECTED} = 3. */
        PROTECTED;

        static Visibility of(int value) {
            return values()[value & 3];
        }
    }
}

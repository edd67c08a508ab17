package io.github.bpf2java.ebpf.internal.elf;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed ELF64 file for the BPF machine: its section headers and symbol table, with every offset, size and count
 * checked against the file before it is used. Immutable; section contents are handed out as copies.
 */
public final class ElfFile {
    /** {@code EM_BPF}. */
    public static final int EM_BPF = 247;

    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int RELA_SIZE = 24;
    private static final int SHN_XINDEX = 0xffff;
    /**
     * The longest section or symbol name read, in bytes. BPF names are C identifiers (the kernel takes at most 512)
     * and section names such as {@code uprobe/path:function}; the cap keeps a name table that lacks NULs, or many
     * entries pointing into one long name, from turning a small file into gigabytes of strings.
     */
    public static final int MAX_NAME_LENGTH = 1024;

    private final String name;
    private final byte[] bytes;
    private final ByteReader in;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;
    /** The first section of each name, so that lookups by name stay constant-time however many sections. */
    private final Map<String, ElfSection> byName = new HashMap<>();
    private final List<ElfSection> relocationSections = new ArrayList<>();

    private ElfFile(String name, byte[] bytes, ByteReader in, List<ElfSection> sections, List<ElfSymbol> symbols) {
        this.name = name;
        this.bytes = bytes;
        this.in = in;
        this.sections = sections;
        this.symbols = symbols;
        for (ElfSection s : sections) {
            if (s.index() != 0) {
                byName.putIfAbsent(s.name(), s);
            }
            if (s.type() == ElfSection.SHT_REL || s.type() == ElfSection.SHT_RELA) {
                relocationSections.add(s);
            }
        }
    }

    /** Parses {@code bytes}; see {@link #parse(String, byte[])}. */
    public static ElfFile parse(byte[] bytes) {
        return parse("ELF object", bytes);
    }

    /**
     * Parses an ELF64 BPF object.
     *
     * @param name  names the file in error messages
     * @param bytes the whole file (not copied: do not change it afterwards)
     * @throws ObjectFormatException when the bytes are not an ELF64 file for {@code EM_BPF} or any header, table or
     *     string lies outside the file
     */
    public static ElfFile parse(String name, byte[] bytes) {
        if (bytes.length == 0) {
            throw new ObjectFormatException(name + ": empty (0 bytes), not an ELF file");
        }
        if (bytes.length < 16 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new ObjectFormatException(name + ": not an ELF file (bad magic)");
        }
        if (bytes[4] != 2) {
            throw new ObjectFormatException(name + ": not a 64-bit ELF file (EI_CLASS " + bytes[4]
                    + "); BPF objects are ELF64");
        }
        ByteOrder order = switch (bytes[5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw new ObjectFormatException(name + ": unknown ELF byte order (EI_DATA " + bytes[5] + ")");
        };
        ByteReader in = new ByteReader(bytes, order, name);
        in.check(0, EHDR_SIZE, "ELF header");
        int machine = in.u16(18, "e_machine");
        if (machine != EM_BPF) {
            throw new ObjectFormatException(name + ": not a BPF object: e_machine " + machine + " ("
                    + machineName(machine) + ")");
        }
        long shoff = in.s64(40, "e_shoff");
        int shentsize = in.u16(58, "e_shentsize");
        long shnum = in.u16(60, "e_shnum");
        int shstrndx = in.u16(62, "e_shstrndx");
        if (shoff == 0) {
            throw new ObjectFormatException(name + ": ELF file has no section header table");
        }
        if (shentsize < SHDR_SIZE) {
            throw new ObjectFormatException(name + ": e_shentsize " + shentsize + " is smaller than "
                    + SHDR_SIZE);
        }
        if (shnum == 0) {
            // Extended numbering: the real count is in the first section header's sh_size.
            shnum = in.s64(shoff + 32, "extended section count");
        }
        if (shnum <= 0 || shnum > bytes.length / SHDR_SIZE) {
            throw new ObjectFormatException(name + ": section count " + shnum + " does not fit a "
                    + bytes.length + "-byte file");
        }
        in.check(shoff, Math.multiplyExact(shnum, (long) shentsize), "section header table");
        if (shstrndx == SHN_XINDEX) {
            shstrndx = in.s32(shoff + 40, "extended e_shstrndx");
        }
        if (shstrndx <= 0 || shstrndx >= shnum) {
            throw new ObjectFormatException(name + ": section name table index " + shstrndx
                    + " is not one of the " + shnum + " sections");
        }

        int count = (int) shnum;
        long[][] raw = new long[count][];
        for (int i = 0; i < count; i++) {
            long h = shoff + (long) i * shentsize;
            raw[i] = new long[] {
                in.u32(h, "sh_name"), in.u32(h + 4, "sh_type"), in.s64(h + 8, "sh_flags"),
                in.s64(h + 24, "sh_offset"), in.s64(h + 32, "sh_size"), in.u32(h + 40, "sh_link"),
                in.u32(h + 44, "sh_info"), in.s64(h + 48, "sh_addralign"), in.s64(h + 56, "sh_entsize")
            };
            int type = (int) raw[i][1];
            if (type != ElfSection.SHT_NOBITS && type != ElfSection.SHT_NULL
                    && !ByteReader.fits(raw[i][3], raw[i][4], bytes.length)) {
                throw new ObjectFormatException(name + ": section " + i + " (offset " + raw[i][3] + ", size "
                        + Long.toUnsignedString(raw[i][4]) + ") lies outside the " + bytes.length + "-byte file");
            }
        }
        long[] strtab = raw[shstrndx];
        List<ElfSection> sections = new ArrayList<>(count);
        Map<Long, String> names = new HashMap<>();
        for (int i = 0; i < count; i++) {
            long[] r = raw[i];
            String sectionName = i == 0 ? "" : name(names, in, strtab[3], strtab[4], r[0], "section", i);
            sections.add(new ElfSection(i, sectionName, (int) r[1], r[2], r[3], r[4], (int) r[5], (int) r[6],
                    r[7], r[8]));
        }
        sections = Collections.unmodifiableList(sections);
        checkOverlaps(name, sections);
        List<ElfSymbol> symbols = readSymbols(name, in, sections);
        return new ElfFile(name, bytes, in, sections, symbols);
    }

    private static List<ElfSymbol> readSymbols(String name, ByteReader in, List<ElfSection> sections) {
        ElfSection symtab = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                symtab = s;
                break;
            }
        }
        if (symtab == null) {
            return List.of();
        }
        if (symtab.link() <= 0 || symtab.link() >= sections.size()) {
            throw new ObjectFormatException(name + ": symbol table links to string table " + symtab.link()
                    + ", which is not a section");
        }
        ElfSection strtab = sections.get(symtab.link());
        if (strtab.type() != ElfSection.SHT_STRTAB) {
            throw new ObjectFormatException(name + ": symbol table links to section " + strtab.name()
                    + ", which is not a string table");
        }
        long entsize = symtab.entsize() == 0 ? SYM_SIZE : symtab.entsize();
        if (entsize < SYM_SIZE) {
            throw new ObjectFormatException(name + ": symbol table entry size " + entsize + " is below "
                    + SYM_SIZE);
        }
        long n = symtab.size() / entsize;
        List<ElfSymbol> symbols = new ArrayList<>((int) Math.min(n, 1 << 16));
        Map<Long, String> names = new HashMap<>();
        for (long i = 0; i < n; i++) {
            long e = symtab.offset() + i * entsize;
            long nameOff = in.u32(e, "st_name");
            int info = in.u8(e + 4, "st_info");
            int other = in.u8(e + 5, "st_other");
            int shndx = in.u16(e + 6, "st_shndx");
            long value = in.s64(e + 8, "st_value");
            long size = in.s64(e + 16, "st_size");
            String symName = name(names, in, strtab.offset(), strtab.size(), nameOff, "symbol", i);
            symbols.add(new ElfSymbol((int) i, symName, value, size, ElfSymbol.Binding.of(info >> 4),
                    ElfSymbol.Type.of(info & 0xf), ElfSymbol.Visibility.of(other), shndx));
        }
        return Collections.unmodifiableList(symbols);
    }

    /**
     * Rejects sections whose bytes overlap: a compiler never writes such a file, and allowing it would let a small
     * file describe the same bytes as thousands of sections, each copied when read.
     */
    private static void checkOverlaps(String name, List<ElfSection> sections) {
        List<ElfSection> placed = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.hasContents() && s.size() > 0) {
                placed.add(s);
            }
        }
        placed.sort(Comparator.comparingLong(ElfSection::offset));
        for (int i = 1; i < placed.size(); i++) {
            ElfSection prev = placed.get(i - 1);
            ElfSection cur = placed.get(i);
            if (cur.offset() < prev.offset() + prev.size()) {
                throw new ObjectFormatException(name + ": sections " + describe(prev) + " and " + describe(cur)
                        + " overlap in the file");
            }
        }
    }

    private static String describe(ElfSection s) {
        return s.index() + " (" + s.name() + ", offset " + s.offset() + ", " + s.size() + " bytes)";
    }

    /** The name of section or symbol {@code index}, read once per distinct offset. */
    private static String name(Map<Long, String> names, ByteReader in, long tableOffset, long tableSize,
            long offset, String kind, long index) {
        String known = names.get(offset);
        if (known == null) {
            known = cString(in, tableOffset, tableSize, offset, "name of " + kind + " " + index);
            names.put(offset, known);
        }
        return known;
    }

    private static String cString(ByteReader in, long tableOffset, long tableSize, long offset, String what) {
        if (offset < 0 || offset >= tableSize) {
            throw new ObjectFormatException(what + ": string offset " + offset + " outside a string table of "
                    + tableSize + " bytes");
        }
        long start = tableOffset + offset;
        long end = tableOffset + tableSize;
        in.check(start, end - start, what);
        long limit = Math.min(end, start + MAX_NAME_LENGTH + 1);
        long i = start;
        while (i < limit && in.u8(i, what) != 0) {
            i++;
        }
        if (i == end) {
            throw new ObjectFormatException(what + ": string at offset " + offset + " is not NUL-terminated");
        }
        if (i == limit) {
            throw new ObjectFormatException(what + ": string at offset " + offset + " is longer than "
                    + MAX_NAME_LENGTH + " bytes");
        }
        byte[] b = new byte[(int) (i - start)];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) in.u8(start + k, what);
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A human name for an {@code e_machine} value, for messages. */
    static String machineName(int machine) {
        return switch (machine) {
            case 0 -> "none";
            case 3 -> "x86";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "S/390";
            case 40 -> "ARM";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            case 258 -> "LoongArch";
            default -> "unknown machine";
        };
    }

    /** The name given at parse time, for messages. */
    public String name() {
        return name;
    }

    /** {@code EI_DATA}: the byte order of every multi-byte value in the file. */
    public ByteOrder byteOrder() {
        return in.order();
    }

    /** Every section header, by index; index 0 is the null section. */
    public List<ElfSection> sections() {
        return sections;
    }

    /** The section at {@code index}; an {@link ObjectFormatException} when there is none. */
    public ElfSection section(int index) {
        if (index < 0 || index >= sections.size()) {
            throw new ObjectFormatException(name + ": section index " + index + " out of range (the file has "
                    + sections.size() + " sections)");
        }
        return sections.get(index);
    }

    /** The first section named {@code sectionName}. */
    public Optional<ElfSection> section(String sectionName) {
        return Optional.ofNullable(byName.get(sectionName));
    }

    /** A copy of the section's bytes; empty for {@code SHT_NOBITS} (whose size is only a memory size). */
    public byte[] contents(ElfSection section) {
        if (!section.hasContents()) {
            return new byte[0];
        }
        // Checked at parse time; the check is repeated because sections are public values anyone can construct.
        in.check(section.offset(), section.size(), "contents of section " + section.name());
        return Arrays.copyOfRange(bytes, (int) section.offset(), (int) (section.offset() + section.size()));
    }

    /** The symbol table ({@code SHT_SYMTAB}); empty when the file has none. Index 0 is the null symbol. */
    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /** The symbol at {@code index}; an {@link ObjectFormatException} naming {@code context} when there is none. */
    public ElfSymbol symbol(int index, String context) {
        if (index < 0 || index >= symbols.size()) {
            throw new ObjectFormatException(name + ": " + context + ": symbol index " + index
                    + " out of range (the symbol table has " + symbols.size() + " entries)");
        }
        return symbols.get(index);
    }

    /** The relocation sections ({@code SHT_REL} and {@code SHT_RELA}). */
    public List<ElfSection> relocationSections() {
        return Collections.unmodifiableList(relocationSections);
    }

    /** The entries of a {@code SHT_REL} or {@code SHT_RELA} section. */
    public List<ElfRelocation> relocations(ElfSection section) {
        boolean rela = section.type() == ElfSection.SHT_RELA;
        if (!rela && section.type() != ElfSection.SHT_REL) {
            throw new ObjectFormatException(name + ": section " + section.name() + " is not a relocation section");
        }
        int min = rela ? RELA_SIZE : REL_SIZE;
        long entsize = section.entsize() == 0 ? min : section.entsize();
        if (entsize < min) {
            throw new ObjectFormatException(name + ": relocation section " + section.name() + " has entry size "
                    + entsize + ", below " + min);
        }
        in.check(section.offset(), section.size(), "relocation section " + section.name());
        long n = section.size() / entsize;
        List<ElfRelocation> out = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) {
            long e = section.offset() + i * entsize;
            long offset = in.s64(e, "r_offset");
            long info = in.s64(e + 8, "r_info");
            long addend = rela ? in.s64(e + 16, "r_addend") : 0;
            long sym = info >>> 32;
            out.add(new ElfRelocation(offset, sym > Integer.MAX_VALUE ? -1 : (int) sym, (int) info, addend));
        }
        return out;
    }
}

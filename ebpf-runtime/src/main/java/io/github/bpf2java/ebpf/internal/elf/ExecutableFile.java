package io.github.bpf2java.ebpf.internal.elf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ordinary ELF64 program or shared library ({@code ET_EXEC}, {@code ET_DYN}: an x86-64 or arm64 executable,
 * position-independent or not, or a {@code .so}), read for what probes need: its loadable segments, its function
 * symbols from {@code .dynsym} (with their GNU symbol versions) and {@code .symtab}, and its notes. The file is
 * memory-mapped read-only, so a large binary costs no heap; every offset is checked against its size.
 *
 * <p>Pure parsing: reading the file is the only thing it does outside the JVM.
 */
public final class ExecutableFile {
    /** {@code ET_EXEC}: a program loaded at fixed addresses. */
    public static final int ET_EXEC = 2;
    /** {@code ET_DYN}: a shared library or position-independent program. */
    public static final int ET_DYN = 3;

    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;
    private static final int SHT_NOTE = 7;
    private static final int SHT_DYNSYM = 11;
    private static final int SHT_GNU_VERDEF = 0x6ffffffd;
    private static final int SHT_GNU_VERSYM = 0x6fffffff;
    private static final int STT_FUNC = 2;
    private static final int STT_GNU_IFUNC = 10;
    private static final int VERSYM_HIDDEN = 0x8000;
    private static final int VERSYM_INDEX = 0x7fff;
    private static final int SYM_SIZE = 24;
    private static final int MAX_SYMBOLS = 1 << 24;

    private final Path path;
    private final ByteBuffer data;
    private final int type;
    private final int machine;
    private final List<Segment> segments;
    private final List<ElfSection> sections;
    // sh_addr of each section: ElfSection, shared with BPF objects (which have no addresses), does not carry it.
    private final long[] sectionAddresses;
    private List<FunctionSymbol> functions;

    /** A {@code PT_LOAD} program header: a range of the file mapped at {@code [vaddr, vaddr + memSize)}. */
    public record Segment(long vaddr, long memSize, long offset, long fileSize, boolean executable) {
        /** Whether the virtual address lies in this segment. */
        public boolean contains(long address) {
            return Long.compareUnsigned(address, vaddr) >= 0 && Long.compareUnsigned(address - vaddr, memSize) < 0;
        }

        /** The file offset of a virtual address in this segment. */
        public long fileOffset(long address) {
            return address - vaddr + offset;
        }
    }

    /** Where a function symbol was found. */
    public enum Table {
        /** {@code .dynsym}, the dynamic symbols a stripped binary keeps. */
        DYNSYM,
        /** {@code .symtab}, the full symbol table. */
        SYMTAB
    }

    /**
     * A function symbol.
     *
     * @param name          the name without version, e.g. {@code getenv}
     * @param version       the GNU symbol version of a {@code .dynsym} entry, e.g. {@code GLIBC_2.2.5}, or empty;
     *                      in {@code .symtab} a version is part of the name
     * @param defaultVersion whether it is the default version ({@code @@}) rather than a hidden one ({@code @})
     * @param value         {@code st_value}: its virtual address (relative to the load base for {@code ET_DYN})
     * @param size          {@code st_size}
     * @param weak          whether its binding is {@code STB_WEAK}
     * @param indirect      whether it is an indirect function ({@code STT_GNU_IFUNC}): its address is a resolver
     *                      the dynamic linker calls to choose the implementation, not the function callers run
     * @param table         the table it came from
     */
    public record FunctionSymbol(String name, String version, boolean defaultVersion, long value, long size,
            boolean weak, boolean indirect, Table table) {
        /** The name as tools print it, e.g. {@code getenv@@GLIBC_2.2.5}. */
        public String displayName() {
            return version.isEmpty() ? name : name + (defaultVersion ? "@@" : "@") + version;
        }
    }

    private ExecutableFile(Path path, ByteBuffer data, int type, int machine, List<Segment> segments,
            Sections sections) {
        this.path = path;
        this.data = data;
        this.type = type;
        this.machine = machine;
        this.segments = segments;
        this.sections = sections.headers();
        this.sectionAddresses = sections.addresses();
    }

    private record Sections(List<ElfSection> headers, long[] addresses) {}

    /**
     * Opens and parses the headers of {@code path}.
     *
     * @throws ObjectFormatException when it is not an ELF64 executable or shared library, or a header lies
     * @throws io.github.bpf2java.ebpf.error.BpfException when it cannot be read
     */
    public static ExecutableFile open(Path path) {
        ByteBuffer data;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new ObjectFormatException(path + ": " + size + " bytes is more than this reader maps (2 GiB)");
            }
            data = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (NoSuchFileException e) {
            throw new BpfException(path + " does not exist", "give the path of an executable or shared library", e);
        } catch (IOException e) {
            throw new BpfException("cannot read " + path + ": " + e.getMessage(), e);
        }
        return parse(path, data);
    }

    /** Parses an ELF image already in memory; {@code path} names it in messages. */
    public static ExecutableFile parse(Path path, ByteBuffer image) {
        ByteBuffer data = image.duplicate();
        if (data.limit() < 64 || data.get(0) != 0x7f || data.get(1) != 'E' || data.get(2) != 'L'
                || data.get(3) != 'F') {
            throw new ObjectFormatException(path + " is not an ELF file (bad magic)");
        }
        if (data.get(4) != 2) {
            throw new ObjectFormatException(path + " is a 32-bit ELF file; probes are supported on 64-bit "
                    + "binaries only");
        }
        data.order(data.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int type = u16(data, 16);
        int machine = u16(data, 18);
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ObjectFormatException(path + " is an ELF file of type " + type + " ("
                    + (type == 1 ? "a relocatable object" : type == 4 ? "a core dump" : "unknown")
                    + "), not an executable or shared library");
        }
        List<Segment> segments = new ArrayList<>();
        long phoff = data.getLong(32);
        int phentsize = u16(data, 54);
        int phnum = u16(data, 56);
        for (int i = 0; i < phnum; i++) {
            long h = phoff + (long) i * phentsize;
            check(data, path, h, 56, "program header " + i);
            if (data.getInt((int) h) != PT_LOAD) {
                continue;
            }
            int flags = data.getInt((int) h + 4);
            segments.add(new Segment(data.getLong((int) h + 16), data.getLong((int) h + 40),
                    data.getLong((int) h + 8), data.getLong((int) h + 32), (flags & PF_X) != 0));
        }
        return new ExecutableFile(path, data, type, machine, List.copyOf(segments), readSections(path, data));
    }

    private static Sections readSections(Path path, ByteBuffer data) {
        long shoff = data.getLong(40);
        int shentsize = u16(data, 58);
        int shnum = u16(data, 60);
        int shstrndx = u16(data, 62);
        if (shoff == 0 || shnum == 0) {
            return new Sections(List.of(), new long[0]);
        }
        check(data, path, shoff, (long) shnum * shentsize, "section header table");
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int h = (int) (shoff + (long) i * shentsize);
            raw[i] = new long[] {u32(data, h), u32(data, h + 4), data.getLong(h + 8), data.getLong(h + 16),
                data.getLong(h + 24), data.getLong(h + 32), u32(data, h + 40), u32(data, h + 44),
                data.getLong(h + 48), data.getLong(h + 56)};
        }
        List<ElfSection> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long[] r = raw[i];
            String name = "";
            if (shstrndx > 0 && shstrndx < shnum) {
                name = string(data, path, raw[shstrndx][4], raw[shstrndx][5], r[0]);
            }
            out.add(new ElfSection(i, name, (int) r[1], r[2], r[4], r[5], (int) r[6], (int) r[7], r[8], r[9]));
        }
        long[] addresses = new long[shnum];
        for (int i = 0; i < shnum; i++) {
            addresses[i] = raw[i][3];
        }
        return new Sections(Collections.unmodifiableList(out), addresses);
    }

    /** The file, as given. */
    public Path path() {
        return path;
    }

    /** {@link #ET_EXEC} or {@link #ET_DYN}. */
    public int type() {
        return type;
    }

    /** {@code e_machine}, e.g. 62 for x86-64, 183 for AArch64. */
    public int machine() {
        return machine;
    }

    /** The loadable segments ({@code PT_LOAD}), in header order. */
    public List<Segment> loadSegments() {
        return segments;
    }

    /** The section headers; empty for a file stripped of them. */
    public List<ElfSection> sections() {
        return sections;
    }

    /** The virtual address ({@code sh_addr}) of the first section named {@code name}. */
    public Optional<Long> sectionAddress(String name) {
        for (ElfSection s : sections) {
            if (s.name().equals(name)) {
                return Optional.of(sectionAddresses[s.index()]);
            }
        }
        return Optional.empty();
    }

    /**
     * The file offset of virtual address {@code address}: {@code address - p_vaddr + p_offset} of the
     * {@code PT_LOAD} segment containing it — what the kernel wants for a uprobe.
     *
     * @throws ObjectFormatException when no loadable segment contains it
     */
    public long fileOffset(long address) {
        return segmentOf(address).map(s -> s.fileOffset(address)).orElseThrow(() -> new ObjectFormatException(
                path + ": address 0x" + Long.toHexString(address) + " lies in no loadable segment"));
    }

    /** The loadable segment containing virtual address {@code address}. */
    public Optional<Segment> segmentOf(long address) {
        for (Segment s : segments) {
            if (s.contains(address)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The defined function symbols of {@code .dynsym} and then {@code .symtab} (read once, then cached). */
    public synchronized List<FunctionSymbol> functionSymbols() {
        if (functions == null) {
            List<FunctionSymbol> all = new ArrayList<>();
            for (ElfSection s : sections) {
                if (s.type() == SHT_DYNSYM) {
                    readFunctions(s, Table.DYNSYM, all);
                }
            }
            for (ElfSection s : sections) {
                if (s.type() == ElfSection.SHT_SYMTAB) {
                    readFunctions(s, Table.SYMTAB, all);
                }
            }
            functions = List.copyOf(all);
        }
        return functions;
    }

    private void readFunctions(ElfSection table, Table kind, List<FunctionSymbol> out) {
        if (table.link() <= 0 || table.link() >= sections.size()) {
            throw new ObjectFormatException(path + ": symbol table " + table.name() + " links to no string table");
        }
        ElfSection strings = sections.get(table.link());
        long entsize = table.entsize() == 0 ? SYM_SIZE : table.entsize();
        if (entsize < SYM_SIZE) {
            throw new ObjectFormatException(path + ": " + table.name() + " entry size " + entsize);
        }
        check(data, path, table.offset(), table.size(), table.name());
        long count = table.size() / entsize;
        if (count > MAX_SYMBOLS) {
            throw new ObjectFormatException(path + ": " + table.name() + " claims " + count + " symbols");
        }
        int[] versym = kind == Table.DYNSYM ? versionIndexes((int) count) : null;
        Map<Integer, String> versionNames = kind == Table.DYNSYM ? versionNames() : Map.of();
        for (int i = 1; i < count; i++) {
            int e = (int) (table.offset() + i * entsize);
            int info = data.get(e + 4) & 0xff;
            int shndx = u16(data, e + 6);
            long value = data.getLong(e + 8);
            int symbolType = info & 0xf;
            if (symbolType != STT_FUNC && symbolType != STT_GNU_IFUNC || shndx == ElfSymbol.SHN_UNDEF
                    || value == 0) {
                continue; // not a function defined here (STT_FUNC or STT_GNU_IFUNC with a section and an address)
            }
            String name = string(data, path, strings.offset(), strings.size(), u32(data, e));
            String version = "";
            boolean defaultVersion = true;
            if (versym != null && i < versym.length) {
                String v = versionNames.get(versym[i] & VERSYM_INDEX);
                if (v != null) {
                    version = v;
                    defaultVersion = (versym[i] & VERSYM_HIDDEN) == 0;
                }
            }
            out.add(new FunctionSymbol(name, version, defaultVersion, value, data.getLong(e + 16),
                    (info >> 4) == 2, symbolType == STT_GNU_IFUNC, kind));
        }
    }

    /** {@code .gnu.version}: one 16-bit version index per {@code .dynsym} entry. */
    private int[] versionIndexes(int count) {
        for (ElfSection s : sections) {
            if (s.type() == SHT_GNU_VERSYM) {
                check(data, path, s.offset(), s.size(), s.name());
                int n = (int) Math.min(count, s.size() / 2);
                int[] out = new int[n];
                for (int i = 0; i < n; i++) {
                    out[i] = u16(data, (int) (s.offset() + 2L * i));
                }
                return out;
            }
        }
        return null;
    }

    /** {@code .gnu.version_d}: the names of the versions this file defines, by version index. */
    private Map<Integer, String> versionNames() {
        Map<Integer, String> names = new HashMap<>();
        for (ElfSection s : sections) {
            if (s.type() != SHT_GNU_VERDEF) {
                continue;
            }
            check(data, path, s.offset(), s.size(), s.name());
            ElfSection strings = sections.get(s.link());
            long at = s.offset();
            long end = s.offset() + s.size();
            for (int guard = 0; guard < 1 << 16 && at + 20 <= end; guard++) {
                int index = u16(data, (int) at + 4);
                long aux = u32(data, (int) at + 12);
                long next = u32(data, (int) at + 16);
                if (aux != 0 && at + aux + 8 <= end) {
                    names.put(index, string(data, path, strings.offset(), strings.size(),
                            u32(data, (int) (at + aux))));
                }
                if (next == 0) {
                    break;
                }
                at += next;
            }
        }
        return names;
    }

    /** A note of a {@code SHT_NOTE} section: owner name, type and descriptor bytes. */
    public record Note(String owner, int type, ByteBuffer descriptor) {}

    /** The notes of the section {@code sectionName} (e.g. {@code .note.stapsdt}); empty when there is none. */
    public List<Note> notes(String sectionName) {
        List<Note> out = new ArrayList<>();
        for (ElfSection s : sections) {
            if (s.type() != SHT_NOTE || !s.name().equals(sectionName)) {
                continue;
            }
            check(data, path, s.offset(), s.size(), s.name());
            long align = s.addralign() == 8 ? 8 : 4;
            long at = s.offset();
            long end = s.offset() + s.size();
            while (at + 12 <= end) {
                long nameSize = u32(data, (int) at);
                long descSize = u32(data, (int) at + 4);
                int noteType = data.getInt((int) at + 8);
                long nameAt = at + 12;
                long descAt = nameAt + align(nameSize, align);
                if (descAt + descSize > end || nameAt + nameSize > end) {
                    throw new ObjectFormatException(path + ": note in " + sectionName + " runs past its section");
                }
                byte[] owner = new byte[(int) Math.max(0, nameSize - 1)];
                data.get((int) nameAt, owner);
                ByteBuffer desc = data.slice((int) descAt, (int) descSize).order(data.order());
                out.add(new Note(new String(owner, StandardCharsets.UTF_8), noteType, desc));
                at = descAt + align(descSize, align);
            }
        }
        return out;
    }

    private static long align(long value, long to) {
        return (value + to - 1) & -to;
    }

    private static void check(ByteBuffer data, Path path, long offset, long size, String what) {
        if (!ByteReader.fits(offset, size, data.limit())) {
            throw new ObjectFormatException(path + ": " + what + " at offset " + offset + " (" + size
                    + " bytes) lies outside the " + data.limit() + "-byte file");
        }
    }

    private static int u16(ByteBuffer data, int offset) {
        return data.getShort(offset) & 0xffff;
    }

    private static long u32(ByteBuffer data, int offset) {
        return Integer.toUnsignedLong(data.getInt(offset));
    }

    private static String string(ByteBuffer data, Path path, long tableOffset, long tableSize, long offset) {
        if (offset < 0 || offset >= tableSize) {
            throw new ObjectFormatException(path + ": string offset " + offset + " outside a " + tableSize
                    + "-byte string table");
        }
        check(data, path, tableOffset, tableSize, "string table");
        int start = (int) (tableOffset + offset);
        int end = start;
        int limit = (int) (tableOffset + tableSize);
        while (end < limit && data.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - start];
        data.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return path + " (" + (type == ET_EXEC ? "executable" : "shared object") + ", " + ElfFile.machineName(machine)
                + ")";
    }
}

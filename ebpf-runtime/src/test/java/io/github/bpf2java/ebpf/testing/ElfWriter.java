package io.github.bpf2java.ebpf.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ELF64 relocatable objects for {@code EM_BPF} byte by byte, so tests can build the hostile objects
 * that a description names (a 1 GiB {@code .bss}, BTF a compiler would never emit) rather than check in binaries.
 * Sections come in the order added (index 1 on); {@code .symtab}, {@code .strtab} and {@code .shstrtab} follow.
 *
 * <pre>{@code
 * ElfWriter elf = new ElfWriter(ByteOrder.LITTLE_ENDIAN);
 * int maps = elf.section(".maps", ElfWriter.SHT_PROGBITS, ElfWriter.SHF_ALLOC | ElfWriter.SHF_WRITE, new byte[8]);
 * elf.symbol("events", maps, 0, 8, ElfWriter.STT_OBJECT);
 * byte[] object = elf.bytes();
 * }</pre>
 */
public final class ElfWriter {
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_NOBITS = 8;
    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int SHN_UNDEF = 0;

    private static final int SHT_SYMTAB = 2;
    private static final int SHT_STRTAB = 3;
    private static final int STB_GLOBAL = 1;

    private record Section(String name, int type, long flags, byte[] data, long size) {}

    private record Symbol(String name, int section, long value, long size, int type) {}

    private final ByteOrder order;
    private final List<Section> sections = new ArrayList<>();
    private final List<Symbol> symbols = new ArrayList<>();

    public ElfWriter(ByteOrder order) {
        this.order = order;
    }

    /** Adds a section with bytes in the file; returns its index. */
    public int section(String name, int type, long flags, byte[] data) {
        sections.add(new Section(name, type, flags, data, data.length));
        return sections.size();
    }

    /** Adds a {@code SHT_NOBITS} section of {@code size} bytes in memory and none in the file; returns its index. */
    public int nobits(String name, long flags, long size) {
        sections.add(new Section(name, SHT_NOBITS, flags, new byte[0], size));
        return sections.size();
    }

    /** Adds a global symbol in section {@code section} ({@link #SHN_UNDEF} for an extern). */
    public ElfWriter symbol(String name, int section, long value, long size, int type) {
        symbols.add(new Symbol(name, section, value, size, type));
        return this;
    }

    /** The whole file. */
    public byte[] bytes() {
        Strings shstr = new Strings();
        Strings str = new Strings();
        ByteBuffer symtab = ByteBuffer.allocate(24 * (symbols.size() + 1)).order(order);
        symtab.position(24); // the null symbol
        for (Symbol s : symbols) {
            symtab.putInt(str.add(s.name())).put((byte) (STB_GLOBAL << 4 | s.type())).put((byte) 0)
                    .putShort((short) s.section()).putLong(s.value()).putLong(s.size());
        }
        int symtabIndex = sections.size() + 1;
        List<Section> all = new ArrayList<>(sections);
        all.add(new Section(".symtab", SHT_SYMTAB, 0, symtab.array(), symtab.capacity()));
        all.add(new Section(".strtab", SHT_STRTAB, 0, str.bytes(), str.bytes().length));
        for (Section s : all) {
            shstr.add(s.name());
        }
        shstr.add(".shstrtab");
        all.add(new Section(".shstrtab", SHT_STRTAB, 0, shstr.bytes(), shstr.bytes().length));

        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[64], 0, 64);
        long[] offsets = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            while (body.size() % 8 != 0) {
                body.write(0);
            }
            offsets[i] = body.size();
            byte[] d = all.get(i).data();
            body.write(d, 0, d.length);
        }
        while (body.size() % 8 != 0) {
            body.write(0);
        }
        long shoff = body.size();
        ByteBuffer out = ByteBuffer.allocate((int) shoff + 64 * (all.size() + 1)).order(order);
        out.put(body.toByteArray());
        out.position((int) shoff + 64); // the null section header
        for (int i = 0; i < all.size(); i++) {
            Section s = all.get(i);
            int index = i + 1;
            int link = index == symtabIndex ? symtabIndex + 1 : 0;
            int info = index == symtabIndex ? 1 : 0; // every symbol after the null one is global
            long entsize = index == symtabIndex ? 24 : 0;
            out.putInt(shstr.offsetOf(s.name())).putInt(s.type()).putLong(s.flags()).putLong(0)
                    .putLong(offsets[i]).putLong(s.size()).putInt(link).putInt(info).putLong(8).putLong(entsize);
        }
        out.position(0);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', 2, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1});
        out.position(16);
        out.putShort((short) 1).putShort((short) 247).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0)
                .putShort((short) 64).putShort((short) 0).putShort((short) 0).putShort((short) 64)
                .putShort((short) (all.size() + 1)).putShort((short) all.size());
        return out.array();
    }

    /** A string table that starts with the empty string. */
    private static final class Strings {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final List<String> added = new ArrayList<>();
        private final List<Integer> offsets = new ArrayList<>();

        Strings() {
            bytes.write(0);
        }

        int add(String s) {
            if (s.isEmpty()) {
                return 0;
            }
            int existing = added.indexOf(s);
            if (existing >= 0) {
                return offsets.get(existing);
            }
            int off = bytes.size();
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            bytes.write(b, 0, b.length);
            bytes.write(0);
            added.add(s);
            offsets.add(off);
            return off;
        }

        int offsetOf(String s) {
            return add(s);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}

package io.github.bpf2java.ebpf.internal.linker;

import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the linked object as an ELF64 relocatable file for {@code EM_BPF}: the header, then {@code .strtab} (names
 * of sections and symbols), {@code .symtab} (locals first, as ELF requires, then globals), the linked sections, their
 * {@code .rel<name>} sections, {@code .BTF} and {@code .BTF.ext}, and the section header table last.
 */
final class ElfWriter {
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final long SHF_INFO_LINK = 0x40;
    private static final int SHN_ABS = 0xfff1;

    private final ByteOrder order;
    private final ByteArrayOutputStream names = new ByteArrayOutputStream();
    private final Map<String, Integer> nameOffsets = new HashMap<>();

    /** A section header with its contents. */
    private record Header(String name, int type, long flags, byte[] contents, long size, int link, int info,
            long align, long entsize) {}

    ElfWriter(ByteOrder order) {
        this.order = order;
        names.write(0);
        nameOffsets.put("", 0);
    }

    private int name(String s) {
        return nameOffsets.computeIfAbsent(s, k -> {
            int offset = names.size();
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            names.write(b, 0, b.length);
            names.write(0);
            return offset;
        });
    }

    byte[] write(List<OutputSection> sections, List<LinkedSymbol> locals, List<LinkedSymbol> globals, byte[] btf,
            byte[] btfExt) {
        // Indexes: 0 null, 1 .strtab, 2 .symtab, then the linked sections, their relocations, .BTF, .BTF.ext.
        int index = 3;
        for (OutputSection s : sections) {
            s.index = index++;
        }
        List<LinkedSymbol> symbols = new ArrayList<>();
        symbols.add(null);
        symbols.addAll(locals);
        int firstGlobal = symbols.size();
        symbols.addAll(globals);
        for (int i = 1; i < symbols.size(); i++) {
            symbols.get(i).index = i;
        }

        List<Header> headers = new ArrayList<>();
        headers.add(null); // .strtab, filled in last: every name must be in it first
        headers.add(new Header(".symtab", ElfSection.SHT_SYMTAB, 0, symbolTable(symbols), 0, 1, firstGlobal, 8,
                SYM_SIZE));
        for (OutputSection s : sections) {
            headers.add(new Header(s.name, s.type, s.flags, s.bytes(), s.size, 0, 0, s.align, 0));
        }
        for (OutputSection s : sections) {
            if (!s.relocations.isEmpty()) {
                headers.add(new Header(".rel" + s.name, ElfSection.SHT_REL, SHF_INFO_LINK, relocations(s), 0, 2,
                        s.index, 8, REL_SIZE));
            }
        }
        if (btf != null) {
            headers.add(new Header(".BTF", ElfSection.SHT_PROGBITS, 0, btf, 0, 0, 0, 4, 0));
        }
        if (btfExt != null) {
            headers.add(new Header(".BTF.ext", ElfSection.SHT_PROGBITS, 0, btfExt, 0, 0, 0, 4, 0));
        }
        int[] nameOffset = new int[headers.size()];
        nameOffset[0] = name(".strtab");
        for (int i = 1; i < headers.size(); i++) {
            nameOffset[i] = name(headers.get(i).name());
        }
        headers.set(0, new Header(".strtab", ElfSection.SHT_STRTAB, 0, names.toByteArray(), 0, 0, 0, 1, 0));

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(new byte[EHDR_SIZE], 0, EHDR_SIZE);
        long[] offsets = new long[headers.size()];
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            pad(file, h.align());
            offsets[i] = file.size();
            file.write(h.contents(), 0, h.contents().length);
        }
        pad(file, 8);
        long shoff = file.size();
        ByteBuffer table = ByteBuffer.allocate(SHDR_SIZE * (headers.size() + 1)).order(order);
        table.position(SHDR_SIZE); // the null section header
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            long size = h.type() == ElfSection.SHT_NOBITS ? h.size() : h.contents().length;
            table.putInt(nameOffset[i]).putInt(h.type()).putLong(h.flags()).putLong(0).putLong(offsets[i])
                    .putLong(size).putInt(h.link()).putInt(h.info()).putLong(h.align()).putLong(h.entsize());
        }
        file.write(table.array(), 0, table.capacity());

        byte[] out = file.toByteArray();
        ByteBuffer ehdr = ByteBuffer.wrap(out).order(order);
        ehdr.put(new byte[] {0x7f, 'E', 'L', 'F', 2, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2), 1, 0});
        ehdr.position(16);
        ehdr.putShort((short) 1) // ET_REL
                .putShort((short) ElfFile.EM_BPF).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0)
                .putShort((short) EHDR_SIZE).putShort((short) 0).putShort((short) 0).putShort((short) SHDR_SIZE)
                .putShort((short) (headers.size() + 1)).putShort((short) 1);
        return out;
    }

    private byte[] symbolTable(List<LinkedSymbol> symbols) {
        ByteBuffer b = ByteBuffer.allocate(SYM_SIZE * symbols.size()).order(order);
        b.position(SYM_SIZE);
        for (int i = 1; i < symbols.size(); i++) {
            LinkedSymbol s = symbols.get(i);
            int shndx = s.absolute ? SHN_ABS : s.section == null ? 0 : s.section.index;
            b.putInt(name(s.name)).put((byte) (s.binding << 4 | s.type)).put((byte) s.other)
                    .putShort((short) shndx).putLong(s.value).putLong(s.size);
        }
        return b.array();
    }

    private byte[] relocations(OutputSection s) {
        ByteBuffer b = ByteBuffer.allocate(REL_SIZE * s.relocations.size()).order(order);
        for (OutputSection.Relocation r : s.relocations) {
            b.putLong(r.offset()).putLong((long) r.symbol().index << 32 | (r.type() & 0xffffffffL));
        }
        return b.array();
    }

    private static void pad(ByteArrayOutputStream out, long align) {
        while (align > 1 && out.size() % align != 0) {
            out.write(0);
        }
    }
}

package io.github.bpf2java.ebpf.internal.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.testing.BpfFixtures.Fixture;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ElfFileTest {

    private static Fixture counter(String target) {
        return BpfFixtures.compile("counter", BpfFixtures.availableCompilers().isEmpty() ? BpfFixtures.CLANG
                : BpfFixtures.availableCompilers().get(0), target, false);
    }

    @Test
    void readsSectionsLikeLlvmReadelf() {
        for (String target : List.of(BpfFixtures.BPFEL, BpfFixtures.BPFEB)) {
            Fixture f = counter(target);
            ElfFile elf = ElfFile.parse(f.bytes());
            assertEquals(target.equals(BpfFixtures.BPFEB) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
                    elf.byteOrder());
            Map<String, Long> readelf = new TreeMap<>();
            for (String line : BpfFixtures.readelf(f, "-S", "-W").split("\n")) {
                String l = line.trim();
                if (l.startsWith("[") && !l.startsWith("[Nr]") && !l.startsWith("[ 0]")) {
                    String[] c = l.substring(l.indexOf(']') + 1).trim().split("\\s+");
                    readelf.put(c[0], Long.parseLong(c[4], 16));
                }
            }
            Map<String, Long> ours = new TreeMap<>();
            elf.sections().stream().skip(1).forEach(s -> ours.put(s.name(), s.size()));
            assertEquals(readelf, ours);
            ElfSection prog = elf.section("tracepoint/syscalls/sys_enter_execve").orElseThrow();
            assertTrue(prog.isExecutable());
            assertEquals(prog.size(), elf.contents(prog).length);
            ElfSymbol sym = elf.symbols().stream().filter(s -> s.name().equals("count_execve")).findFirst()
                    .orElseThrow();
            assertEquals(ElfSymbol.Type.FUNC, sym.type());
            assertEquals(ElfSymbol.Binding.GLOBAL, sym.binding());
            assertEquals(prog.index(), sym.sectionIndex());
            assertEquals(prog.size(), sym.size());
            ElfSection rel = elf.relocationSections().stream().filter(s -> s.info() == prog.index()).findFirst()
                    .orElseThrow();
            List<ElfRelocation> relocations = elf.relocations(rel);
            assertEquals(2, relocations.size());
            assertTrue(relocations.stream().allMatch(r -> r.bpfType().orElseThrow() == ElfRelocation.BpfType.R_64_64
                    && elf.symbols().get(r.symbolIndex()).name().equals("counting_map")));
        }
    }

    @Test
    void rejectsOtherMachinesNamingThem() {
        byte[] bytes = counter(BpfFixtures.BPFEL).bytes();
        bytes[18] = 62;
        bytes[19] = 0;
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ElfFile.parse("x.o", bytes));
        assertEquals("x.o: not a BPF object: e_machine 62 (x86-64)", e.getMessage());
    }

    @Test
    void rejectsNonElfAnd32BitFiles() {
        assertThrows(ObjectFormatException.class, () -> ElfFile.parse(new byte[0]));
        assertThrows(ObjectFormatException.class, () -> ElfFile.parse("#!/bin/sh\n".getBytes()));
        byte[] bytes = counter(BpfFixtures.BPFEL).bytes();
        bytes[4] = 1;
        assertTrue(assertThrows(ObjectFormatException.class, () -> ElfFile.parse(bytes)).getMessage()
                .contains("64-bit"));
        bytes[4] = 2;
        bytes[5] = 3;
        assertThrows(ObjectFormatException.class, () -> ElfFile.parse(bytes));
    }

    @Test
    void rejectsTruncatedSectionHeader() {
        byte[] bytes = counter(BpfFixtures.BPFEL).bytes();
        long shoff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
        byte[] cut = Arrays.copyOf(bytes, (int) shoff + 100);
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> ElfFile.parse("cut.o", cut));
        assertTrue(e.getMessage().startsWith("cut.o: section header table"), e.getMessage());
    }

    @Test
    void rejectsSectionOutsideTheFile() {
        byte[] bytes = counter(BpfFixtures.BPFEL).bytes();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(40);
        // Section 2's sh_offset far beyond the end, then sh_size so large that offset + size overflows.
        b.putLong((int) shoff + 2 * 64 + 24, 1L << 40);
        assertTrue(assertThrows(ObjectFormatException.class, () -> ElfFile.parse(bytes)).getMessage()
                .contains("outside"));
        b.putLong((int) shoff + 2 * 64 + 24, 64);
        b.putLong((int) shoff + 2 * 64 + 32, Long.MAX_VALUE);
        assertThrows(ObjectFormatException.class, () -> ElfFile.parse(bytes));
    }

    @Test
    void rejectsHugeSectionCountAndBadNameTable() {
        byte[] bytes = counter(BpfFixtures.BPFEL).bytes();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] many = bytes.clone();
        ByteBuffer.wrap(many).order(ByteOrder.LITTLE_ENDIAN).putShort(60, (short) 0xffff);
        assertThrows(ObjectFormatException.class, () -> ElfFile.parse(many));
        byte[] badStr = bytes.clone();
        ByteBuffer.wrap(badStr).order(ByteOrder.LITTLE_ENDIAN).putShort(62, (short) 0x7fff);
        assertThrows(ObjectFormatException.class, () -> ElfFile.parse(badStr));
        assertTrue(b.getShort(60) > 0);
    }
}

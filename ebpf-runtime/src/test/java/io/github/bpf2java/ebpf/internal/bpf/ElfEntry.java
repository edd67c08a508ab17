package io.github.bpf2java.ebpf.internal.bpf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Just enough of ELF64 to find where a binary's entry point lies in the file, for a uprobe test. */
final class ElfEntry {
    private static final int PT_LOAD = 1;
    private static final int PF_X = 1;

    private ElfEntry() {}

    /** The file offset of {@code e_entry}: the offset of the executable segment holding it, plus the distance. */
    static long fileOffsetOfEntry(Path binary) throws IOException {
        ByteBuffer elf = ByteBuffer.wrap(Files.readAllBytes(binary)).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.getInt(0) != 0x464c457f || elf.get(4) != 2 || elf.get(5) != 1) {
            throw new IOException(binary + " is not a little-endian ELF64 file");
        }
        long entry = elf.getLong(24);
        long phoff = elf.getLong(32);
        int phentsize = Short.toUnsignedInt(elf.getShort(54));
        int phnum = Short.toUnsignedInt(elf.getShort(56));
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            long offset = elf.getLong(ph + 8);
            long vaddr = elf.getLong(ph + 16);
            long filesz = elf.getLong(ph + 32);
            if (elf.getInt(ph) == PT_LOAD && (elf.getInt(ph + 4) & PF_X) != 0 && entry >= vaddr
                    && entry < vaddr + filesz) {
                return entry - vaddr + offset;
            }
        }
        throw new IOException("no executable segment of " + binary + " holds its entry point");
    }
}

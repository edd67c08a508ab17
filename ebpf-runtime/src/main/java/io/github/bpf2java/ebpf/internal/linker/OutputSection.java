package io.github.bpf2java.ebpf.internal.linker;

import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One section of the linked object: the parts of every input's section of this name, one after another. */
final class OutputSection {
    final String name;
    final int type;
    final long flags;
    long align = 1;
    private byte[] data = new byte[256];
    /** The size; for {@code SHT_NOBITS} only a memory size, with no bytes. */
    long size;
    final List<Relocation> relocations = new ArrayList<>();
    /** The index in the section header table, set when the file is laid out. */
    int index;

    /** A relocation of this section: at {@code offset}, of ELF type {@code type}, against {@code symbol}. */
    record Relocation(long offset, int type, LinkedSymbol symbol) {}

    OutputSection(String name, int type, long flags) {
        this.name = name;
        this.type = type;
        this.flags = flags;
    }

    boolean hasBytes() {
        return type != ElfSection.SHT_NOBITS;
    }

    boolean isExecutable() {
        return (flags & ElfSection.SHF_EXECINSTR) != 0;
    }

    /**
     * Appends one input's part at the next offset its alignment allows.
     *
     * @return where the part starts in this section
     */
    long append(byte[] part, long partSize, long partAlign) {
        long a = Math.max(1, partAlign);
        align = Math.max(align, a);
        long start = (size + a - 1) / a * a;
        size = start + partSize;
        if (hasBytes()) {
            if (size > data.length) {
                data = Arrays.copyOf(data, (int) Math.max(size, data.length * 2L));
            }
            System.arraycopy(part, 0, data, (int) start, part.length);
        }
        return start;
    }

    /** Adds {@code delta} to the 32- or 64-bit value at {@code offset}. */
    void add(long offset, int width, long delta, ByteOrder order) {
        int o = (int) offset;
        long value = 0;
        for (int i = 0; i < width; i++) {
            int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (width - 1 - i);
            value |= (data[o + i] & 0xffL) << shift;
        }
        value += delta;
        for (int i = 0; i < width; i++) {
            int shift = order == ByteOrder.LITTLE_ENDIAN ? 8 * i : 8 * (width - 1 - i);
            data[o + i] = (byte) (value >>> shift);
        }
    }

    int byteAt(long offset) {
        return data[(int) offset] & 0xff;
    }

    byte[] bytes() {
        return hasBytes() ? Arrays.copyOf(data, (int) size) : new byte[0];
    }
}

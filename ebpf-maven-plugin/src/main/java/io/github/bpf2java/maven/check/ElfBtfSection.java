package io.github.bpf2java.maven.check;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Finds the {@code .BTF} section of an ELF file (a kernel's {@code vmlinux}, a BPF object, any ELF built with
 * {@code -g} by a BTF-aware tool) by reading only the headers and that section, so a vmlinux of hundreds of
 * megabytes costs the size of its BTF. ELF32 and ELF64 in either byte order; every offset is checked against the
 * file's size, and a malformed file is reported as such, never with an index exception.
 */
final class ElfBtfSection {
    private static final int SHN_XINDEX = 0xffff;
    private static final int SHT_NOBITS = 8;
    /** No real BTF comes near this; refusing more keeps a corrupt size from allocating gigabytes. */
    private static final long MAX_SECTION_SIZE = 1L << 30;

    private final FileChannel channel;
    private final long fileSize;
    private boolean is64;
    private ByteOrder order;

    private ElfBtfSection(FileChannel channel) throws IOException {
        this.channel = channel;
        this.fileSize = channel.size();
    }

    /** Whether {@code header} (the file's first bytes) starts with the ELF magic. */
    static boolean isElf(byte[] header) {
        return header.length >= 4 && header[0] == 0x7f && header[1] == 'E' && header[2] == 'L' && header[3] == 'F';
    }

    /**
     * The contents of the {@code .BTF} section, or empty when the file has none.
     *
     * @throws MalformedFileException when the headers point outside the file or make no sense
     */
    static Optional<byte[]> read(FileChannel channel) throws IOException, MalformedFileException {
        return new ElfBtfSection(channel).find(".BTF");
    }

    private Optional<byte[]> find(String wanted) throws IOException, MalformedFileException {
        ByteBuffer ident = read(0, 16, "ELF identification");
        is64 = switch (ident.get(4)) {
            case 1 -> false;
            case 2 -> true;
            default -> throw new MalformedFileException("unknown ELF class " + ident.get(4));
        };
        order = switch (ident.get(5)) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw new MalformedFileException("unknown ELF data encoding " + ident.get(5));
        };
        ByteBuffer header = read(0, is64 ? 64 : 52, "ELF header");
        long sectionHeaders = is64 ? header.getLong(0x28) : Integer.toUnsignedLong(header.getInt(0x20));
        int entrySize = Short.toUnsignedInt(header.getShort(is64 ? 0x3a : 0x2e));
        long count = Short.toUnsignedInt(header.getShort(is64 ? 0x3c : 0x30));
        int namesIndex = Short.toUnsignedInt(header.getShort(is64 ? 0x3e : 0x32));
        if (sectionHeaders == 0) {
            return Optional.empty();
        }
        if (entrySize < (is64 ? 64 : 40)) {
            throw new MalformedFileException("section header size " + entrySize + " is too small");
        }
        if (count == 0 || namesIndex == SHN_XINDEX) {
            // More than 0xff00 sections: the real values live in section header 0.
            Section first = section(sectionHeaders, entrySize, 0);
            count = count == 0 ? first.size() : count;
            namesIndex = namesIndex == SHN_XINDEX ? first.link() : namesIndex;
        }
        if (namesIndex >= count) {
            throw new MalformedFileException("section name table index " + namesIndex + " is not below the section"
                    + " count " + count);
        }
        Section names = section(sectionHeaders, entrySize, namesIndex);
        byte[] wantedName = (wanted + "\0").getBytes(StandardCharsets.US_ASCII);
        for (long i = 1; i < count; i++) {
            Section section = section(sectionHeaders, entrySize, i);
            if (section.nameOffset() + wantedName.length > names.size()) {
                continue;
            }
            ByteBuffer name = read(names.offset() + section.nameOffset(), wantedName.length, "section name");
            if (name.equals(ByteBuffer.wrap(wantedName))) {
                if (section.type() == SHT_NOBITS) {
                    throw new MalformedFileException("section " + wanted + " has no contents in the file");
                }
                if (section.size() > MAX_SECTION_SIZE) {
                    throw new MalformedFileException("section " + wanted + " claims " + section.size() + " bytes");
                }
                return Optional.of(read(section.offset(), (int) section.size(), "section " + wanted).array());
            }
        }
        return Optional.empty();
    }

    private record Section(long nameOffset, int type, long offset, long size, int link) {}

    private Section section(long table, int entrySize, long index) throws IOException, MalformedFileException {
        ByteBuffer h = read(table + index * entrySize, is64 ? 64 : 40, "section header " + index);
        long nameOffset = Integer.toUnsignedLong(h.getInt(0));
        int type = h.getInt(4);
        if (is64) {
            return new Section(nameOffset, type, h.getLong(0x18), h.getLong(0x20), h.getInt(0x28));
        }
        return new Section(nameOffset, type, Integer.toUnsignedLong(h.getInt(0x10)),
                Integer.toUnsignedLong(h.getInt(0x14)), h.getInt(0x18));
    }

    private ByteBuffer read(long offset, int length, String what) throws IOException, MalformedFileException {
        if (offset < 0 || length < 0 || offset > fileSize - length) {
            throw new MalformedFileException(what + " (" + length + " bytes at offset " + Long.toUnsignedString(offset)
                    + ") lies outside the file of " + fileSize + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new MalformedFileException(what + " is cut short by the end of the file");
            }
        }
        return buffer.flip().order(order == null ? ByteOrder.LITTLE_ENDIAN : order);
    }

    /** The file is ELF but its headers are inconsistent. */
    static final class MalformedFileException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedFileException(String message) {
            super(message);
        }
    }
}

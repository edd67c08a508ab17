package io.github.bpf2java.maven.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The sections of an ELF file (ELF32 or ELF64, either byte order), read from a file channel or from bytes in memory.
 * Only the headers are read until a section's contents are asked for, so a {@code vmlinux} of hundreds of megabytes
 * costs its headers and the sections wanted. Every offset is checked against the file's size: a malformed file is
 * reported as a {@link MalformedElfException} naming what is wrong, never with an index exception.
 */
public final class ElfSectionTable {
    /** {@code SHT_NOBITS}: a section that occupies no bytes in the file ({@code .bss}). */
    public static final int SHT_NOBITS = 8;
    private static final int SHN_XINDEX = 0xffff;

    private final Source source;
    private final boolean is64;
    private final ByteOrder order;
    private final List<Section> sections;

    /**
     * One section header.
     *
     * @param name   the section's name
     * @param type   {@code sh_type}
     * @param offset where its contents start in the file
     * @param size   {@code sh_size}
     */
    public record Section(String name, int type, long offset, long size) {
        /** Whether the section has bytes in the file (everything but {@link #SHT_NOBITS}). */
        public boolean inFile() {
            return type != SHT_NOBITS;
        }
    }

    /** Reads {@code length} bytes at {@code offset}, checked against the file's size. */
    private interface Source {
        ByteBuffer read(long offset, int length, String what) throws IOException, MalformedElfException;

        long size();
    }

    private ElfSectionTable(Source source) throws IOException, MalformedElfException {
        this.source = source;
        ByteBuffer ident = source.read(0, 16, "ELF identification");
        if (!isElf(ident.array())) {
            throw new MalformedElfException("no ELF magic at the start of the file");
        }
        is64 = switch (ident.get(4)) {
            case 1 -> false;
            case 2 -> true;
            default -> throw new MalformedElfException("unknown ELF class " + ident.get(4));
        };
        order = switch (ident.get(5)) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw new MalformedElfException("unknown ELF data encoding " + ident.get(5));
        };
        sections = readSections();
    }

    /** Whether {@code header} (the file's first bytes) starts with the ELF magic. */
    public static boolean isElf(byte[] header) {
        return header.length >= 4 && header[0] == 0x7f && header[1] == 'E' && header[2] == 'L' && header[3] == 'F';
    }

    /** The section table of the file behind {@code channel}. */
    public static ElfSectionTable read(FileChannel channel) throws IOException, MalformedElfException {
        long size = channel.size();
        return new ElfSectionTable(new Source() {
            @Override
            public ByteBuffer read(long offset, int length, String what) throws IOException, MalformedElfException {
                checkBounds(offset, length, size, what);
                ByteBuffer buffer = ByteBuffer.allocate(length);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + buffer.position()) < 0) {
                        throw new MalformedElfException(what + " is cut short by the end of the file");
                    }
                }
                return buffer.flip();
            }

            @Override
            public long size() {
                return size;
            }
        });
    }

    /** The section table of the file held in {@code bytes}. */
    public static ElfSectionTable read(byte[] bytes) throws MalformedElfException {
        try {
            return new ElfSectionTable(new Source() {
                @Override
                public ByteBuffer read(long offset, int length, String what) throws MalformedElfException {
                    checkBounds(offset, length, bytes.length, what);
                    return ByteBuffer.wrap(bytes, (int) offset, length).slice();
                }

                @Override
                public long size() {
                    return bytes.length;
                }
            });
        } catch (IOException impossible) {
            throw new AssertionError("reading bytes in memory does no I/O", impossible);
        }
    }

    /** Whether the file is ELF64. */
    public boolean is64() {
        return is64;
    }

    /** The file's byte order. */
    public ByteOrder order() {
        return order;
    }

    /** The file's size in bytes. */
    public long fileSize() {
        return source.size();
    }

    /** Every section, in header order (index 0, the null section, included). */
    public List<Section> sections() {
        return sections;
    }

    /** The first section named {@code name}; the null section (index 0) is never one. */
    public Optional<Section> find(String name) {
        return sections.stream().skip(1).filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The contents of {@code section}, read from the file.
     *
     * @throws MalformedElfException when it has no bytes in the file or lies outside it
     */
    public byte[] contents(Section section) throws IOException, MalformedElfException {
        if (!section.inFile()) {
            throw new MalformedElfException("section " + section.name() + " has no contents in the file");
        }
        if (section.size() > Integer.MAX_VALUE) {
            throw new MalformedElfException("section " + section.name() + " claims " + section.size() + " bytes");
        }
        ByteBuffer contents = source.read(section.offset(), (int) section.size(), "section " + section.name());
        byte[] bytes = new byte[contents.remaining()];
        contents.get(bytes);
        return bytes;
    }

    private List<Section> readSections() throws IOException, MalformedElfException {
        ByteBuffer header = source.read(0, is64 ? 64 : 52, "ELF header").order(order);
        long table = is64 ? header.getLong(0x28) : Integer.toUnsignedLong(header.getInt(0x20));
        int entrySize = Short.toUnsignedInt(header.getShort(is64 ? 0x3a : 0x2e));
        long count = Short.toUnsignedInt(header.getShort(is64 ? 0x3c : 0x30));
        int namesIndex = Short.toUnsignedInt(header.getShort(is64 ? 0x3e : 0x32));
        if (table == 0) {
            return List.of();
        }
        if (entrySize < (is64 ? 64 : 40)) {
            throw new MalformedElfException("section header size " + entrySize + " is too small");
        }
        if (count == 0 || namesIndex == SHN_XINDEX) {
            // More than 0xff00 sections: the real values live in section header 0.
            RawHeader first = header(table, entrySize, 0);
            count = count == 0 ? first.size() : count;
            namesIndex = namesIndex == SHN_XINDEX ? first.link() : namesIndex;
        }
        if (namesIndex >= count) {
            throw new MalformedElfException("section name table index " + namesIndex + " is not below the section"
                    + " count " + count);
        }
        if (count > source.size() / entrySize) {
            throw new MalformedElfException(count + " section headers of " + entrySize + " bytes cannot fit in the"
                    + " file of " + source.size() + " bytes");
        }
        List<RawHeader> raw = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            raw.add(header(table, entrySize, i));
        }
        RawHeader namesHeader = raw.get(namesIndex);
        if (namesHeader.type() == SHT_NOBITS || namesHeader.size() > Integer.MAX_VALUE) {
            throw new MalformedElfException("the section name table has no usable contents");
        }
        ByteBuffer names = source.read(namesHeader.offset(), (int) namesHeader.size(), "section name table");
        List<Section> result = new ArrayList<>();
        for (RawHeader h : raw) {
            result.add(new Section(name(names, h.nameOffset()), h.type(), h.offset(), h.size()));
        }
        return List.copyOf(result);
    }

    private record RawHeader(long nameOffset, int type, long offset, long size, int link) {}

    private RawHeader header(long table, int entrySize, long index) throws IOException, MalformedElfException {
        ByteBuffer h = source.read(table + index * entrySize, is64 ? 64 : 40, "section header " + index).order(order);
        long nameOffset = Integer.toUnsignedLong(h.getInt(0));
        int type = h.getInt(4);
        if (is64) {
            return new RawHeader(nameOffset, type, h.getLong(0x18), h.getLong(0x20), h.getInt(0x28));
        }
        return new RawHeader(nameOffset, type, Integer.toUnsignedLong(h.getInt(0x10)),
                Integer.toUnsignedLong(h.getInt(0x14)), h.getInt(0x18));
    }

    /**
     * The NUL-terminated name at {@code offset}; a name outside the table, or not terminated inside it, reads as
     * empty, matching nothing.
     */
    private static String name(ByteBuffer names, long offset) {
        if (offset >= names.limit()) {
            return "";
        }
        int end = (int) offset;
        while (end < names.limit() && names.get(end) != 0) {
            end++;
        }
        if (end == names.limit()) {
            return "";
        }
        byte[] bytes = new byte[end - (int) offset];
        names.get((int) offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void checkBounds(long offset, int length, long fileSize, String what)
            throws MalformedElfException {
        if (offset < 0 || length < 0 || offset > fileSize - length) {
            throw new MalformedElfException(what + " (" + length + " bytes at offset " + Long.toUnsignedString(offset)
                    + ") lies outside the file of " + fileSize + " bytes");
        }
    }

    /** The file is not ELF, or its headers are inconsistent. */
    public static final class MalformedElfException extends Exception {
        private static final long serialVersionUID = 1L;

        /** An error saying what is wrong. */
        public MalformedElfException(String message) {
            super(message);
        }
    }
}

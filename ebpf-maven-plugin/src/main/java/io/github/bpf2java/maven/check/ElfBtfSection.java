package io.github.bpf2java.maven.check;

import io.github.bpf2java.maven.elf.ElfSectionTable;
import io.github.bpf2java.maven.elf.ElfSectionTable.MalformedElfException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Finds the {@code .BTF} section of an ELF file (a kernel's {@code vmlinux}, a BPF object, any ELF built with
 * {@code -g} by a BTF-aware tool) by reading only the headers and that section, so a vmlinux of hundreds of
 * megabytes costs the size of its BTF.
 */
final class ElfBtfSection {
    /** No real BTF comes near this; refusing more keeps a corrupt size from allocating gigabytes. */
    private static final long MAX_SECTION_SIZE = 1L << 30;

    private ElfBtfSection() {}

    /** Whether {@code header} (the file's first bytes) starts with the ELF magic. */
    static boolean isElf(byte[] header) {
        return ElfSectionTable.isElf(header);
    }

    /**
     * The contents of the {@code .BTF} section, or empty when the file has none.
     *
     * @throws MalformedElfException when the headers point outside the file or make no sense
     */
    static Optional<byte[]> read(FileChannel channel) throws IOException, MalformedElfException {
        ElfSectionTable elf = ElfSectionTable.read(channel);
        Optional<ElfSectionTable.Section> btf = elf.find(".BTF");
        if (btf.isEmpty()) {
            return Optional.empty();
        }
        if (btf.get().size() > MAX_SECTION_SIZE) {
            throw new MalformedElfException("section .BTF claims " + btf.get().size() + " bytes");
        }
        return Optional.of(elf.contents(btf.get()));
    }
}

package io.github.bpf2java.maven.check;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.maven.elf.ElfSectionTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads a {@link KernelBtf}: raw BTF (recognised by its magic number, in either byte order) or the {@code .BTF}
 * section of an ELF file. Anything else, or BTF the runtime's parser refuses, is an {@link UnreadableBtfException}
 * whose message says what the file is and what is wrong with it.
 */
public final class KernelBtfReader {
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};

    /** @throws UnreadableBtfException when the file cannot be read or holds no usable BTF */
    public Btf read(KernelBtf kernel) throws UnreadableBtfException {
        try (FileChannel channel = FileChannel.open(kernel.file(), StandardOpenOption.READ)) {
            byte[] start = start(channel);
            if (ElfBtfSection.isElf(start)) {
                Optional<byte[]> section = ElfBtfSection.read(channel);
                if (section.isEmpty()) {
                    throw new UnreadableBtfException(kernel, "an ELF file without a .BTF section: build it with"
                            + " BTF (a kernel with CONFIG_DEBUG_INFO_BTF=y, an object compiled with clang -g)");
                }
                return parse(kernel, section.get(), "the .BTF section of this ELF file");
            }
            if (startsWith(start, XZ_MAGIC) || startsWith(start, GZIP_MAGIC)) {
                throw new UnreadableBtfException(kernel, "compressed (BTFHub ships .btf.tar.xz archives): extract"
                        + " it first, e.g. tar -xJf <archive>, and list the .btf file inside");
            }
            if (!isRawBtf(start)) {
                throw new UnreadableBtfException(kernel, "neither raw BTF (magic 0xeb9f) nor an ELF file; its"
                        + " first bytes are " + hex(start));
            }
            return parse(kernel, Files.readAllBytes(kernel.file()), "this raw BTF");
        } catch (ElfSectionTable.MalformedElfException e) {
            throw new UnreadableBtfException(kernel, "a malformed ELF file: " + e.getMessage());
        } catch (IOException e) {
            throw new UnreadableBtfException(kernel, "unreadable: " + e);
        }
    }

    private static Btf parse(KernelBtf kernel, byte[] data, String what) throws UnreadableBtfException {
        try {
            return Btf.parse(data);
        } catch (ObjectFormatException e) {
            throw new UnreadableBtfException(kernel, "not valid BTF: " + what + " does not parse: " + e.getMessage());
        }
    }

    private static byte[] start(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // A short read is retried until the buffer is full or the file ends.
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    private static boolean isRawBtf(byte[] start) {
        return start.length >= 2 && (start[0] == (byte) 0x9f && start[1] == (byte) 0xeb
                || start[0] == (byte) 0xeb && start[1] == (byte) 0x9f);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String hex(byte[] bytes) {
        if (bytes.length == 0) {
            return "(none: the file is empty)";
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x ", b & 0xff));
        }
        return sb.toString().trim();
    }

    /** A kernel BTF file that cannot be used; the message names the file and what is wrong. */
    public static final class UnreadableBtfException extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableBtfException(KernelBtf kernel, String problem) {
            super(kernel.name() + " is " + problem);
        }
    }
}

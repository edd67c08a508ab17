package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.maven.build.EbpfBuildException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One {@code vmlinux.h} on disk, kept in step with the BTF file it is written from. Writing the kernel's header takes
 * about a second, so a stamp beside it remembers the BTF's size, modification time and SHA-256: an unchanged BTF costs
 * one {@code stat}, a touched but identical one a hash, and only a changed one a new header. The header is replaced
 * atomically and only when its text changes, so the incremental build, which digests every header a source
 * includes, recompiles exactly when the types changed.
 */
public final class VmlinuxHeaderFile {
    /** Bumped whenever the writer's output changes, so headers of an older plugin are rewritten. */
    static final String WRITER_VERSION = "1";
    /** The running kernel's BTF. */
    public static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");

    private VmlinuxHeaderFile() {}

    /** What {@link #update} did. */
    public enum Outcome {
        /** The header was written (it was missing, or the BTF changed). */
        WRITTEN,
        /** The header was already written from this BTF. */
        UP_TO_DATE
    }

    /**
     * Makes {@code header} the C dump of the BTF in {@code btfFile}, unless it already is.
     *
     * @throws EbpfBuildException when the BTF file is missing or is not BTF, with what to do about it
     */
    public static Outcome update(Path btfFile, Path header) throws EbpfBuildException, IOException {
        if (!Files.isReadable(btfFile)) {
            throw new EbpfBuildException("Cannot write vmlinux.h: the BTF file " + btfFile + " does not exist or is"
                    + " not readable." + (btfFile.equals(KERNEL_BTF)
                    ? "\n  Fix: this kernel exposes no BTF (it needs CONFIG_DEBUG_INFO_BTF=y). Give a BTF file of the"
                    + " kernel you target instead, e.g. one from BTFHub, with <btfFile> (ebpf.vmlinux.btf), or put"
                    + " a vmlinux.h of your own on the include path."
                    : "\n  Fix: check the path; a kernel's BTF is /sys/kernel/btf/vmlinux on that machine, or a"
                    + " vmlinux file's .BTF section extracted with objcopy, or a file from BTFHub."));
        }
        Path stamp = header.resolveSibling(header.getFileName() + ".stamp");
        String quick = WRITER_VERSION + " " + btfFile.toAbsolutePath() + " " + Files.size(btfFile) + " "
                + Files.getLastModifiedTime(btfFile).toMillis();
        String previous = Files.isRegularFile(stamp) ? Files.readString(stamp, StandardCharsets.UTF_8) : "";
        if (Files.isRegularFile(header) && previous.startsWith(quick + "\n")) {
            return Outcome.UP_TO_DATE;
        }
        byte[] bytes = Files.readAllBytes(btfFile);
        String digest = sha256(bytes);
        Files.createDirectories(header.toAbsolutePath().getParent());
        if (Files.isRegularFile(header) && previous.endsWith("\n" + digest + "\n")) {
            writeAtomically(stamp, quick + "\n" + digest + "\n");
            return Outcome.UP_TO_DATE;
        }
        String text;
        try {
            text = VmlinuxHeaderWriter.write(Btf.parse(bytes), btfFile.toString());
        } catch (ObjectFormatException e) {
            throw new EbpfBuildException("Cannot write vmlinux.h: " + btfFile + " is not valid BTF: " + e.getMessage()
                    + "\n  Fix: give a raw BTF file (as /sys/kernel/btf/vmlinux is), not an ELF file or an archive.",
                    e);
        }
        if (!Files.isRegularFile(header) || !Files.readString(header, StandardCharsets.UTF_8).equals(text)) {
            writeAtomically(header, text);
        }
        writeAtomically(stamp, quick + "\n" + digest + "\n");
        return Outcome.WRITTEN;
    }

    /** The SHA-256 of a BTF file, for fingerprints. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        // Two builds may write the same header at once; each renames its own complete file into place.
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

package io.github.bpf2java.ebpf.internal.host;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the file a probe names by a bare name, as the dynamic linker and the shell would: a shared library
 * ({@code libc.so.6}) through {@code /etc/ld.so.cache} and then the standard library directories, a program
 * ({@code bash}) through {@code PATH} and then {@code /usr/bin}, {@code /usr/sbin}. A name with a {@code /} is a
 * path and is taken as it is. Only files for this machine's architecture qualify (a multi-arch system has several
 * {@code libc.so.6}).
 */
public final class BinaryPaths {
    private static final Path LD_SO_CACHE = Path.of("/etc/ld.so.cache");
    private static final String OLD_MAGIC = "ld.so-1.7.0";
    private static final String NEW_MAGIC = "glibc-ld.so.cache";

    private BinaryPaths() {}

    /**
     * The file {@code name} stands for.
     *
     * @throws NotFoundException listing where it looked
     */
    public static Path resolve(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty binary name");
        }
        if (name.contains("/")) {
            Path path = Path.of(name);
            if (!Files.isRegularFile(path)) {
                throw new NotFoundException(path + " does not exist or is not a file", "find binary",
                        Errno.ENOENT.number(), name, "give the path of an executable or shared library");
            }
            // Absolute: the kernel keeps the path as given, and reports it in link info to any process, whatever
            // its working directory.
            return path.toAbsolutePath().normalize();
        }
        boolean library = name.endsWith(".so") || name.contains(".so.");
        List<Path> candidates = new ArrayList<>();
        if (library) {
            candidates.addAll(fromLdSoCache(name));
            for (String dir : libraryDirectories()) {
                candidates.add(Path.of(dir, name));
            }
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, name));
                }
            }
            candidates.add(Path.of("/usr/bin", name));
            candidates.add(Path.of("/usr/sbin", name));
        }
        Set<Path> looked = new LinkedHashSet<>();
        for (Path candidate : candidates) {
            if (looked.add(candidate) && Files.isRegularFile(candidate) && forThisMachine(candidate)) {
                return candidate;
            }
        }
        throw new NotFoundException("cannot find " + (library ? "shared library" : "program") + " '" + name + "'",
                "find binary", Errno.ENOENT.number(), name, "looked in " + (library ? LD_SO_CACHE + ", " : "")
                        + looked.stream().map(p -> p.getParent().toString()).distinct().toList()
                        + "; give its full path instead");
    }

    /** The directories libraries are searched in after the cache: LD_LIBRARY_PATH, then the standard ones. */
    private static List<String> libraryDirectories() {
        List<String> dirs = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("LD_LIBRARY_PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                dirs.add(dir);
            }
        }
        String triple = multiarchTriple();
        dirs.addAll(List.of("/lib/" + triple, "/usr/lib/" + triple, "/lib64", "/usr/lib64", "/lib", "/usr/lib"));
        return dirs;
    }

    /** Debian's multiarch directory name for this machine, e.g. {@code x86_64-linux-gnu}. */
    static String multiarchTriple() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "s390x" -> "s390x-linux-gnu";
            case "ppc64le" -> "powerpc64le-linux-gnu";
            case "riscv64" -> "riscv64-linux-gnu";
            default -> arch + "-linux-gnu";
        };
    }

    /** The paths {@code /etc/ld.so.cache} lists for {@code name}, in its order (best first). */
    static List<Path> fromLdSoCache(String name) {
        try {
            if (!Files.isRegularFile(LD_SO_CACHE)) {
                return List.of();
            }
            return parseLdSoCache(Files.readAllBytes(LD_SO_CACHE), name);
        } catch (IOException | RuntimeException unreadable) {
            return List.of(); // the directories are searched next anyway
        }
    }

    /**
     * Reads glibc's cache format ({@code glibc-ld.so.cache1.1}: a 48-byte header with the entry count, then
     * 24-byte entries whose key and value are offsets of the name and the path from the header), optionally after
     * the old {@code ld.so-1.7.0} table.
     */
    static List<Path> parseLdSoCache(byte[] bytes, String name) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int base = 0;
        if (startsWith(bytes, 0, OLD_MAGIC)) {
            int oldCount = b.getInt(12);
            base = (int) ((16L + 12L * oldCount + 7) & ~7L);
        }
        if (!startsWith(bytes, base, NEW_MAGIC)) {
            return List.of();
        }
        int count = b.getInt(base + 20);
        List<Path> out = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long entry = base + 48L + 24L * i;
            if (entry + 24 > bytes.length) {
                break;
            }
            String key = cString(bytes, base + Integer.toUnsignedLong(b.getInt((int) entry + 4)));
            if (name.equals(key)) {
                out.add(Path.of(cString(bytes, base + Integer.toUnsignedLong(b.getInt((int) entry + 8)))));
            }
        }
        return out;
    }

    private static boolean startsWith(byte[] bytes, int at, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (at < 0 || at + m.length > bytes.length) {
            return false;
        }
        for (int i = 0; i < m.length; i++) {
            if (bytes[at + i] != m[i]) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] bytes, long at) {
        if (at < 0 || at >= bytes.length) {
            return "";
        }
        int end = (int) at;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, (int) at, end - (int) at, StandardCharsets.UTF_8);
    }

    /** Whether {@code path} is an ELF file for this machine (a 32-bit libc of a multi-arch system is not). */
    static boolean forThisMachine(Path path) {
        byte[] header = new byte[20];
        try (InputStream in = Files.newInputStream(path)) {
            if (in.readNBytes(header, 0, header.length) < header.length) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        if (header[0] != 0x7f || header[1] != 'E' || header[2] != 'L' || header[3] != 'F') {
            return true; // a script or something else: let the caller's ELF reader say what is wrong
        }
        ByteOrder order = header[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int machine = ByteBuffer.wrap(header).order(order).getShort(18) & 0xffff;
        return header[4] == 2 && machine == hostMachine();
    }

    private static int hostMachine() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> 62;
            case "aarch64", "arm64" -> 183;
            case "s390x" -> 22;
            case "ppc64le", "ppc64" -> 21;
            case "riscv64" -> 243;
            case "loongarch64" -> 258;
            default -> -1;
        };
    }
}

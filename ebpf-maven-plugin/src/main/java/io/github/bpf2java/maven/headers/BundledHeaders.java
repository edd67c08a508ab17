package io.github.bpf2java.maven.headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The BPF headers this plugin ships ({@code bpf/bpf_helpers.h}, {@code bpf/bpf_helper_defs.h},
 * {@code bpf/bpf_core_read.h}, {@code bpf/bpf_tracing.h}, {@code bpf/bpf_endian.h}, {@code bpf/usdt.bpf.h}), written
 * by this project so that sources compile without libbpf's development headers. They are extracted into an include
 * directory of the build and put on clang's path according to a {@link BundledHeadersMode}.
 *
 * <p>The up-to-date check of every build needs their digest, so it is not computed at build time: the resource
 * {@code bpf/MANIFEST} lists each header's SHA-256 and size and, on its first line, the digest of them all; a test
 * keeps it true. Extraction is skipped after one look at a marker file and the headers' sizes when the extracted
 * headers are those of this digest.
 */
public final class BundledHeaders {
    /** The header file names, all below {@code bpf/}. */
    public static final List<String> NAMES = List.of(
            "bpf_helpers.h", "bpf_helper_defs.h", "bpf_core_read.h", "bpf_tracing.h", "bpf_endian.h", "usdt.bpf.h");
    /** The resource listing the headers' digests, below the resource directory. */
    public static final String MANIFEST = "MANIFEST";
    /** The file in the extracted {@code bpf/} directory naming the digest of the headers there. */
    static final String MARKER = ".bpf2java-headers";
    private static final String RESOURCE_DIRECTORY = "bpf/";

    private final String digest;
    private final Map<String, Long> sizes;

    private BundledHeaders(String digest, Map<String, Long> sizes) {
        this.digest = digest;
        this.sizes = sizes;
    }

    /** The headers packaged with the plugin, as its manifest describes them. */
    public static BundledHeaders packaged() {
        String manifest = new String(resource(MANIFEST), StandardCharsets.UTF_8);
        String[] lines = manifest.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("digest ")) {
            throw new IllegalStateException("The plugin's " + RESOURCE_DIRECTORY + MANIFEST + " has no digest line");
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].trim().split("\\s+");
            if (fields.length == 3) {
                sizes.put(fields[2], Long.parseLong(fields[1]));
            }
        }
        if (!sizes.keySet().equals(new java.util.LinkedHashSet<>(NAMES))) {
            throw new IllegalStateException("The plugin's " + RESOURCE_DIRECTORY + MANIFEST + " lists " + sizes.keySet()
                    + ", not its headers " + NAMES);
        }
        return new BundledHeaders(lines[0].substring("digest ".length()).trim(), sizes);
    }

    /** SHA-256 over every header's name and contents: a change of any header changes it. */
    public String digest() {
        return digest;
    }

    /**
     * Makes {@code includeDirectory/bpf/} hold exactly these headers. When its marker names this digest and every
     * header has its size, nothing is read or written. Otherwise a file already equal to ours is left alone (its
     * time stamp too); a changed one is replaced atomically, so a concurrent build never reads half a header; files
     * that are not ours are removed; the marker is written last.
     *
     * @return {@code includeDirectory}, the directory to put on clang's include path
     */
    public Path extractTo(Path includeDirectory) throws IOException {
        Path bpf = includeDirectory.resolve("bpf");
        if (upToDate(bpf)) {
            return includeDirectory;
        }
        Files.createDirectories(bpf);
        for (String name : NAMES) {
            byte[] contents = resource(name);
            Path file = bpf.resolve(name);
            if (!(Files.isRegularFile(file) && Files.size(file) == contents.length
                    && Arrays.equals(Files.readAllBytes(file), contents))) {
                writeAtomically(file, contents);
            }
        }
        try (Stream<Path> files = Files.list(bpf)) {
            for (Path stray : files.filter(f -> !NAMES.contains(f.getFileName().toString())
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                Files.deleteIfExists(stray);
            }
        }
        writeAtomically(bpf.resolve(MARKER), (digest + "\n").getBytes(StandardCharsets.UTF_8));
        return includeDirectory;
    }

    private boolean upToDate(Path bpf) throws IOException {
        Path marker = bpf.resolve(MARKER);
        if (!Files.isRegularFile(marker)
                || !Files.readString(marker, StandardCharsets.UTF_8).trim().equals(digest)) {
            return false;
        }
        for (Map.Entry<String, Long> header : sizes.entrySet()) {
            Path file = bpf.resolve(header.getKey());
            if (!Files.isRegularFile(file) || Files.size(file) != header.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Replaces {@code file} by {@code contents} in one rename, so a concurrent build never reads half a header. */
    static void writeAtomically(Path file, byte[] contents) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.write(temporary, contents);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = BundledHeaders.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("The plugin jar lacks its resource " + RESOURCE_DIRECTORY + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the plugin's resource " + RESOURCE_DIRECTORY + name, e);
        }
    }

    /**
     * The clang arguments that put {@code includeDirectory} on the path for {@code mode}: {@code -idirafter} (searched
     * after the system directories) for {@code fallback}, {@code -I} for {@code always}, nothing for {@code never}.
     * {@code includeDirectory} is given as it should appear on the command line (relative to clang's directory
     * when it lies inside the project, so that nothing depends on where the project is).
     */
    public static List<String> clangArguments(BundledHeadersMode mode, String includeDirectory) {
        return switch (mode) {
            case FALLBACK -> List.of("-idirafter", includeDirectory);
            case ALWAYS -> List.of("-I" + includeDirectory);
            case NEVER -> List.of();
        };
    }
}

package io.github.bpf2java.maven.headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The BPF headers this plugin ships ({@code bpf/bpf_helpers.h}, {@code bpf/bpf_helper_defs.h},
 * {@code bpf/bpf_core_read.h}, {@code bpf/bpf_tracing.h}, {@code bpf/bpf_endian.h}, {@code bpf/usdt.bpf.h}), written by this project so that
 * sources compile without libbpf's development headers. They are extracted into an include directory of the build
 * and put on clang's path according to a {@link BundledHeadersMode}.
 */
public final class BundledHeaders {
    /** The header file names, all below {@code bpf/}. */
    public static final List<String> NAMES = List.of(
            "bpf_helpers.h", "bpf_helper_defs.h", "bpf_core_read.h", "bpf_tracing.h", "bpf_endian.h", "usdt.bpf.h");
    private static final String RESOURCE_DIRECTORY = "bpf/";

    private final Map<String, byte[]> contents;
    private final String digest;

    private BundledHeaders(Map<String, byte[]> contents) {
        this.contents = contents;
        MessageDigest sha = sha256();
        contents.forEach((name, bytes) -> {
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(bytes);
        });
        this.digest = HexFormat.of().formatHex(sha.digest());
    }

    /** The headers packaged with the plugin. */
    public static BundledHeaders packaged() {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String name : NAMES) {
            try (InputStream in = BundledHeaders.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
                if (in == null) {
                    throw new IllegalStateException("The plugin jar lacks its header " + RESOURCE_DIRECTORY + name);
                }
                contents.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the plugin's header " + name, e);
            }
        }
        return new BundledHeaders(contents);
    }

    /** SHA-256 of every header's name and contents: a change of any header changes it. */
    public String digest() {
        return digest;
    }

    /**
     * Makes {@code includeDirectory/bpf/} hold exactly these headers. A file already equal to ours is left alone
     * (its time stamp too); a changed one is replaced atomically, so a concurrent build never reads half a header;
     * files that are not ours are removed.
     *
     * @return {@code includeDirectory}, the directory to put on clang's include path
     */
    public Path extractTo(Path includeDirectory) throws IOException {
        Path bpf = Files.createDirectories(includeDirectory.resolve("bpf"));
        for (Map.Entry<String, byte[]> header : contents.entrySet()) {
            Path file = bpf.resolve(header.getKey());
            if (Files.isRegularFile(file) && Files.size(file) == header.getValue().length
                    && Arrays.equals(Files.readAllBytes(file), header.getValue())) {
                continue;
            }
            Path temporary = Files.createTempFile(bpf, "." + header.getKey(), ".tmp");
            try {
                Files.write(temporary, header.getValue());
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        try (Stream<Path> files = Files.list(bpf)) {
            for (Path stray : files.filter(f -> !contents.containsKey(f.getFileName().toString())
                    && !f.getFileName().toString().startsWith(".")).toList()) {
                Files.deleteIfExists(stray);
            }
        }
        return includeDirectory;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}

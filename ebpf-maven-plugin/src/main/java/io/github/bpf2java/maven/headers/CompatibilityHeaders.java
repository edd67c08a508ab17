package io.github.bpf2java.maven.headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Headers that let C written for other build setups compile unmodified, written by this project and searched after
 * every other include directory ({@code -idirafter}), in every {@link BundledHeadersMode}, so that a real one, when
 * installed, wins:
 *
 * <ul>
 *   <li>{@code gnu/stubs-32.h}, empty: glibc's {@code gnu/stubs.h} asks for it when a source reaches the C library's
 *       headers ({@code errno.h}, or {@code linux/if_ether.h} through {@code sys/socket.h}) for the BPF target, and
 *       only a multilib C library installs it. It lists functions the C library lacks, nothing BPF code can call.
 *   <li>{@code bpf2java/legacy_maps.h}: {@code struct bpf_map_def} for legacy {@code SEC("maps")} definitions, which
 *       libbpf 1.0 removed; included by the user ({@code -include bpf2java/legacy_maps.h} in the cflags), never by
 *       the plugin. {@link LegacyMapDefinitions} points a failed compile at it.
 * </ul>
 *
 * <p>Two small files: unlike {@link BundledHeaders}, their digest is computed when needed, not kept in a manifest.
 */
public final class CompatibilityHeaders {
    /** The headers' paths below the include directory. */
    public static final List<String> NAMES = List.of("gnu/stubs-32.h", "bpf2java/legacy_maps.h");
    private static final String RESOURCE_DIRECTORY = "compat/";

    private final Map<String, byte[]> contents;

    private CompatibilityHeaders(Map<String, byte[]> contents) {
        this.contents = contents;
    }

    /** The headers packaged with the plugin. */
    public static CompatibilityHeaders packaged() {
        Map<String, byte[]> contents = new LinkedHashMap<>();
        for (String name : NAMES) {
            try (InputStream in = CompatibilityHeaders.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
                if (in == null) {
                    throw new IllegalStateException("The plugin jar lacks its resource " + RESOURCE_DIRECTORY + name);
                }
                contents.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the plugin's resource " + RESOURCE_DIRECTORY + name, e);
            }
        }
        return new CompatibilityHeaders(contents);
    }

    /** SHA-256 over every header's name and contents, for the build's configuration: a change rebuilds. */
    public String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            contents.forEach((name, bytes) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(bytes);
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Makes {@code includeDirectory} hold these headers; a file already equal to ours is left alone, its time stamp
     * too, so that sources including it are not rebuilt.
     *
     * @return {@code includeDirectory}, the directory to put on clang's include path
     */
    public Path extractTo(Path includeDirectory) throws IOException {
        for (Map.Entry<String, byte[]> header : contents.entrySet()) {
            Path file = includeDirectory.resolve(header.getKey());
            byte[] bytes = header.getValue();
            if (!(Files.isRegularFile(file) && Files.size(file) == bytes.length
                    && Arrays.equals(Files.readAllBytes(file), bytes))) {
                Files.createDirectories(file.getParent());
                BundledHeaders.writeAtomically(file, bytes);
            }
        }
        return includeDirectory;
    }

    /** The clang arguments that search {@code includeDirectory} (as it should appear on the command line) last. */
    public static List<String> clangArguments(String includeDirectory) {
        return List.of("-idirafter", includeDirectory);
    }
}

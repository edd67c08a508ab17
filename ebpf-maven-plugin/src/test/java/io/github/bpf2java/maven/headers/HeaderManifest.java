package io.github.bpf2java.maven.headers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes {@code bpf/MANIFEST} for the headers in the resource directory: a first line {@code digest <sha-256>} over
 * every header's name and contents, then {@code <sha-256> <size> <name>} per header. The plugin reads the digest
 * from it instead of hashing its headers in every build; {@code BundledHeadersTest} fails when it is stale.
 */
public final class HeaderManifest {
    /** The headers as committed, relative to the plugin module. */
    public static final Path DIRECTORY = Path.of("src/main/resources/io/github/bpf2java/maven/headers/bpf");

    private HeaderManifest() {}

    /** Rewrites the manifest of {@link #DIRECTORY}. */
    public static void main(String[] args) throws IOException {
        Files.writeString(DIRECTORY.resolve(BundledHeaders.MANIFEST), of(DIRECTORY), StandardCharsets.UTF_8);
    }

    /** The manifest text for the headers in {@code directory}. */
    public static String of(Path directory) throws IOException {
        MessageDigest all = sha256();
        StringBuilder lines = new StringBuilder();
        for (String name : BundledHeaders.NAMES) {
            byte[] contents = Files.readAllBytes(directory.resolve(name));
            all.update(name.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(Integer.toString(contents.length).getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(contents);
            lines.append(HexFormat.of().formatHex(sha256().digest(contents))).append(' ').append(contents.length)
                    .append(' ').append(name).append('\n');
        }
        return "digest " + HexFormat.of().formatHex(all.digest()) + "\n" + lines;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

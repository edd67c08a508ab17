package io.github.bpf2java.maven.generate;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies the code that generates the Java classes, for the up-to-date check: the version, and for a
 * snapshot also a digest of the plugin's and the runtime's jars. A rebuilt snapshot keeps its version, and its
 * generated classes must not be kept when the generator or the runtime API they call changed.
 */
public final class GeneratorFingerprint {
    private GeneratorFingerprint() {}

    /** {@code version}, plus {@code +<digest of both jars>} when it is a snapshot. */
    public static String of(String version) {
        if (!version.endsWith("-SNAPSHOT")) {
            return version;
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Class<?> part : new Class<?>[] {GeneratorFingerprint.class, ObjectSpec.class}) {
                update(sha, part);
            }
            return version + "+" + HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException | IOException | URISyntaxException | RuntimeException unreadable) {
            // Not knowing the code's digest must not stop the build; it only costs a regeneration every time.
            return version + "+" + System.nanoTime();
        }
    }

    private static void update(MessageDigest sha, Class<?> part) throws IOException, URISyntaxException {
        CodeSource source = part.getProtectionDomain().getCodeSource();
        Path location = Path.of(source.getLocation().toURI());
        if (Files.isRegularFile(location)) {
            try (InputStream in = Files.newInputStream(location)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
        } else {
            // A classes directory (the plugin's own tests): its modification time stands in for its contents.
            sha.update(Long.toString(Files.getLastModifiedTime(location).toMillis()).getBytes());
        }
    }
}

package io.github.bpf2java.maven.generate;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * What identifies the code that generates the Java classes, for the up-to-date check: the version, and for a
 * snapshot also the plugin's and the runtime's jar files (path, size, modification time). A rebuilt snapshot keeps its version, and its
 * generated classes must not be kept when the generator or the runtime API they call changed.
 */
public final class GeneratorFingerprint {
    private GeneratorFingerprint() {}

    /** {@code version}, plus {@code +<digest of both jar files' identities>} when it is a snapshot. */
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
        // The jar's size and modification time, not its contents: hashing the 1.3 MB of both jars in a fresh,
        // still interpreting JVM cost about 40 ms of every no-op build, and a rebuilt or reinstalled snapshot is a
        // new file (a classes directory, in the plugin's own tests, changes its time when compiled into).
        BasicFileAttributes attributes = Files.readAttributes(location, BasicFileAttributes.class);
        sha.update((location + " " + attributes.size() + " " + attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                .getBytes(StandardCharsets.UTF_8));
    }
}

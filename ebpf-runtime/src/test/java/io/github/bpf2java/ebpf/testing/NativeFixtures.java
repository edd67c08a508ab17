package io.github.bpf2java.ebpf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Compiles the user-space C programs under {@code src/test/native/} that probe tests trace, with the system's gcc,
 * cached under {@code target/test-native/} by a digest of the source, flags and compiler version.
 */
public final class NativeFixtures {
    /** How a fixture program is linked. */
    public enum Linking {
        /** A position-independent executable ({@code ET_DYN}), Debian's default. */
        PIE("-fPIE", "-pie"),
        /** A fixed-address executable ({@code ET_EXEC}). */
        NO_PIE("-fno-PIE", "-no-pie");

        private final String compileFlag;
        private final String linkFlag;

        Linking(String compileFlag, String linkFlag) {
            this.compileFlag = compileFlag;
            this.linkFlag = linkFlag;
        }
    }

    private NativeFixtures() {}

    /** {@code src/test/native/<name>.c} built by gcc with {@code -O2 -g}. */
    public static Path compile(String name, Linking linking) {
        return compile(name, linking, List.of());
    }

    /** {@code src/test/native/<name>.c} built by gcc with {@code -O2 -g}, linked with {@code libraries}. */
    public static Path compile(String name, Linking linking, List<String> libraries) {
        KernelSupport.assume(BpfFixtures.onPath("gcc"), "gcc is not installed; it builds the traced test programs");
        Path source = BpfFixtures.moduleDir().resolve("src/test/native").resolve(name + ".c");
        Assertions.assertTrue(Files.isRegularFile(source), "no native fixture " + source);
        try {
            String code = Files.readString(source);
            List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-g", linking.compileFlag,
                    linking.linkFlag, "-Wall"));
            String digest = digest(run(List.of("gcc", "--version")), String.join(" ", command), code)
                    + (libraries.isEmpty() ? "" : digest(String.join(" ", libraries)));
            Path dir = BpfFixtures.moduleDir().resolve("target/test-native");
            Files.createDirectories(dir);
            Path binary = dir.resolve(name + "-" + linking.name().toLowerCase(java.util.Locale.ROOT) + "-"
                    + (libraries.isEmpty() ? digest.substring(0, 12) : digest(digest).substring(0, 12)));
            if (!Files.exists(binary)) {
                Path tmp = Files.createTempFile(dir, name, ".tmp");
                command.addAll(List.of(source.toString(), "-o", tmp.toString()));
                command.addAll(libraries);
                run(command);
                Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command}, failing the test with its output when it fails. */
    public static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                Assertions.fail(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String digest(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                md.update(part.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

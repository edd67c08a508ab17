package io.github.bpf2java.maven.generate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Debian/Ubuntu multiarch include directory of the build host, e.g. {@code /usr/include/x86_64-linux-gnu}.
 * {@code <linux/types.h>} includes {@code <asm/types.h>}, which lives there, and clang targeting BPF does not search
 * it by itself.
 */
final class MultiarchIncludes {
    private static final Map<String, String> TRIPLETS = Map.of(
            "amd64", "x86_64-linux-gnu",
            "x86_64", "x86_64-linux-gnu",
            "aarch64", "aarch64-linux-gnu",
            "arm", "arm-linux-gnueabihf",
            "s390x", "s390x-linux-gnu",
            "ppc64le", "powerpc64le-linux-gnu",
            "riscv64", "riscv64-linux-gnu",
            "loongarch64", "loongarch64-linux-gnu",
            "x86", "i386-linux-gnu",
            "i386", "i386-linux-gnu");

    private MultiarchIncludes() {}

    /** The directory for this JVM's architecture, when it exists. */
    static Optional<Path> forHost() {
        String triplet = TRIPLETS.get(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT));
        if (triplet == null) {
            return Optional.empty();
        }
        Path dir = Path.of("/usr/include", triplet);
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }
}

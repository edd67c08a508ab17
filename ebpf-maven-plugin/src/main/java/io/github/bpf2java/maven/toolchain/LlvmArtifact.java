package io.github.bpf2java.maven.toolchain;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Maven Central artifact holding clang for one platform: Bytedeco's LLVM build ({@code org.bytedeco:llvm}), whose
 * platform jars carry {@code clang}, {@code llvm-objcopy}, their shared libraries and clang's resource headers
 * below {@code org/bytedeco/llvm/<classifier>/}.
 *
 * @param version    the artifact version, e.g. {@code 17.0.6-1.5.10} (LLVM version, then Bytedeco's)
 * @param classifier the platform, e.g. {@code linux-x86_64}; Bytedeco also builds {@code linux-arm64},
 *                   {@code linux-ppc64le}, {@code macosx-x86_64} and {@code macosx-arm64}, with the same layout (on
 *                   macOS the libraries are {@code .dylib}s found through {@code @loader_path/../lib}); only the
 *                   Linux x86-64 one was run here
 * @param sha256     the jar's SHA-256 where this project pinned it; otherwise the repository's own checksum file is
 *                   checked
 */
public record LlvmArtifact(String version, String classifier, Optional<String> sha256) {
    public static final String GROUP_ID = "org.bytedeco";
    public static final String ARTIFACT_ID = "llvm";
    /**
     * The release used: its Linux x86-64 clang was checked to compile BPF objects the kernel loads. (20.1.7-1.5.12 is
     * newer, but its jar lacks the versioned file names, e.g. {@code libclang-cpp.so.20.1}, its clang links against.)
     */
    public static final String DEFAULT_VERSION = "17.0.6-1.5.10";
    /** SHA-256 of each platform jar of {@link #DEFAULT_VERSION}, taken from the jars Maven Central served. */
    private static final Map<String, String> PINNED_SHA256 = Map.of(
            "linux-x86_64", "21761067bc07e1540d72e1cd8e2c9dff7d32ad7627477e7d6e18d3665d84ba07",
            "linux-arm64", "964cf1c0b591b39acff221f8f7279db6fb82e3b9531a8ddcc5b3ee2b0fac42bb",
            "linux-ppc64le", "6ea2374f7d484053a2d9888689829f83e8a5b93bedfdb6f2a6ccb9850ab91fac",
            "macosx-x86_64", "9159d6a6b68ff35d44394fd4ab12feb3c90dc4fe8adfaf99f94e2bf11d21f1f4",
            "macosx-arm64", "e1be6400430b485ec88a1d3497a9c45c70a02087ae45dc418a1e60d2f5ba81bb");

    /** The artifact for this JVM's platform, empty when Bytedeco builds none for it. */
    public static Optional<LlvmArtifact> forHost() {
        return forPlatform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The artifact for a platform given as Java's {@code os.name} and {@code os.arch}.
     *
     * @return empty where there is no build (Windows, 32-bit, ...)
     */
    public static Optional<LlvmArtifact> forPlatform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            default -> null;
        };
        if (arch == null) {
            return Optional.empty();
        }
        String classifier;
        if (os.startsWith("linux")) {
            classifier = "linux-" + arch;
        } else if ((os.startsWith("mac") || os.startsWith("darwin")) && !arch.equals("ppc64le")) {
            classifier = "macosx-" + arch;
        } else {
            return Optional.empty();
        }
        return Optional.of(new LlvmArtifact(DEFAULT_VERSION, classifier,
                Optional.ofNullable(PINNED_SHA256.get(classifier))));
    }

    /** {@code org.bytedeco:llvm:jar:linux-x86_64:17.0.6-1.5.10}, as {@link ArtifactFetcher#fetch} takes it. */
    public String coordinates() {
        return GROUP_ID + ":" + ARTIFACT_ID + ":jar:" + classifier + ":" + version;
    }

    /** The usual way to write them: {@code org.bytedeco:llvm:17.0.6-1.5.10:jar:linux-x86_64}. */
    public String displayCoordinates() {
        return GROUP_ID + ":" + ARTIFACT_ID + ":" + version + ":jar:" + classifier;
    }

    /** The LLVM version, e.g. {@code 17.0.6}. */
    public String llvmVersion() {
        int dash = version.indexOf('-');
        return dash < 0 ? version : version.substring(0, dash);
    }

    /** The cache directory's name, one per coordinates: {@code llvm-17.0.6-1.5.10-linux-x86_64}. */
    public String cacheName() {
        return ARTIFACT_ID + "-" + version + "-" + classifier;
    }

    /** The jar's directory holding this platform's files. */
    String entryPrefix() {
        return "org/bytedeco/llvm/" + classifier + "/";
    }
}

package io.github.bpf2java.maven.toolchain;

import java.util.Optional;

/**
 * Which clang a build asked for: the {@code toolchain} parameter and, where this platform has one and the build can
 * fetch artifacts, the Maven clang's installer.
 *
 * @param kind  the parameter
 * @param maven the Maven clang; empty when there is none for this platform or nothing to fetch it with
 */
public record ToolchainSelection(ToolchainKind kind, Optional<MavenClangInstaller> maven) {

    /** clang from {@code PATH} or the {@code clang} parameter, as before the Maven clang existed. */
    public static ToolchainSelection system() {
        return new ToolchainSelection(ToolchainKind.SYSTEM, Optional.empty());
    }

    /** The selection for this platform: the Maven clang fetched with {@code fetcher} where there is one. */
    public static ToolchainSelection of(ToolchainKind kind, ArtifactFetcher fetcher) {
        // No lambda: this runs in every build, also the no-op ones, where each new call site costs a class spin-up.
        Optional<LlvmArtifact> artifact = LlvmArtifact.forHost();
        return new ToolchainSelection(kind, artifact.isPresent()
                ? Optional.of(new MavenClangInstaller(fetcher, artifact.get())) : Optional.empty());
    }
}

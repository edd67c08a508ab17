package io.github.bpf2java.maven.toolchain;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The tools a build uses, identified well enough that a different clang or llvm-strip invalidates the cache.
 *
 * @param clang         clang as found (a PATH entry or the configured path)
 * @param clangIdentity the real executable behind it
 * @param clangVersion  its version
 * @param strip         the strip tool, empty when stripping is off
 * @param stripIdentity the real executable behind the strip tool, empty when stripping is off
 * @param stripVersion  the first line of the strip tool's {@code --version}, empty when stripping is off
 */
public record Toolchain(
        Path clang,
        ToolIdentity clangIdentity,
        ClangVersion clangVersion,
        Optional<StripTool> strip,
        Optional<ToolIdentity> stripIdentity,
        Optional<String> stripVersion) {

    /** What goes into the build digest: which tools and which versions. */
    public String fingerprint() {
        return "clang=" + clangIdentity.key() + "|" + clangVersion.versionLine()
                + "|strip=" + strip.map(s -> s.executable() + (s.objcopy() ? " (objcopy)" : "")).orElse("none")
                + "|" + stripIdentity.map(ToolIdentity::key).orElse("") + "|" + stripVersion.orElse("");
    }
}

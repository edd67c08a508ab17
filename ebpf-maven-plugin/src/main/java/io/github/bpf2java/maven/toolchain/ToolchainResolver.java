package io.github.bpf2java.maven.toolchain;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts together the {@link Toolchain}: locates clang and the strip tool, and learns their versions, running
 * {@code --version} only for executables whose {@link ToolIdentity} the previous build did not record.
 */
public final class ToolchainResolver {
    private final ClangLocator clangLocator;
    private final StripToolLocator stripLocator;
    private final ProcessRunner runner;

    public ToolchainResolver(ExecutableSearch search, ProcessRunner runner) {
        this.clangLocator = new ClangLocator(search);
        this.stripLocator = new StripToolLocator(search);
        this.runner = runner;
    }

    /**
     * Resolves the toolchain.
     *
     * @param configuredClang the {@code clang} parameter
     * @param strip           whether objects are stripped
     * @param projectDirectory base of relative paths
     * @param knownVersions   {@code --version} outputs by {@link ToolIdentity#key()}, from the previous build; new
     *                        entries are added
     */
    public Toolchain resolve(Optional<String> configuredClang, boolean strip, Path projectDirectory,
            Map<String, String> knownVersions) throws EbpfBuildException, IOException {
        Path clang = clangLocator.locate(configuredClang, projectDirectory);
        ToolIdentity clangId = ToolIdentity.of(clang);
        String clangOutput = version(clang, clangId, knownVersions, projectDirectory);
        ClangVersion version = ClangVersion.parse(clangOutput).orElseThrow(() -> new EbpfBuildException(
                clang + " does not look like clang: its --version printed '"
                        + clangOutput.lines().findFirst().orElse("") + "'.\n  Fix: point <clang> (-Debpf.clang) at a"
                        + " clang executable."));
        if (!strip) {
            return new Toolchain(clang, clangId, version, Optional.empty(), Optional.empty(), Optional.empty());
        }
        StripTool tool = stripLocator.locate(clangId.realPath(), version.major());
        ToolIdentity stripId = ToolIdentity.of(tool.executable());
        String stripOutput = version(tool.executable(), stripId, knownVersions, projectDirectory);
        String stripLine = stripOutput.lines().map(String::trim).filter(l -> l.contains("version"))
                .findFirst().orElse(stripOutput.lines().findFirst().orElse(""));
        return new Toolchain(clang, clangId, version, Optional.of(tool), Optional.of(stripId),
                Optional.of(stripLine));
    }

    private String version(Path executable, ToolIdentity id, Map<String, String> known, Path workingDirectory)
            throws IOException, EbpfBuildException {
        String cached = known.get(id.key());
        if (cached != null) {
            return cached;
        }
        ProcessRunner.Result result = runner.run(List.of(executable.toString(), "--version"), workingDirectory);
        if (!result.succeeded()) {
            throw new EbpfBuildException(executable + " --version failed with exit code " + result.exitCode()
                    + ":\n" + result.output().strip());
        }
        known.put(id.key(), result.output());
        return result.output();
    }
}

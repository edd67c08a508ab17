package io.github.bpf2java.maven.toolchain;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Puts together the {@link Toolchain}: picks the Maven clang or locates the system's (see {@link ToolchainKind}),
 * finds the strip tool beside it, and learns their versions, running {@code --version} only for executables whose
 * {@link ToolIdentity} the previous build did not record.
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
        return resolve(ToolchainSelection.system(), configuredClang, strip, projectDirectory, knownVersions,
                BuildLog.silent());
    }

    /**
     * Resolves the toolchain {@code selection} asks for.
     *
     * @param log where fetching and unpacking the Maven clang is reported
     */
    public Toolchain resolve(ToolchainSelection selection, Optional<String> configuredClang, boolean strip,
            Path projectDirectory, Map<String, String> knownVersions, BuildLog log)
            throws EbpfBuildException, IOException {
        Path clang = clang(selection, configuredClang, projectDirectory, log);
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

    /**
     * {@code auto} takes the Maven clang unless a {@code <clang>} is configured or this platform has none; when the
     * Maven clang cannot be fetched (offline before the first build) it falls back to a system clang if there is one.
     */
    private Path clang(ToolchainSelection selection, Optional<String> configured, Path projectDirectory,
            BuildLog log) throws EbpfBuildException {
        boolean clangConfigured = configured.isPresent() && !configured.get().isBlank();
        switch (selection.kind()) {
            case SYSTEM:
                return clangLocator.locate(configured, projectDirectory);
            case MAVEN:
                if (clangConfigured) {
                    throw new EbpfBuildException("<toolchain>maven</toolchain> (ebpf.toolchain) and <clang>"
                            + " (ebpf.clang=" + configured.get() + ") contradict each other.\n  Fix: remove <clang> to"
                            + " use the Maven clang, or set <toolchain>system</toolchain> to use that clang.");
                }
                if (selection.maven().isEmpty()) {
                    throw new EbpfBuildException("There is no Maven clang for this platform ("
                            + System.getProperty("os.name") + ", " + System.getProperty("os.arch") + "):"
                            + " org.bytedeco:llvm is built for Linux on x86-64, arm64 and ppc64le and macOS on x86-64"
                            + " and arm64.\n  Fix: install clang and set <toolchain>system</toolchain> in the plugin's"
                            + " configuration (-Debpf.toolchain=system works only where the POM does not set"
                            + " <toolchain>).");
                }
                return selection.maven().get().install(log);
            default:
                if (clangConfigured || selection.maven().isEmpty()) {
                    return clangLocator.locate(configured, projectDirectory);
                }
                try {
                    return selection.maven().get().install(log);
                } catch (EbpfBuildException mavenFailure) {
                    try {
                        Path system = clangLocator.locate(Optional.empty(), projectDirectory);
                        // One line: Maven prefixes only a message's first line with [WARNING]. The objects differ
                        // from the Maven clang's, so the way to make this an error instead is part of it.
                        log.warn(mavenFailure.getMessage().lines().findFirst().orElse("") + " Using the system clang "
                                + system + " instead; its objects differ from the Maven clang's (set "
                                + "<toolchain>maven</toolchain> to fail instead, for reproducible builds).");
                        return system;
                    } catch (EbpfBuildException noSystemClang) {
                        mavenFailure.addSuppressed(noSystemClang);
                        throw mavenFailure;
                    }
                }
        }
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

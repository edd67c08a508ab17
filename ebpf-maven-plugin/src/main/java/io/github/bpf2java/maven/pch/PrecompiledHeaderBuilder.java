package io.github.bpf2java.maven.pch;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.compile.BpfCompiler;
import io.github.bpf2java.maven.compile.CompilerSettings;
import io.github.bpf2java.maven.compile.DependencyFile;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.incremental.Digest;
import io.github.bpf2java.maven.incremental.FileDigester;
import io.github.bpf2java.maven.incremental.InputDigests;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds (or reuses) a precompiled header for one target under {@code <cache>/pch/}, with exactly the flags the
 * sources are compiled with, so objects are byte-identical with and without it. Next to each PCH a small state file
 * records the key (header text, flags) and the digests of every file the PCH was built from; a PCH is reused only
 * when both still match. A PCH that fails to build is not an error: the sources are compiled without it.
 */
public final class PrecompiledHeaderBuilder {
    private final CompilerSettings settings;
    private final ProcessRunner runner;
    private final Path directory;

    public PrecompiledHeaderBuilder(CompilerSettings settings, ProcessRunner runner, Path cacheDirectory) {
        this.settings = settings;
        this.runner = runner;
        this.directory = cacheDirectory.resolve("pch");
    }

    /**
     * The PCH of {@code header} for {@code target}.
     *
     * @param name           the stem of the PCH's files under the cache
     * @param header         the header to precompile
     * @param quoteDirectory where its quoted includes resolve, if it has any
     * @return empty when clang could not build it (logged as a warning)
     */
    public Optional<Path> build(String name, Path header, Optional<Path> quoteDirectory, Target target,
            FileDigester digester, BuildLog log) throws IOException {
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>(settings.flags(target));
        quoteDirectory.ifPresent(d -> command.addAll(List.of("-iquote", settings.relativeIfInside(d))));
        String key = new Digest.Builder().add(String.join("\u0000", command)).add(header.toString())
                .add(Files.readString(header, StandardCharsets.UTF_8)).build().hex();
        String stem = name + "-" + target.targetName();
        Path pch = directory.resolve(stem + ".pch");
        Path stateFile = directory.resolve(stem + ".state");
        if (isCurrent(pch, stateFile, key, digester)) {
            log.debug("Reusing precompiled header " + pch);
            return Optional.of(pch);
        }
        long start = System.nanoTime();
        Path temp = directory.resolve(stem + ".pch.tmp");
        Path depFile = directory.resolve(stem + ".d");
        command.addAll(List.of("-x", "c-header", settings.relativeIfInside(header), "-MD", "-MF", depFile.toString(),
                "-o", temp.toString()));
        ProcessRunner.Result result = runner.run(command, settings.projectDirectory());
        if (!result.succeeded()) {
            Files.deleteIfExists(temp);
            Files.deleteIfExists(stateFile);
            String said = "Could not precompile " + header + " for " + target.targetName()
                    + "; compiling without a precompiled header. clang said:\n" + result.output().strip();
            if (result.output().contains(BpfCompiler.ARCHITECTURE_MISSING)) {
                // A header that needs __TARGET_ARCH_* (an older libbpf's usdt.bpf.h): its sources are built for
                // the architecture instead of this byte-order target, so nothing here is the user's to act on.
                log.debug(said);
            } else {
                log.warn(said);
            }
            return Optional.empty();
        }
        List<Path> deps = InputDigests.normalize(DependencyFile.parse(
                Files.readString(depFile, StandardCharsets.UTF_8), settings.projectDirectory()));
        Files.delete(depFile);
        Files.move(temp, pch, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        StringBuilder state = new StringBuilder(key).append('\n')
                .append(InputDigests.of(deps, digester).hex()).append('\n');
        deps.forEach(d -> state.append(d).append('\n'));
        Files.writeString(stateFile, state, StandardCharsets.UTF_8);
        log.debug(String.format("Precompiled %s for %s in %d ms", header.getFileName(), target.targetName(),
                (System.nanoTime() - start) / 1_000_000));
        return Optional.of(pch);
    }

    private static boolean isCurrent(Path pch, Path stateFile, String key, FileDigester digester)
            throws IOException {
        if (!Files.isRegularFile(pch) || !Files.isRegularFile(stateFile)) {
            return false;
        }
        List<String> lines = Files.readAllLines(stateFile, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals(key)) {
            return false;
        }
        List<Path> deps = lines.subList(2, lines.size()).stream().map(Path::of).toList();
        return InputDigests.of(deps, digester).hex().equals(lines.get(1));
    }
}

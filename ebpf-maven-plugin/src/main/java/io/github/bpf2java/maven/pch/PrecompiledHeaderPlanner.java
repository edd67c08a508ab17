package io.github.bpf2java.maven.pch;

import io.github.bpf2java.maven.compile.CompilerSettings;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.generate.BuildLog;
import io.github.bpf2java.maven.generate.GenerateRequest;
import io.github.bpf2java.maven.incremental.FileDigester;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which sources of a build get a precompiled header and builds it for each target. In {@code auto} mode
 * that is the leading includes at least two of the sources being compiled share (precompiling for a single source
 * costs more than it saves); with a named header, every source.
 */
public final class PrecompiledHeaderPlanner {
    private final GenerateRequest request;
    private final BuildLog log;
    private final PrecompiledHeaderBuilder builder;

    public PrecompiledHeaderPlanner(CompilerSettings settings, ProcessRunner runner, GenerateRequest request,
            BuildLog log) {
        this.request = request;
        this.log = log;
        this.builder = new PrecompiledHeaderBuilder(settings, runner, request.cacheDirectory());
    }

    /** The PCH for each source and target; sources without one are absent. */
    public Map<Target, Map<BpfSource, Path>> plan(List<BpfSource> sources, List<Target> targets,
            FileDigester digester) throws IOException {
        Map<Target, Map<BpfSource, Path>> plan = new LinkedHashMap<>();
        PrecompiledHeaderMode mode = request.precompiledHeader();
        Path header;
        Optional<Path> quoteDirectory;
        List<BpfSource> users;
        if (mode instanceof PrecompiledHeaderMode.None) {
            return plan;
        } else if (mode instanceof PrecompiledHeaderMode.Header named) {
            if (!Files.isRegularFile(named.file())) {
                log.warn("The precompiled header " + named.file() + " does not exist; compiling without one");
                return plan;
            }
            header = named.file();
            quoteDirectory = Optional.empty();
            users = sources;
        } else {
            Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
            for (BpfSource source : sources) {
                leading.put(source, LeadingIncludes.of(Files.readString(source.file(), StandardCharsets.UTF_8)));
            }
            Optional<SharedIncludes> shared = SharedIncludes.choose(leading);
            if (shared.isEmpty()) {
                return plan;
            }
            header = request.cacheDirectory().resolve("pch").resolve("shared.h");
            writeIfChanged(header, shared.get().headerText());
            quoteDirectory = shared.get().quoteDirectory();
            users = shared.get().users();
            log.debug("Precompiling " + shared.get().lines() + ", shared by " + users.size() + " sources");
        }
        for (Target target : targets) {
            Optional<Path> pch = builder.build(header, quoteDirectory, target, digester, log);
            if (pch.isPresent()) {
                Map<BpfSource, Path> byTarget = new LinkedHashMap<>();
                users.forEach(u -> byTarget.put(u, pch.get()));
                plan.put(target, byTarget);
            }
        }
        return plan;
    }

    /** Keeps the file (and its time stamp) when the content is the same. */
    private static void writeIfChanged(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}

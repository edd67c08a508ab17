package io.github.bpf2java.maven.pch;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.compile.CompilerSettings;
import io.github.bpf2java.maven.compile.ParallelTasks;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.incremental.FileDigester;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Decides which sources of a build are compiled with a precompiled header, and builds the headers (in parallel, one
 * per shared run of leading includes and target). In {@code auto} mode a source gets the PCH of the longest run of
 * leading {@code #include} lines it shares with another source being compiled (see {@link SharedIncludes}); with a
 * named header, every source gets that one. PCHs stay in the cache and are reused while their headers are unchanged.
 *
 * <p>Objects must be byte-identical with and without a PCH (which sources get one depends on which are stale). With
 * clang 14 and older they are. From clang 15 on, the BPF backend orders the BTF forward declarations it appends by
 * memory address, which reading declarations from a PCH makes vary; the compiler puts them in canonical order after
 * every compile ({@link io.github.bpf2java.maven.compile.BtfCanonicalizer}), after which stripped objects are
 * identical with and without a PCH (the DWARF still differs). So {@code auto} uses PCHs with clang 15+ only when
 * objects are stripped (the default), and compiles without one when {@code strip} is off.
 */
public final class PrecompiledHeaderPlanner {
    private final CompilerSettings settings;
    private final PrecompiledHeaderMode mode;
    private final int parallelism;
    private final BuildLog log;
    private final PrecompiledHeaderBuilder builder;
    private final Path directory;

    /**
     * @param mode           the {@code precompiledHeader} parameter
     * @param cacheDirectory the build's cache; PCHs go to its {@code pch} directory
     * @param parallelism    at most this many clang processes at once
     */
    public PrecompiledHeaderPlanner(CompilerSettings settings, ProcessRunner runner, PrecompiledHeaderMode mode,
            Path cacheDirectory, int parallelism, BuildLog log) {
        this.settings = settings;
        this.mode = mode;
        this.parallelism = parallelism;
        this.log = log;
        this.builder = new PrecompiledHeaderBuilder(settings, runner, cacheDirectory);
        this.directory = cacheDirectory.resolve("pch");
    }

    /** One PCH to build: its name, header, quote directory, and who uses it. */
    private record Job(String name, Path header, Optional<Path> quoteDirectory, List<BpfSource> users) {}

    /** The newest clang whose objects are byte-identical with and without a PCH also when they keep their DWARF. */
    public static final int NEWEST_REPRODUCIBLE_CLANG = 14;

    /**
     * The PCH of each source being compiled, by target; sources without one are absent.
     *
     * @param stale the sources about to be compiled
     */
    public Map<Target, Map<BpfSource, Path>> plan(List<BpfSource> stale, List<Target> targets,
            FileDigester digester) throws IOException {
        Map<Target, Map<BpfSource, Path>> plan = new LinkedHashMap<>();
        List<Job> jobs = new ArrayList<>();
        boolean reproducible = settings.toolchain().clangVersion().major() <= NEWEST_REPRODUCIBLE_CLANG
                || settings.strip();
        if (mode instanceof PrecompiledHeaderMode.None) {
            return plan;
        } else if (mode instanceof PrecompiledHeaderMode.Header named) {
            if (!Files.isRegularFile(named.file())) {
                log.warn("The precompiled header " + named.file() + " does not exist; compiling without one");
                return plan;
            }
            if (!reproducible) {
                log.warn("With clang " + settings.toolchain().clangVersion() + " and <strip>false</strip> a"
                        + " precompiled header changes the DWARF of the objects: they will differ from objects built"
                        + " without it. Use <precompiledHeader>auto</precompiledHeader> for reproducible objects.");
            }
            jobs.add(new Job("user", named.file(), Optional.empty(), stale));
        } else {
            if (!reproducible) {
                log.debug("Not using precompiled headers: with clang " + settings.toolchain().clangVersion()
                        + " they change the DWARF that <strip>false</strip> keeps");
                return plan;
            }
            Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
            for (BpfSource source : stale) {
                leading.put(source, LeadingIncludes.of(Files.readString(source.file(), StandardCharsets.UTF_8)));
            }
            Set<String> live = new HashSet<>();
            for (SharedIncludes group : SharedIncludes.group(leading)) {
                live.add(group.key());
                Path header = directory.resolve(group.key() + ".h");
                writeIfChanged(header, group.headerText());
                jobs.add(new Job(group.key(), header, group.quoteDirectory(), group.users()));
                log.debug("Precompiling " + group.lines() + " for " + group.users().size() + " sources");
            }
            deleteUnused(live);
        }
        Map<Job, Map<Target, Optional<Path>>> built = buildAll(jobs, targets, digester);
        for (Target target : targets) {
            Map<BpfSource, Path> byTarget = new LinkedHashMap<>();
            for (Job job : jobs) {
                built.get(job).get(target).ifPresent(pch -> job.users().forEach(u -> byTarget.put(u, pch)));
            }
            plan.put(target, byTarget);
        }
        return plan;
    }

    private Map<Job, Map<Target, Optional<Path>>> buildAll(List<Job> jobs, List<Target> targets,
            FileDigester digester) throws IOException {
        Map<Job, Map<Target, Optional<Path>>> result = new LinkedHashMap<>();
        if (jobs.isEmpty()) {
            return result;
        }
        Files.createDirectories(directory);
        List<Callable<Optional<Path>>> work = new ArrayList<>();
        for (Job job : jobs) {
            for (Target target : targets) {
                work.add(() -> builder.build(job.name(), job.header(), job.quoteDirectory(), target, digester, log));
            }
        }
        Iterator<Optional<Path>> pchs = ParallelTasks.run(work, parallelism, "precompiling headers")
                .iterator();
        for (Job job : jobs) {
            Map<Target, Optional<Path>> byTarget = new LinkedHashMap<>();
            for (Target target : targets) {
                byTarget.put(target, pchs.next());
            }
            result.put(job, byTarget);
        }
        return result;
    }

    /** Removes the PCHs of include runs this build does not use (they are large; a later build rebuilds them). */
    private void deleteUnused(Set<String> live) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                String key = name.split("[-.]", 2)[0];
                if (!live.contains(key)) {
                    Files.deleteIfExists(file);
                }
            }
        }
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

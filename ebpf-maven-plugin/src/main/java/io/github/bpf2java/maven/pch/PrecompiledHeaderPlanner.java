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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Decides which sources of a build are compiled with a precompiled header, and builds the headers (in parallel, one
 * per distinct run of leading includes and target). In {@code auto} mode each source gets the PCH of its own leading
 * {@code #include} lines (see {@link SharedIncludes} for why it is per source); with a named header, every source
 * gets that one. PCHs stay in the cache and are reused while their headers are unchanged, so an edit to one source
 * costs only its own compile.
 */
public final class PrecompiledHeaderPlanner {
    private final GenerateRequest request;
    private final BuildLog log;
    private final PrecompiledHeaderBuilder builder;
    private final Path directory;

    public PrecompiledHeaderPlanner(CompilerSettings settings, ProcessRunner runner, GenerateRequest request,
            BuildLog log) {
        this.request = request;
        this.log = log;
        this.builder = new PrecompiledHeaderBuilder(settings, runner, request.cacheDirectory());
        this.directory = request.cacheDirectory().resolve("pch");
    }

    /** One PCH to build: its name, header, quote directory, and who uses it. */
    private record Job(String name, Path header, Optional<Path> quoteDirectory, List<BpfSource> users) {}

    /**
     * The PCH of each source being compiled, by target; sources without one are absent.
     *
     * @param all   every source of the project (decides which cached PCHs are still worth keeping)
     * @param stale the sources about to be compiled
     */
    public Map<Target, Map<BpfSource, Path>> plan(List<BpfSource> all, List<BpfSource> stale, List<Target> targets,
            FileDigester digester) throws IOException {
        Map<Target, Map<BpfSource, Path>> plan = new LinkedHashMap<>();
        PrecompiledHeaderMode mode = request.precompiledHeader();
        List<Job> jobs = new ArrayList<>();
        if (mode instanceof PrecompiledHeaderMode.None) {
            return plan;
        } else if (mode instanceof PrecompiledHeaderMode.Header named) {
            if (!Files.isRegularFile(named.file())) {
                log.warn("The precompiled header " + named.file() + " does not exist; compiling without one");
                return plan;
            }
            jobs.add(new Job("user", named.file(), Optional.empty(), stale));
        } else {
            Map<BpfSource, List<String>> leading = new LinkedHashMap<>();
            for (BpfSource source : all) {
                leading.put(source, LeadingIncludes.of(Files.readString(source.file(), StandardCharsets.UTF_8)));
            }
            Set<String> live = new HashSet<>();
            for (SharedIncludes group : SharedIncludes.group(leading)) {
                live.add(group.key());
                List<BpfSource> users = group.users().stream().filter(stale::contains).toList();
                if (!users.isEmpty()) {
                    Path header = directory.resolve(group.key() + ".h");
                    writeIfChanged(header, group.headerText());
                    jobs.add(new Job(group.key(), header, group.quoteDirectory(), users));
                }
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
        int threads = Math.max(1, Math.min(request.parallelism(), jobs.size() * targets.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ebpf-pch");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Job, Map<Target, Future<Optional<Path>>>> futures = new LinkedHashMap<>();
            for (Job job : jobs) {
                Map<Target, Future<Optional<Path>>> byTarget = new LinkedHashMap<>();
                for (Target target : targets) {
                    byTarget.put(target, pool.submit(() -> builder.build(job.name(), job.header(),
                            job.quoteDirectory(), target, digester, log)));
                }
                futures.put(job, byTarget);
            }
            for (Map.Entry<Job, Map<Target, Future<Optional<Path>>>> e : futures.entrySet()) {
                Map<Target, Optional<Path>> byTarget = new LinkedHashMap<>();
                for (Map.Entry<Target, Future<Optional<Path>>> f : e.getValue().entrySet()) {
                    byTarget.put(f.getKey(), await(f.getValue()));
                }
                result.put(e.getKey(), byTarget);
            }
            return result;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Optional<Path> await(Future<Optional<Path>> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while precompiling headers", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("precompiling a header failed unexpectedly", e.getCause());
        }
    }

    /** Removes the PCHs of include runs no source begins with any more (they are large). */
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

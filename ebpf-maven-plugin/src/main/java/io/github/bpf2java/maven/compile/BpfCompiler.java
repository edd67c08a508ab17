package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.headers.LibcHeaders;
import io.github.bpf2java.maven.headers.ShadowedHeaders;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import io.github.bpf2java.maven.toolchain.StripTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Compiles sources to BPF objects with clang, in parallel (at most {@code parallelism} clang processes at a time),
 * then strips DWARF and puts the BTF forward declarations in canonical order ({@link BtfCanonicalizer}). Outputs go to a scratch directory; nothing is moved into place here. Every task runs even when
 * one fails, so the user sees all the errors of a build at once.
 */
public final class BpfCompiler {
    private final CompilerSettings settings;
    private final ProcessRunner runner;
    private final int parallelism;
    private Predicate<BpfSource> mayNeedArchitecture = s -> false;
    private List<Target> architectureTargets = List.of();
    private Optional<Path> bundledHeadersSearchedLast = Optional.empty();

    /** What libbpf's {@code bpf_tracing.h} says when {@code PT_REGS_*} is used without {@code __TARGET_ARCH_}. */
    static final String ARCHITECTURE_MISSING = "Must specify a BPF target arch via __TARGET_ARCH_";

    public BpfCompiler(CompilerSettings settings, ProcessRunner runner, int parallelism) {
        this.settings = settings;
        this.runner = runner;
        this.parallelism = Math.max(1, parallelism);
    }

    /**
     * Compiles a source that fails on a byte-order target only because it needs an architecture (clang reports
     * libbpf's "Must specify a BPF target arch via __TARGET_ARCH_xxx") again for {@code targets} instead, when
     * {@code applies} to it. The compiler's own verdict is the detection: nothing guesses from the source text.
     */
    public BpfCompiler retryingWithArchitectures(Predicate<BpfSource> applies, List<Target> targets) {
        this.mayNeedArchitecture = applies;
        this.architectureTargets = List.copyOf(targets);
        return this;
    }

    /**
     * On a failed compile, names any header the source took from elsewhere (an installed libbpf's) instead of from
     * {@code bundledDirectory}, the plugin's headers searched after the system's, when it lacks names the source
     * uses: clang's own diagnostics then point somewhere else.
     */
    public BpfCompiler explainingShadowedHeaders(Path bundledDirectory) {
        this.bundledHeadersSearchedLast = Optional.of(bundledDirectory);
        return this;
    }

    /**
     * Runs every task.
     *
     * @return the objects, in task order
     * @throws CompilationFailedException with clang's diagnostics of every failed task
     */
    public List<CompiledObject> compile(List<CompileTask> tasks, Path scratch, BuildLog log)
            throws CompilationFailedException, IOException {
        Files.createDirectories(scratch);
        List<Callable<Outcome>> work = new ArrayList<>();
        for (CompileTask task : tasks) {
            work.add(() -> compileOne(task, scratch, log));
        }
        List<CompiledObject> objects = new ArrayList<>();
        List<Outcome> failures = new ArrayList<>();
        List<Outcome> outcomes = retryWithArchitectures(ParallelTasks.run(work, parallelism,
                "compiling eBPF sources"), scratch, log);
        for (Outcome outcome : outcomes) {
            if (outcome.object() != null) {
                objects.add(outcome.object());
            } else {
                failures.add(outcome);
            }
        }
        if (!failures.isEmpty()) {
            throw new CompilationFailedException(describe(failures));
        }
        return objects;
    }

    /** The outcomes with every source that needs an architecture compiled for the architecture targets. */
    private List<Outcome> retryWithArchitectures(List<Outcome> outcomes, Path scratch, BuildLog log)
            throws IOException {
        Set<BpfSource> retry = new LinkedHashSet<>();
        for (Outcome o : outcomes) {
            if (o.object() == null && o.task().target().arch().isEmpty() && o.failure().contains(ARCHITECTURE_MISSING)
                    && !architectureTargets.isEmpty() && mayNeedArchitecture.test(o.task().source())) {
                retry.add(o.task().source());
            }
        }
        if (retry.isEmpty()) {
            return outcomes;
        }
        List<Outcome> kept = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (!retry.contains(o.task().source())) {
                kept.add(o);
            } else if (o.object() != null) {
                Files.deleteIfExists(o.object().object());
            }
        }
        List<Callable<Outcome>> work = new ArrayList<>();
        for (BpfSource source : retry) {
            log.info(source.relativePath() + " needs __TARGET_ARCH_<arch> (PT_REGS_*, BPF_KPROBE, ...): compiling it"
                    + " for " + String.join(", ", architectureTargets.stream().map(Target::targetName).toList())
                    + " instead of byte-order targets");
            for (Target target : architectureTargets) {
                work.add(() -> compileOne(new CompileTask(source, target, Optional.empty()), scratch, log));
            }
        }
        kept.addAll(ParallelTasks.run(work, parallelism, "compiling eBPF sources for architectures"));
        return kept;
    }

    /** The result of one task: an object, or the diagnostics of its failure. */
    private record Outcome(CompileTask task, CompiledObject object, String failure) {}

    private Outcome compileOne(CompileTask task, Path scratch, BuildLog log) throws IOException {
        long start = System.nanoTime();
        String stem = task.source().baseName() + "_" + task.target().targetName();
        Path raw = scratch.resolve(stem + (settings.strip() ? ".unstripped.o" : ".o"));
        Path depFile = scratch.resolve(stem + ".d");
        ProcessRunner.Result result = runClang(task, task.precompiledHeader(), raw, depFile);
        if (!result.succeeded() && task.precompiledHeader().isPresent()) {
            // A header without an include guard (or a source that redefines something) can clash with the PCH;
            // compiling plainly either works, or gives the user the diagnostics they would get without a PCH.
            ProcessRunner.Result plain = runClang(task, Optional.empty(), raw, depFile);
            if (plain.succeeded()) {
                log.warn("The precompiled header did not work for " + task.describe()
                        + "; compiled it without one. clang said:\n" + result.output().strip());
            }
            result = plain;
        }
        if (!result.succeeded()) {
            String output = result.output().strip();
            // A missing architecture is explained, and retried for the architecture targets: no header to look for.
            if (output.contains(ARCHITECTURE_MISSING)) {
                return new Outcome(task, null, output);
            }
            Optional<String> libc = LibcHeaders.explain(output);
            return new Outcome(task, null, output + (libc.isPresent() ? "\nhint: " + libc.get()
                    : shadowedHeaders(task, scratch, stem)));
        }
        Path object = raw;
        if (settings.strip()) {
            StripTool strip = settings.toolchain().strip().orElseThrow();
            object = scratch.resolve(stem + ".o");
            ProcessRunner.Result stripped = runner.run(strip.command(raw, object), settings.projectDirectory());
            if (!stripped.succeeded()) {
                return new Outcome(task, null, strip.executable() + " failed on the object:\n"
                        + stripped.output().strip());
            }
            Files.delete(raw);
        }
        // clang 15+ orders the trailing BTF forward declarations by memory address, which a PCH makes vary.
        BtfCanonicalizer.canonicalize(object);
        String deps = Files.readString(depFile, StandardCharsets.UTF_8);
        Files.delete(depFile);
        List<Path> dependencies = DependencyFile.parse(deps, settings.projectDirectory()).stream()
                .filter(p -> task.precompiledHeader().map(pch -> !p.equals(pch)).orElse(true))
                .toList();
        if (log.isDebugEnabled()) {
            log.debug(String.format("Compiled %s -> %s in %d ms", task.describe(), task.objectFileName(),
                    (System.nanoTime() - start) / 1_000_000));
        }
        return new Outcome(task, new CompiledObject(task, object, dependencies, result.output().strip()), null);
    }

    /** A hint naming a header an installed libbpf shadowed, or nothing. */
    private String shadowedHeaders(CompileTask task, Path scratch, String stem) throws IOException {
        if (bundledHeadersSearchedLast.isEmpty()) {
            return "";
        }
        // Only the preprocessor, which the failed compile got past: the headers the source includes, as clang
        // finds them (-MG: a missing header is no error here, clang already reported it).
        Path depFile = scratch.resolve(stem + ".headers.d");
        List<String> command = new ArrayList<>(settings.flags(task.target()));
        command.addAll(List.of("-M", "-MG", "-MF", depFile.toString(),
                settings.relativeIfInside(task.source().file())));
        ProcessRunner.Result listed = runner.run(command, settings.projectDirectory());
        if (!listed.succeeded() || !Files.isRegularFile(depFile)) {
            return "";
        }
        List<Path> headers = DependencyFile.parse(Files.readString(depFile, StandardCharsets.UTF_8),
                settings.projectDirectory());
        Files.delete(depFile);
        return ShadowedHeaders.explain(headers, settings.projectDirectory().resolve(bundledHeadersSearchedLast.get()),
                task.source().file(), task.source().relativePath()).map(hint -> "\nhint: " + hint).orElse("");
    }

    private ProcessRunner.Result runClang(CompileTask task, Optional<Path> pch, Path output, Path depFile)
            throws IOException {
        List<String> command = new ArrayList<>(settings.flags(task.target()));
        pch.ifPresent(p -> command.addAll(List.of("-include-pch", p.toString())));
        command.addAll(List.of("-MD", "-MF", depFile.toString(), "-c",
                settings.relativeIfInside(task.source().file()), "-o", output.toString()));
        return runner.run(command, settings.projectDirectory());
    }

    /** One block per failed source; targets that failed the same way share a block. */
    private static String describe(List<Outcome> failures) {
        Map<String, Map<String, List<String>>> bySource = new LinkedHashMap<>();
        failures.stream()
                .sorted(Comparator.comparing((Outcome o) -> o.task().source().relativePath())
                        .thenComparing(o -> o.task().target().ordinal()))
                .forEach(o -> bySource.computeIfAbsent(o.task().source().relativePath(), k -> new LinkedHashMap<>())
                        .computeIfAbsent(o.failure(), k -> new ArrayList<>())
                        .add(o.task().target().targetName()));
        StringBuilder message = new StringBuilder("clang could not compile ").append(bySource.size())
                .append(bySource.size() == 1 ? " eBPF source:" : " eBPF sources:");
        bySource.forEach((source, byOutput) -> byOutput.forEach((output, targets) -> message.append("\n\n")
                .append(source).append(" (").append(String.join(", ", targets)).append("):\n").append(output)));
        return message.toString();
    }
}

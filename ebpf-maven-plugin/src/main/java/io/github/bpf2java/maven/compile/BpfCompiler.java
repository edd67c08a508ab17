package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.headers.BundledHeaders;
import io.github.bpf2java.maven.headers.BundledHeadersMode;
import io.github.bpf2java.maven.headers.LegacyMapDefinitions;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles sources to BPF objects with clang, in parallel (at most {@code parallelism} clang processes at a time),
 * then strips DWARF and puts the BTF forward declarations in canonical order ({@link BtfCanonicalizer}). Outputs go
 * to a scratch directory; nothing is moved into place here. Every task runs even when one fails, so the user sees all
 * the errors of a build at once. With {@link #anchoringTypes}, an object that lacks types named in {@code <types>}
 * is compiled once more with them added to its BTF.
 */
public final class BpfCompiler {
    private final CompilerSettings settings;
    private final ProcessRunner runner;
    private final int parallelism;
    private Predicate<BpfSource> mayNeedArchitecture = s -> false;
    private List<Target> architectureTargets = List.of();
    private Optional<Path> bundledHeadersSearchedLast = Optional.empty();
    private Optional<TypeAnchor> typeAnchor = Optional.empty();
    // Sources already logged for having named types added to their BTF: once, not once per target.
    private final Set<String> loggedAnchoring = ConcurrentHashMap.newKeySet();
    // Sources already warned about for being compiled with the plugin's headers first: once, not once per target.
    private final Set<String> warnedShadowing = ConcurrentHashMap.newKeySet();

    /** What libbpf's {@code bpf_tracing.h} says when {@code PT_REGS_*} is used without {@code __TARGET_ARCH_}. */
    public static final String ARCHITECTURE_MISSING = "Must specify a BPF target arch via __TARGET_ARCH_";

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
     * On a failed compile, looks for a header the source took from elsewhere (an installed libbpf's) instead of from
     * {@code bundledDirectory}, the plugin's headers searched after the system's, that lacks names the source uses
     * (clang's own diagnostics then point somewhere else). If there is one, the source is compiled again with the
     * plugin's headers first, with a warning naming the header; if that fails too, the error names the header, what
     * it lacks and the fix, followed by what clang said the second time.
     */
    public BpfCompiler explainingShadowedHeaders(Path bundledDirectory) {
        this.bundledHeadersSearchedLast = Optional.of(bundledDirectory);
        return this;
    }

    /**
     * Puts the types {@code anchor} is about into the BTF of each object that lacks them while its source defines
     * them, by compiling a wrapper of the source instead ({@link TypeAnchor}). Objects that have them all are
     * compiled as before.
     */
    public BpfCompiler anchoringTypes(TypeAnchor anchor) {
        this.typeAnchor = Optional.of(anchor);
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
            throw new CompilationFailedException(describe(failures, settings.projectDirectory()));
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
        // Mirrors the source's directory: members of different <objects> may share a file name (a/prog.c, b/prog.c).
        String relative = task.source().relativePath();
        int slash = relative.lastIndexOf('/');
        Path directory = slash > 0 ? Files.createDirectories(scratch.resolve(relative.substring(0, slash))) : scratch;
        Path raw = directory.resolve(stem + (settings.strip() ? ".unstripped.o" : ".o"));
        Path depFile = directory.resolve(stem + ".d");
        List<String> flags = settings.flags(task.target());
        Optional<Path> pch = task.precompiledHeader();
        ProcessRunner.Result result = runClang(task, task.precompiledHeader(), raw, depFile);
        if (!result.succeeded() && task.precompiledHeader().isPresent()) {
            // A header without an include guard (or a source that redefines something) can clash with the PCH;
            // compiling plainly either works, or gives the user the diagnostics they would get without a PCH.
            ProcessRunner.Result plain = runClang(task, Optional.empty(), raw, depFile);
            if (plain.succeeded()) {
                log.warn("The precompiled header did not work for " + task.describe()
                        + "; compiled it without one. clang said:\n" + result.output().strip());
            }
            pch = Optional.empty();
            result = plain;
        }
        if (!result.succeeded()) {
            String output = result.output().strip();
            // A missing architecture is explained, and retried for the architecture targets: no header to look for.
            if (output.contains(ARCHITECTURE_MISSING)) {
                return new Outcome(task, null, output);
            }
            Optional<String> known = LegacyMapDefinitions.explain(output)
                    .or(() -> KernelTypeRedefinition.explain(output));
            if (known.isPresent()) {
                return new Outcome(task, null, output + "\nhint: " + known.get());
            }
            Optional<ShadowedHeaders.Shadowing> shadowing = shadowedHeaders(task, directory, stem);
            if (shadowing.isEmpty()) {
                return new Outcome(task, null, output);
            }
            // An older libbpf's header came first and lacks what the source uses: the plugin's have it, so compile
            // again with them first, as <bundledHeaders>always</bundledHeaders> would, instead of failing the build.
            flags = bundledFirst(settings.flags(task.target()));
            pch = Optional.empty();
            ProcessRunner.Result again = runClang(flags, settings.relativeIfInside(task.source().file()), pch, raw,
                    depFile);
            if (!again.succeeded()) {
                return new Outcome(task, null, output + "\nhint: " + shadowing.get().explanation()
                        + "\nCompiled again with the plugin's headers first, clang said:\n" + again.output().strip());
            }
            if (warnedShadowing.add(task.source().relativePath())) {
                log.warn(task.source().relativePath() + ": " + shadowing.get().headers() + ". Compiled it with the "
                        + "plugin's bpf/ headers ahead of the system's instead. <bundledHeaders>always</bundledHeaders>"
                        + " does so from the start, without the failed first attempt; a newer libbpf-dev makes it "
                        + "unnecessary.");
            }
            result = again;
        }
        Optional<Path> wrapper = Optional.empty();
        if (typeAnchor.isPresent()) {
            try {
                wrapper = anchorTypes(typeAnchor.get(), task, flags, pch, raw, depFile, log);
            } catch (AnchorFailedException e) {
                return new Outcome(task, null, e.getMessage());
            }
        }
        Path object = raw;
        if (settings.strip()) {
            StripTool strip = settings.toolchain().strip().orElseThrow();
            object = directory.resolve(stem + ".o");
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
        Optional<Path> anchorWrapper = wrapper.map(w -> w.toAbsolutePath().normalize());
        List<Path> dependencies = DependencyFile.parse(deps, settings.projectDirectory()).stream()
                .filter(p -> task.precompiledHeader().map(h -> !p.equals(h)).orElse(true))
                .filter(p -> anchorWrapper.map(w -> !p.equals(w)).orElse(true))
                .toList();
        if (log.isDebugEnabled()) {
            log.debug(String.format("Compiled %s -> %s in %d ms", task.describe(), task.objectFileName(),
                    (System.nanoTime() - start) / 1_000_000));
        }
        return new Outcome(task, new CompiledObject(task, object, dependencies, result.output().strip()), null);
    }

    /** Why the object with the named types added could not be made; the message is the outcome's failure. */
    private static final class AnchorFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        AnchorFailedException(String message) {
            super(message);
        }
    }

    /**
     * When the object clang wrote to {@code raw} lacks named types its source defines, compiles the source again,
     * through the wrapper that adds them, over {@code raw} and {@code depFile}, with the flags and PCH the first
     * compile succeeded with; returns the wrapper, already deleted, whose path the dependency file names.
     */
    private Optional<Path> anchorTypes(TypeAnchor anchor, CompileTask task, List<String> flags, Optional<Path> pch,
            Path raw, Path depFile, BuildLog log) throws IOException, AnchorFailedException {
        List<String> missing = anchor.missingFrom(raw);
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        List<TypeAnchor.CType> defined = anchor.definedIn(task, flags, pch, missing);
        if (defined.isEmpty()) {
            return Optional.empty(); // another source may define them; the build checks that all were found
        }
        List<String> spelled = defined.stream().map(TypeAnchor.CType::spelling).toList();
        Path wrapper = anchor.anchorFor(task, defined);
        try {
            String input = settings.relativeIfInside(wrapper);
            ProcessRunner.Result result = runClang(flags, input, pch, raw, depFile);
            if (!result.succeeded() && pch.isPresent()) {
                result = runClang(flags, input, Optional.empty(), raw, depFile);
            }
            if (!result.succeeded()) {
                throw new AnchorFailedException("The source compiles, but not with the types named in <types> that"
                        + " its object's BTF lacks (" + String.join(", ", spelled) + ") added through an unused"
                        + " function that takes them, in " + input + ". clang said:\n" + result.output().strip()
                        + "\nhint: this is likely a bpf2java bug; please report it with the source. Until then,"
                        + " leave these names out of <types>, or declare something of the type in the source,"
                        + " e.g. __type(value, struct event) in the ring buffer's definition.");
            }
        } finally {
            anchor.delete(wrapper);
        }
        if (loggedAnchoring.add(task.source().relativePath())) {
            log.info(task.source().relativePath() + ": " + String.join(", ", spelled) + " named in <types> but used"
                    + " by no map, global or function signature: added to the object's BTF through an unused"
                    + " function that takes them (no code of it is loaded)");
        }
        return Optional.of(wrapper);
    }

    /**
     * {@code flags} with the plugin's headers searched before the system's ({@code -I}) instead of after them
     * ({@code -idirafter}), at the same place, as {@code <bundledHeaders>always</bundledHeaders>} puts them.
     */
    private List<String> bundledFirst(List<String> flags) {
        Path bundled = settings.projectDirectory().resolve(bundledHeadersSearchedLast.orElseThrow()).normalize();
        List<String> changed = new ArrayList<>(flags);
        for (int i = 0; i + 1 < changed.size(); i++) {
            if (changed.get(i).equals("-idirafter")
                    && settings.projectDirectory().resolve(changed.get(i + 1)).normalize().equals(bundled)) {
                String directory = changed.remove(i + 1);
                changed.remove(i);
                changed.addAll(i, BundledHeaders.clangArguments(BundledHeadersMode.ALWAYS, directory));
                return changed;
            }
        }
        throw new IllegalStateException("the plugin's header directory " + bundled + " is not among clang's flags "
                + flags);
    }

    /** The headers an installed libbpf shadowed, lacking names the source uses, if any. */
    private Optional<ShadowedHeaders.Shadowing> shadowedHeaders(CompileTask task, Path scratch, String stem)
            throws IOException {
        if (bundledHeadersSearchedLast.isEmpty()) {
            return Optional.empty();
        }
        // Only the preprocessor, which the failed compile got past: the headers the source includes, as clang
        // finds them (-MG: a missing header is no error here, clang already reported it).
        Path depFile = scratch.resolve(stem + ".headers.d");
        List<String> command = new ArrayList<>(settings.flags(task.target()));
        command.addAll(List.of("-M", "-MG", "-MF", depFile.toString(),
                settings.relativeIfInside(task.source().file())));
        ProcessRunner.Result listed = runner.run(command, settings.projectDirectory());
        if (!listed.succeeded() || !Files.isRegularFile(depFile)) {
            return Optional.empty();
        }
        List<Path> headers = DependencyFile.parse(Files.readString(depFile, StandardCharsets.UTF_8),
                settings.projectDirectory());
        Files.delete(depFile);
        return ShadowedHeaders.find(headers, settings.projectDirectory().resolve(bundledHeadersSearchedLast.get()),
                task.source().file(), task.source().relativePath());
    }

    private ProcessRunner.Result runClang(CompileTask task, Optional<Path> pch, Path output, Path depFile)
            throws IOException {
        return runClang(settings.flags(task.target()), settings.relativeIfInside(task.source().file()), pch, output,
                depFile);
    }

    private ProcessRunner.Result runClang(List<String> flags, String input, Optional<Path> pch, Path output,
            Path depFile) throws IOException {
        List<String> command = new ArrayList<>(flags);
        pch.ifPresent(p -> command.addAll(List.of("-include-pch", p.toString())));
        command.addAll(List.of("-MD", "-MF", depFile.toString(), "-c", input, "-o", output.toString()));
        return runner.run(command, settings.projectDirectory());
    }

    /** One block per failed source; targets that failed the same way share a block. */
    /**
     * clang's diagnostics name files relative to the project (clang runs there, with relative paths, so that objects
     * do not depend on where the project is); in a multi-module build the log is read from the reactor's root,
     * where those paths lead nowhere, so the diagnostics' file names are made absolute, as javac's are.
     */
    private static final Pattern DIAGNOSTIC_FILE = Pattern.compile("(?m)(^|In file included from |^\\s+from )"
            + "([^\\s:/][^\\s:]*\\.[ch]):(\\d+)");

    static String withAbsolutePaths(String diagnostics, Path projectDirectory) {
        Matcher m = DIAGNOSTIC_FILE.matcher(diagnostics);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Path file = projectDirectory.resolve(m.group(2)).normalize();
            String shown = Files.exists(file) ? file.toString() : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + shown + ":" + m.group(3)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String describe(List<Outcome> failures, Path projectDirectory) {
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
                .append(source).append(" (").append(String.join(", ", targets)).append("):\n")
                .append(withAbsolutePaths(output, projectDirectory))));
        return message.toString();
    }
}

package io.github.bpf2java.maven.generate;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.codegen.ObjectClassGenerator;
import io.github.bpf2java.maven.compile.BpfCompiler;
import io.github.bpf2java.maven.compile.CompileTask;
import io.github.bpf2java.maven.compile.CompiledObject;
import io.github.bpf2java.maven.compile.CompilerSettings;
import io.github.bpf2java.maven.compile.DefinedConstant;
import io.github.bpf2java.maven.compile.MacroConstants;
import io.github.bpf2java.maven.compile.ParallelTasks;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.compile.TargetSelection;
import io.github.bpf2java.maven.compile.TypeAnchor;
import io.github.bpf2java.maven.headers.BundledHeaders;
import io.github.bpf2java.maven.headers.BundledHeadersMode;
import io.github.bpf2java.maven.headers.CompatibilityHeaders;
import io.github.bpf2java.maven.incremental.BuildState;
import io.github.bpf2java.maven.incremental.FileDigester;
import io.github.bpf2java.maven.incremental.OutputCommitter;
import io.github.bpf2java.maven.incremental.ScratchDirectories;
import io.github.bpf2java.maven.incremental.SourceState;
import io.github.bpf2java.maven.incremental.StagedOutputs;
import io.github.bpf2java.maven.pch.PrecompiledHeaderPlanner;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.source.SourceDiscovery;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import io.github.bpf2java.maven.toolchain.Toolchain;
import io.github.bpf2java.maven.toolchain.ToolchainResolver;
import io.github.bpf2java.maven.vmlinux.AutomaticVmlinux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Runs {@code ebpf:generate} for one {@link GenerateRequest}: finds the sources, decides from digests which are out
 * of date, compiles those (in parallel, with a precompiled header where it helps), generates their classes and only
 * then moves objects and sources into place and records the new state. A build that fails or is killed leaves the
 * previous outputs, or a state that forces the next build to redo everything: never a half-built result that looks
 * up to date.
 */
public final class GenerateOrchestrator {
    private static final String STATE_FILE = "state";

    private final ExecutableSearch search;
    private final ProcessRunner runner;

    /** An orchestrator that finds tools on this process's {@code PATH}. */
    public GenerateOrchestrator() {
        this(ExecutableSearch.ofEnvironment(), new ProcessRunner());
    }

    public GenerateOrchestrator(ExecutableSearch search, ProcessRunner runner) {
        this.search = search;
        this.runner = runner;
    }

    /**
     * Brings the outputs up to date.
     *
     * @throws EbpfBuildException for problems the user can fix (compile errors, missing tools)
     * @throws IOException        when files cannot be read or written
     */
    public BuildResult execute(GenerateRequest request, BuildLog log) throws EbpfBuildException, IOException {
        long start = System.nanoTime();
        Path cache = request.cacheDirectory();
        Path stateFile = cache.resolve(stateFileName(request));
        ScratchDirectories.deleteLeftovers(cache);
        List<BpfSource> sources = new SourceDiscovery(request.includes(), request.excludes())
                .discover(request.sourceDirectory(), log);
        BuildState previous = BuildState.read(stateFile);
        if (sources.isEmpty()) {
            boolean defaultDirectory = request.sourceDirectory().equals(request.projectDirectory()
                    .resolve("src/main/bpf"));
            String none = Files.isDirectory(request.sourceDirectory())
                    ? "No eBPF sources matching " + request.includes() + " in " + request.sourceDirectory()
                    : "No eBPF source directory " + request.sourceDirectory() + "; nothing to compile";
            int removed = previous.sources().size();
            if (removed > 0 || !defaultDirectory && !Files.isDirectory(request.sourceDirectory())) {
                // A project without BPF sources is normal; one whose configured directory is missing, or whose
                // sources all went away, more likely a mistake (a typo in <sourceDirectory>) worth a warning.
                log.warn(none + (defaultDirectory ? "" : " (from <sourceDirectory>)"));
            } else {
                log.info(none);
            }
            if (removed > 0) {
                OutputCommitter.ResourceCopies copies = copies(request);
                for (Path output : previous.allOutputs()) {
                    copies.delete(output);
                }
                Files.deleteIfExists(stateFile);
                log.warn("Removed the outputs of " + removed + " deleted eBPF source(s), their classes and objects");
            }
            return new BuildResult(0, 0, removed, millisSince(start));
        }
        // Names are checked on the build units, before any tool runs: a source linked into an <objects> entry
        // generates no class of its own, so only the object's name can clash.
        LinkedObjects.Plan plan = LinkedObjects.plan(request.objects(), sources);
        SourceDiscovery.requireDistinctNames(plan.units());

        Map<String, String> toolVersions = new HashMap<>(previous.toolVersions());
        Toolchain toolchain = new ToolchainResolver(search, runner).resolve(request.toolchain(), request.clang(),
                request.strip(), request.projectDirectory(), toolVersions, log);
        if (request.cpu().equals("v4") && toolchain.clangVersion().major() < 18) {
            // Else clang says "unknown target CPU 'v4'" once per source and target, and nothing says why.
            throw new EbpfBuildException("<cpu>v4</cpu> needs clang 18 or newer; " + toolchain.clang() + " is clang "
                    + toolchain.clangVersion() + ". Fix: <cpu>v3</cpu>, or <toolchain>system</toolchain> with "
                    + "<clang> naming a clang 18+ (Debian: apt install clang-19; <clang>clang-19</clang>).");
        }
        List<Path> includeDirectories = new ArrayList<>(request.includeDirectories());
        MultiarchIncludes.forHost().filter(d -> !includeDirectories.contains(d)).ifPresent(includeDirectories::add);
        // The plugin's own bpf/*.h: extracted into the cache (unchanged files untouched), searched after the system's
        // headers (fallback) or before them (always). Their digest is part of the configuration: a change rebuilds.
        BundledHeaders headers = BundledHeaders.packaged();
        List<String> cflags = new ArrayList<>();
        Optional<Path> bundledSearchedLast = Optional.empty();
        if (request.bundledHeaders() != BundledHeadersMode.NEVER) {
            Path include = headers.extractTo(cache.resolve("include"));
            if (request.bundledHeaders() == BundledHeadersMode.FALLBACK) {
                bundledSearchedLast = Optional.of(include);
            }
            cflags.addAll(BundledHeaders.clangArguments(request.bundledHeaders(), onCommandLine(request, include)));
        }
        // Headers for unmodified C from elsewhere (an empty gnu/stubs-32.h, bpf2java/legacy_maps.h): searched last
        // in every mode, so installed ones win; part of the configuration as the bundled ones are.
        CompatibilityHeaders compatibility = CompatibilityHeaders.packaged();
        Path compatibilityInclude = compatibility.extractTo(cache.resolve("include-compat"));
        cflags.addAll(CompatibilityHeaders.clangArguments(onCommandLine(request, compatibilityInclude)));
        cflags.addAll(request.cflags());
        // vmlinux.h written from BTF when a source includes it and the include path has none; the header's digest
        // reaches each source's state through clang's dependency file, so a changed BTF recompiles those sources.
        List<Path> searched = new ArrayList<>(includeDirectories);
        searched.add(request.sourceDirectory());
        searched.addAll(AutomaticVmlinux.includeDirectoriesIn(request.cflags(), request.projectDirectory()));
        // The architecture targets too: a source clang refuses without __TARGET_ARCH_xxx is compiled for them, and
        // one of another architecture than this machine's deserves the same warning as a target named outright.
        List<Target> compiledFor = new ArrayList<>(request.targets());
        request.targetSelection().architectureTargets().stream().filter(t -> !compiledFor.contains(t))
                .forEach(compiledFor::add);
        new AutomaticVmlinux(request.vmlinux(), log).provide(sources.stream().map(BpfSource::file).toList(), searched,
                compiledFor).ifPresent(includeDirectories::add);
        // Only now, after the plugin wrote its headers and vmlinux.h into the cache: a configured directory there
        // (target/ebpf-cache/include/bpf, for sources that include "bpf_helpers.h") exists by the time clang runs.
        for (Path include : request.includeDirectories()) {
            if (!Files.isDirectory(include)) {
                log.warn("Include directory " + include + " (from <includeDirectories>) does not exist; clang "
                        + "finds no headers there. Paths resolve against the project directory "
                        + request.projectDirectory() + "; in a multi-module build, start shared ones with "
                        + "${maven.multiModuleProjectDirectory}.");
            }
        }
        CompilerSettings settings = new CompilerSettings(toolchain, request.projectDirectory(), includeDirectories,
                cflags, request.cpu(), request.strip(), request.sourceTreeRoot());
        String configuration = configuration(request, settings) + "\nheaders=" + request.bundledHeaders().value()
                + " " + headers.digest() + "\ncompatibility headers=" + compatibility.digest();
        boolean sameConfiguration = configuration.equals(previous.configuration());

        FileDigester digester = new FileDigester(previous.statCache());
        OutputLayout layout = OutputLayout.of(request);
        sources = plan.units();
        List<BpfSource> stale = new ArrayList<>();
        Map<String, SourceState> kept = new TreeMap<>();
        for (BpfSource source : sources) {
            SourceState old = previous.sources().get(source.relativePath());
            if (sameConfiguration && old != null && expectedOutputs(old, source, layout, request.targetSelection())
                    && old.outputs().stream().allMatch(Files::isRegularFile)
                    && old.unchanged(digester)) {
                kept.put(source.relativePath(), old);
            } else {
                stale.add(source);
            }
        }
        Set<String> current = new HashSet<>();
        sources.forEach(s -> current.add(s.relativePath()));
        List<String> removed = previous.sources().keySet().stream().filter(s -> !current.contains(s)).sorted()
                .toList();
        long checkMillis = millisSince(start);
        log.debug("Checked " + sources.size() + " eBPF source(s) in " + checkMillis + " ms (" + digester.hashedCount()
                + " file(s) hashed, the rest answered by the stat cache)");

        if (stale.isEmpty() && removed.isEmpty()) {
            log.info("Nothing to compile - all eBPF objects are up to date");
            if (digester.hashedCount() > 0) {
                new BuildState(configuration, toolVersions, digester.statCache(System.currentTimeMillis()
                        * 1_000_000L), previous.sources()).write(stateFile);
            }
            return new BuildResult(sources.size(), 0, 0, checkMillis);
        }

        if (!stale.isEmpty() && !previous.sources().isEmpty()) {
            // An incremental build says what it redoes and why, as a user checking their build wants to see.
            String why = !sameConfiguration ? "the configuration or the clang changed"
                    : stale.size() == sources.size() ? "all changed" : "changed, or including a changed header";
            List<String> names = stale.stream().map(BpfSource::relativePath).limit(10).toList();
            // Counted as objects (a linked object is one, from several files), the unit of what is rebuilt.
            log.info("Rebuilding " + stale.size() + " of " + sources.size() + " eBPF object"
                    + (sources.size() == 1 ? "" : "s") + " (" + why + "): " + String.join(", ", names)
                    + (stale.size() > names.size() ? ", ..." : ""));
        }
        StagedOutputs staged = stale.isEmpty() ? StagedOutputs.none()
                : compileAndGenerate(request, layout, settings, plan, stale, digester, bundledSearchedLast, log);
        Map<String, SourceState> built = staged.built();
        new OutputCommitter(stateFile, copies(request)).commit(previous, sameConfiguration, staged, removed);
        Map<String, SourceState> all = new TreeMap<>(kept);
        all.putAll(built);
        new BuildState(configuration, toolVersions, digester.statCache(System.currentTimeMillis() * 1_000_000L), all)
                .write(stateFile);
        if (!removed.isEmpty()) {
            log.info("Removed the outputs of " + removed.size() + " deleted eBPF source(s): "
                    + String.join(", ", removed));
        }
        if (!stale.isEmpty()) {
            // Counted from what was built: a source retried for architecture targets has other targets than asked.
            long objects = staged.files().keySet().stream().filter(p -> p.getFileName().toString().endsWith(".o"))
                    .count();
            int files = sourceFiles(plan, stale);
            log.info(String.format("Compiled %d eBPF source%s into %d object%s and generated %d class%s in %.1f s",
                    files, files == 1 ? "" : "s", objects, objects == 1 ? "" : "s", stale.size(),
                    stale.size() == 1 ? "" : "es", millisSince(start) / 1000.0));
        }
        return new BuildResult(sources.size(), stale.size(), removed.size(), checkMillis);
    }

    /**
     * Whether a unit's recorded outputs are those it should have: for its targets, or for the architecture targets
     * when it was found to need them.
     */
    private static boolean expectedOutputs(SourceState old, BpfSource unit, OutputLayout layout,
            TargetSelection selection) {
        return old.outputs().equals(layout.outputsOf(unit, selection.targetsFor(unit.relativePath())))
                || selection.detectsArchitecture(unit.relativePath())
                && old.outputs().equals(layout.outputsOf(unit, selection.architectureTargets()));
    }

    private StagedOutputs compileAndGenerate(GenerateRequest request, OutputLayout layout, CompilerSettings settings,
            LinkedObjects.Plan plan, List<BpfSource> stale, FileDigester digester, Optional<Path> bundledSearchedLast,
            BuildLog log) throws EbpfBuildException, IOException {
        List<BpfSource> all = plan.units();
        TargetSelection selection = request.targetSelection();
        Toolchain toolchain = settings.toolchain();
        List<Target> targets = request.targets();
        // What the log names: the targets of these sources, <targets> or a <sourceTarget>'s where one matches.
        Set<Target> used = new LinkedHashSet<>();
        stale.forEach(unit -> used.addAll(selection.targetsFor(unit.relativePath())));
        List<Target> shown = used.isEmpty() ? targets : List.copyOf(used);
        int sourceFiles = sourceFiles(plan, stale);
        long linked = stale.stream().filter(plan::isLinked).count();
        // Plain ASCII: a CI log under LC_ALL=C prints anything else as '?'.
        log.info(String.format("Compiling %d eBPF source%s%s for %d target%s (%s) with clang %s (%s)", sourceFiles,
                sourceFiles == 1 ? "" : "s", linked == 0 ? "" : " (" + linked + " linked object" + (linked == 1 ? "" : "s")
                        + ")", shown.size(), shown.size() == 1 ? "" : "s",
                String.join(", ", shown.stream().map(Target::targetName).toList()), toolchain.clangVersion(),
                toolchain.clang()));
        Path scratch = ScratchDirectories.newIn(request.cacheDirectory());
        try {
            PrecompiledHeaderPlanner planner = new PrecompiledHeaderPlanner(settings, runner,
                    request.precompiledHeader(), request.cacheDirectory(), request.parallelism(), log);
            List<BpfSource> staleMembers = new ArrayList<>();
            Map<BpfSource, BpfSource> unitOf = new HashMap<>();
            for (BpfSource unit : stale) {
                plan.membersOf(unit).forEach(m -> unitOf.put(m, unit));
                staleMembers.addAll(plan.membersOf(unit));
            }
            Map<Target, Map<BpfSource, Path>> pch = planner.plan(staleMembers, targets, digester);
            List<CompileTask> tasks = new ArrayList<>();
            for (BpfSource member : staleMembers) {
                for (Target target : selection.targetsFor(unitOf.get(member).relativePath())) {
                    tasks.add(new CompileTask(member, target,
                            Optional.ofNullable(pch.getOrDefault(target, Map.of()).get(member))));
                }
            }
            BpfCompiler compiler = new BpfCompiler(settings, runner, request.parallelism()).retryingWithArchitectures(
                    m -> selection.detectsArchitecture(unitOf.get(m).relativePath()), selection.architectureTargets());
            bundledSearchedLast.ifPresent(compiler::explainingShadowedHeaders);
            if (!request.types().isEmpty()) {
                // A fixed directory, not the scratch one: the wrapper's path is recorded in the object.
                compiler.anchoringTypes(new TypeAnchor(request.types(), request.cacheDirectory().resolve("types"),
                        settings, runner));
            }
            List<CompiledObject> objects = compiler.compile(tasks, scratch.resolve("objects"), log);
            reportWarnings(objects, log);
            objects = new ObjectLinking(plan, compiler, scratch, log).link(objects);
            Map<BpfSource, List<DefinedConstant>> constants = readConstants(settings, request.sourceDirectory(), plan,
                    objects, scratch.resolve("macros"), request.parallelism());

            Map<BpfSource, List<CompiledObject>> bySource = new LinkedHashMap<>();
            objects.forEach(o -> bySource.computeIfAbsent(o.task().source(), k -> new ArrayList<>()).add(o));
            ObjectClassGenerator generator = new ObjectClassGenerator(request.packageName(), request.types());
            Map<String, SourceState> built = new TreeMap<>();
            Map<Path, Path> files = new TreeMap<>();
            Set<String> foundTypes = new TreeSet<>();
            Set<String> availableTypes = new TreeSet<>();
            Path out = Files.createDirectories(scratch.resolve("out"));
            for (Map.Entry<BpfSource, List<CompiledObject>> entry : bySource.entrySet()) {
                BpfSource source = entry.getKey();
                List<CompiledObject> compiled = entry.getValue();
                ObjectSpec spec = null;
                Set<Path> deps = new LinkedHashSet<>();
                for (CompiledObject object : compiled) {
                    ObjectSpec read = readObject(object, request.strip());
                    if (spec == null) {
                        spec = read;
                    }
                    object.dependencies().stream().filter(d -> !d.startsWith(request.cacheDirectory()))
                            .forEach(deps::add);
                    Path staged = out.resolve(Integer.toString(files.size()));
                    Files.move(object.object(), staged);
                    files.put(layout.objectFile(source, object.task().target()), staged);
                }
                if (spec != null && spec.license().isEmpty() && !spec.programs().isEmpty()) {
                    // The kernel refuses GPL-only helpers to a program without a GPL-compatible license, at load:
                    // said now, where the fix is.
                    log.warn(source.relativePath() + " declares no license: the kernel will refuse its programs the "
                            + "GPL-only helpers (bpf_probe_read_kernel, bpf_trace_printk, bpf_perf_event_output, ...)"
                            + " when they are loaded. Add char LICENSE[] SEC(\"license\") = \"GPL\"; (or "
                            + "\"Dual BSD/GPL\")");
                }
                List<Target> builtFor = compiled.stream().map(o -> o.task().target()).toList();
                ObjectClassGenerator.GeneratedClass generated = generator.generate(source, spec, builtFor,
                        constants.getOrDefault(source, List.of()));
                foundTypes.addAll(generated.foundTypes());
                availableTypes.addAll(generated.availableTypes());
                Path staged = out.resolve(Integer.toString(files.size()));
                Files.writeString(staged, generated.javaSource(), StandardCharsets.UTF_8);
                files.put(layout.classFile(source), staged);
                deps.add(source.file());
                built.put(source.relativePath(), SourceState.of(source.relativePath(), List.copyOf(deps),
                        layout.outputsOf(source, builtFor), digester));
            }
            if (stale.size() == all.size()) {
                checkTypesFound(request, all, foundTypes, availableTypes);
            }
            return new StagedOutputs(Optional.of(scratch), built, files);
        } catch (EbpfBuildException | IOException | RuntimeException e) {
            ScratchDirectories.deleteTree(scratch);
            throw e;
        }
    }

    /**
     * The integer {@code #define}s of each unit and of the project headers it includes (clang puts no macros into
     * BTF), read in parallel with the flags of the unit's first target; a linked object's are its members', first
     * definition of a name first.
     */
    private Map<BpfSource, List<DefinedConstant>> readConstants(CompilerSettings settings, Path sourceDirectory,
            LinkedObjects.Plan plan, List<CompiledObject> objects, Path scratch, int parallelism) throws IOException {
        MacroConstants macros = new MacroConstants(settings, sourceDirectory, runner);
        Map<BpfSource, CompiledObject> first = new LinkedHashMap<>();
        objects.forEach(o -> first.putIfAbsent(o.task().source(), o));
        List<BpfSource> units = new ArrayList<>();
        List<Callable<List<DefinedConstant>>> tasks = new ArrayList<>();
        first.forEach((unit, object) -> plan.membersOf(unit).forEach(member -> {
            units.add(unit);
            tasks.add(() -> macros.read(member, object.task().target(), object.dependencies(), scratch));
        }));
        List<List<DefinedConstant>> results = ParallelTasks.run(tasks, parallelism, "reading #define constants");
        Map<BpfSource, List<DefinedConstant>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < units.size(); i++) {
            List<DefinedConstant> known = bySource.computeIfAbsent(units.get(i), k -> new ArrayList<>());
            results.get(i).stream().filter(c -> known.stream().noneMatch(k -> k.name().equals(c.name())))
                    .forEach(known::add);
        }
        return bySource;
    }

    /**
     * A name in {@code types} that no object has is a mistake (a typo, or a type no source defines): each source
     * that defines it has it in its object's BTF ({@link TypeAnchor}). Only a build of every source can tell; the
     * names are part of the configuration, so changing them rebuilds everything.
     */
    private static void checkTypesFound(GenerateRequest request, List<BpfSource> all, Set<String> found,
            Set<String> available) throws EbpfBuildException {
        List<String> missing = request.types().stream().filter(t -> !found.contains(t)).toList();
        if (!missing.isEmpty()) {
            String known = available.stream().limit(40).collect(Collectors.joining(", "));
            throw new EbpfBuildException("The type(s) " + missing + " named in <types> (ebpf.types) are not a"
                    + " struct, union, enum or typedef that any eBPF source defines ("
                    + String.join(", ", all.stream().map(BpfSource::relativePath).toList()) + "). Types their"
                    + " objects have: " + (known.isEmpty() ? "none" : known) + (available.size() > 40 ? ", ..." : "")
                    + ".\n  Fix: write the name as the C source does, without 'struct', 'union' or 'enum' (struct"
                    + " event is <type>event</type>); the type must be defined (with its members) at file scope of a"
                    + " source or a header it includes, not only declared (struct event;) or defined inside a"
                    + " function.");
        }
    }

    private static ObjectSpec readObject(CompiledObject object, boolean stripped) throws EbpfBuildException,
            IOException {
        byte[] bytes = Files.readAllBytes(object.object());
        ObjectSpec spec;
        try {
            spec = ObjectSpec.read(object.task().source().baseName(), bytes);
        } catch (ObjectFormatException e) {
            throw new EbpfBuildException("Cannot read the object clang produced for " + object.task().describe()
                    + ": " + e.getMessage(), e);
        }
        if (spec.programs().isEmpty() && spec.maps().isEmpty() && spec.variables().isEmpty()) {
            BpfSource source = object.task().source();
            throw new EbpfBuildException("eBPF source " + source.relativePath() + " defines no program, map or"
                    + " global variable: there is nothing to load and no class " + source.className()
                    + " to generate (clang drops unused static functions).\n"
                    + "  Fix: add a program (a function marked SEC(\"...\")), a map or a global variable to it; or,"
                    + " if it only holds code that other sources #include, rename it to a .h file or leave it out"
                    + " with <excludes>.");
        }
        if (spec.btf().isEmpty()) {
            throw new EbpfBuildException("The object for " + object.task().describe() + " has no .BTF section"
                    + (stripped ? " after stripping DWARF" : "") + "; the generated class needs BTF.\n"
                    + "  Fix: do not pass -g0 or other flags that turn off debug information in <cflags>"
                    + (stripped ? ", or set <strip>false</strip> if your llvm-strip drops .BTF" : "") + ".");
        }
        return spec;
    }

    private static void reportWarnings(List<CompiledObject> objects, BuildLog log) {
        Set<String> seen = new LinkedHashSet<>();
        objects.stream()
                .sorted(Comparator.comparing((CompiledObject o) -> o.task().source().relativePath()))
                .filter(o -> !o.diagnostics().isEmpty())
                .forEach(o -> {
                    if (seen.add(o.diagnostics())) {
                        log.warn("clang warnings for " + o.task().source().relativePath() + ":\n" + o.diagnostics());
                    }
                });
    }

    /**
     * Everything that changes what the build produces, except the sources and headers themselves, as one text.
     * Compared as it is, not hashed: an up-to-date check then needs no digest computation at all.
     */
    /** The C files behind {@code units}, as the log counts them: a linked object is several files and one class. */
    private static int sourceFiles(LinkedObjects.Plan plan, List<BpfSource> units) {
        return units.stream().mapToInt(u -> plan.membersOf(u).size()).sum();
    }

    private static OutputCommitter.ResourceCopies copies(GenerateRequest request) {
        return new OutputCommitter.ResourceCopies(request.resourceOutputDirectory(),
                request.classesDirectory().orElse(null), request.outputDirectory());
    }

    private static String configuration(GenerateRequest request, CompilerSettings settings) {
        StringBuilder text = new StringBuilder()
                .append("generator=").append(request.generatorVersion())
                .append("\npackage=").append(request.packageName())
                .append("\ntypes=").append(String.join(",", request.types()))
                .append("\npch=").append(request.precompiledHeader().value())
                .append("\nsources=").append(request.sourceDirectory())
                .append("\nout=").append(request.outputDirectory())
                .append("\nresources=").append(request.resourceOutputDirectory())
                .append("\ntools=").append(settings.toolchain().fingerprint());
        for (Target target : request.targets()) {
            text.append("\ntarget ").append(target.targetName()).append('=')
                    .append(String.join(" ", settings.flags(target)));
        }
        text.append("\nselection=").append(request.targetSelection().describe());
        request.objects().forEach(o -> text.append("\nobject ").append(o.name()).append('=')
                .append(String.join(",", o.sources())));
        return text.toString();
    }

    /**
     * The state file of this build's outputs. Several executions of the goal in one module (a package per source
     * directory, each with output directories of its own) keep a state each: with one state between them, each
     * build took the other's sources for deleted ones and removed their outputs. The default output directories keep
     * the plain name; others get theirs from a digest of their paths relative to the project, so the same
     * configuration finds its state again, from the command line as from the lifecycle.
     */
    static String stateFileName(GenerateRequest request) {
        Path build = request.cacheDirectory().getParent();
        Path sources = request.outputDirectory().toAbsolutePath().normalize();
        Path resources = request.resourceOutputDirectory().toAbsolutePath().normalize();
        if (build != null && sources.equals(build.toAbsolutePath().normalize().resolve("generated-sources/ebpf"))
                && resources.equals(build.toAbsolutePath().normalize().resolve("generated-resources/ebpf"))) {
            return STATE_FILE;
        }
        Path project = request.projectDirectory().toAbsolutePath().normalize();
        String key = (sources.startsWith(project) ? project.relativize(sources) : sources) + "\n"
                + (resources.startsWith(project) ? project.relativize(resources) : resources);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return STATE_FILE + "-" + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code directory} as clang's command line names it: relative inside the project, so nothing depends on where. */
    private static String onCommandLine(GenerateRequest request, Path directory) {
        return directory.startsWith(request.projectDirectory())
                ? request.projectDirectory().relativize(directory).toString() : directory.toString();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

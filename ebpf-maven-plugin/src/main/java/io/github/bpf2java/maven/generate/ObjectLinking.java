package io.github.bpf2java.maven.generate;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.linker.StaticLinker;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.BpfCompiler;
import io.github.bpf2java.maven.compile.CompileTask;
import io.github.bpf2java.maven.compile.CompiledObject;
import io.github.bpf2java.maven.compile.Target;
import io.github.bpf2java.maven.source.BpfSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the compiled members of each linked object into the object: per target, the members' objects linked in
 * their configured order by the runtime's {@link StaticLinker}. Members must share their targets; when one of them
 * needed an architecture (and was compiled for the architecture targets), the others are compiled for those too, as
 * every part of one object must be.
 */
final class ObjectLinking {
    private final LinkedObjects.Plan plan;
    private final BpfCompiler compiler;
    private final Path scratch;
    private final BuildLog log;

    ObjectLinking(LinkedObjects.Plan plan, BpfCompiler compiler, Path scratch, BuildLog log) {
        this.plan = plan;
        this.compiler = compiler;
        this.scratch = scratch;
        this.log = log;
    }

    /** {@code compiled} with the members of every linked object replaced by the object, per target. */
    List<CompiledObject> link(List<CompiledObject> compiled) throws EbpfBuildException, IOException {
        Map<BpfSource, BpfSource> unitOf = new HashMap<>();
        plan.members().forEach((unit, members) -> members.forEach(m -> unitOf.put(m, unit)));
        List<CompiledObject> out = new ArrayList<>();
        Map<BpfSource, List<CompiledObject>> byUnit = new LinkedHashMap<>();
        for (CompiledObject object : compiled) {
            BpfSource unit = unitOf.get(object.task().source());
            if (unit == null) {
                out.add(object);
            } else {
                byUnit.computeIfAbsent(unit, k -> new ArrayList<>()).add(object);
            }
        }
        for (Map.Entry<BpfSource, List<CompiledObject>> entry : byUnit.entrySet()) {
            out.addAll(linkUnit(entry.getKey(), sameTargets(entry.getValue())));
        }
        return out;
    }

    /** The members' objects, with members compiled for the architecture targets another member needed. */
    private List<CompiledObject> sameTargets(List<CompiledObject> objects) throws EbpfBuildException, IOException {
        Set<Target> architectures = new LinkedHashSet<>();
        objects.stream().map(o -> o.task().target()).filter(t -> t.arch().isPresent()).forEach(architectures::add);
        Set<BpfSource> byteOrderOnly = new LinkedHashSet<>();
        objects.stream().filter(o -> o.task().target().arch().isEmpty()).forEach(o -> byteOrderOnly.add(
                o.task().source()));
        if (architectures.isEmpty() || byteOrderOnly.isEmpty()) {
            return objects;
        }
        List<CompiledObject> kept = new ArrayList<>();
        for (CompiledObject o : objects) {
            if (o.task().target().arch().isPresent()) {
                kept.add(o);
            } else {
                Files.deleteIfExists(o.object());
            }
        }
        List<CompileTask> tasks = new ArrayList<>();
        for (BpfSource member : byteOrderOnly) {
            for (Target target : architectures) {
                tasks.add(new CompileTask(member, target, Optional.empty()));
            }
        }
        kept.addAll(compiler.compile(tasks, scratch.resolve("objects-arch"), log));
        return kept;
    }

    private List<CompiledObject> linkUnit(BpfSource unit, List<CompiledObject> objects)
            throws EbpfBuildException, IOException {
        List<BpfSource> members = plan.membersOf(unit);
        Map<Target, Map<BpfSource, CompiledObject>> byTarget = new LinkedHashMap<>();
        objects.forEach(o -> byTarget.computeIfAbsent(o.task().target(), k -> new HashMap<>())
                .put(o.task().source(), o));
        Path directory = Files.createDirectories(scratch.resolve("linked"));
        List<CompiledObject> linked = new ArrayList<>();
        for (Map.Entry<Target, Map<BpfSource, CompiledObject>> entry : byTarget.entrySet()) {
            Target target = entry.getKey();
            List<Path> inputs = new ArrayList<>();
            Map<Path, String> sourceOf = new HashMap<>();
            Set<Path> dependencies = new LinkedHashSet<>();
            for (BpfSource member : members) {
                CompiledObject part = entry.getValue().get(member);
                inputs.add(part.object());
                sourceOf.put(part.object(), member.relativePath());
                dependencies.addAll(part.dependencies());
                dependencies.add(member.file());
            }
            Path output = directory.resolve(unit.baseName() + "_" + target.targetName() + ".o");
            try {
                StaticLinker.link(inputs, output);
            } catch (BpfException e) {
                // The linker names its inputs, which are scratch objects here: name the sources instead. Its message
                // carries its hint too; it is added once, below.
                String reason = e.getMessage().lines().findFirst().orElse("");
                for (Map.Entry<Path, String> input : sourceOf.entrySet()) {
                    reason = reason.replace(input.getKey().toString(), input.getValue())
                            .replace(input.getKey().getFileName().toString(), input.getValue());
                }
                // Not chained: Maven prints a cause's message too, which names the scratch objects again.
                throw new EbpfBuildException("Cannot link the eBPF object " + unit.baseName() + " ("
                        + target.targetName() + ") from " + String.join(", ",
                        members.stream().map(BpfSource::relativePath).toList()) + ": " + reason
                        + e.hint().map(h -> "\n  Hint: " + h).orElse(""));
            }
            for (Path input : inputs) {
                Files.deleteIfExists(input);
            }
            linked.add(new CompiledObject(new CompileTask(unit, target, Optional.empty()), output,
                    List.copyOf(dependencies), ""));
        }
        log.debug("Linked " + unit.baseName() + " from " + members.size() + " sources for " + byTarget.size()
                + " target(s)");
        return linked;
    }
}

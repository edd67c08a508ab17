package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.source.GlobPattern;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What each source is compiled for. A source matching a {@link Rule} gets the rule's targets; the others get the
 * default {@code targets}. A source left to byte-order defaults that turns out to need an architecture (libbpf's
 * {@code PT_REGS_*}, {@code BPF_KPROBE}, {@code BPF_KSYSCALL} and {@code BPF_UPROBE} refuse to compile without
 * {@code __TARGET_ARCH_<arch>}) is compiled again for the {@code architectureTargets}; see {@link BpfCompiler}.
 */
public final class TargetSelection {
    /**
     * Targets for the sources matching a pattern.
     *
     * @param pattern a glob over paths relative to the source directory; without a {@code /} it matches the file
     *                name in any directory (and a linked object's name)
     */
    public record Rule(String pattern, List<Target> targets) {
        public Rule {
            targets = List.copyOf(targets);
        }

        boolean matches(String relativePath) {
            return GlobPattern.of(pattern.contains("/") ? pattern : "**/" + pattern).matches(relativePath);
        }
    }

    private final List<Target> defaults;
    private final List<Rule> rules;
    private final List<Target> architectureTargets;

    public TargetSelection(List<Target> defaults, List<Rule> rules, List<Target> architectureTargets) {
        this.defaults = List.copyOf(defaults);
        this.rules = List.copyOf(rules);
        this.architectureTargets = List.copyOf(architectureTargets);
    }

    /** Every source compiled for {@code targets}, nothing detected. */
    public static TargetSelection of(List<Target> targets) {
        return new TargetSelection(targets, List.of(), List.of());
    }

    /** The targets a source (or linked object) at {@code relativePath} is compiled for first. */
    public List<Target> targetsFor(String relativePath) {
        for (Rule rule : rules) {
            if (rule.matches(relativePath)) {
                return rule.targets();
            }
        }
        return defaults;
    }

    /**
     * Whether a source may switch to the {@link #architectureTargets()}: it matches no rule (a rule is the user's
     * explicit choice), its targets are byte orders only, and there are architecture targets to switch to.
     */
    public boolean detectsArchitecture(String relativePath) {
        return !architectureTargets.isEmpty() && rules.stream().noneMatch(r -> r.matches(relativePath))
                && defaults.stream().allMatch(t -> t.arch().isEmpty());
    }

    /** The targets of a source that needs {@code __TARGET_ARCH_<arch>} and matches no rule. */
    public List<Target> architectureTargets() {
        return architectureTargets;
    }

    /** For the build's configuration text: a change rebuilds everything. */
    public String describe() {
        return names(defaults) + " rules=" + rules.stream().map(r -> r.pattern() + ":" + names(r.targets()))
                .collect(Collectors.joining(";")) + " arch=" + names(architectureTargets);
    }

    private static String names(List<Target> targets) {
        return targets.stream().map(Target::targetName).collect(Collectors.joining(","));
    }
}

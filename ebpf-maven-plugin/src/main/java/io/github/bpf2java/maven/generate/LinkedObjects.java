package io.github.bpf2java.maven.generate;

import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.naming.JavaNames;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.source.GlobPattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Objects built from several C files: each listed source is compiled on its own, and the objects of one target are
 * linked into {@code <name>_<target>.o} by the runtime's {@code StaticLinker}; one class is generated for the linked
 * object. Everything downstream treats a linked object as one build unit (a {@link BpfSource} named after the
 * object, whose dependencies are all of its members' files); its members are not built on their own.
 */
public final class LinkedObjects {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * One configured object.
     *
     * @param name    the object's name: {@code <name>_<target>.o} and the class {@code JavaNames.objectClassName(name)}
     * @param sources paths or globs relative to the source directory, in link order
     */
    public record Definition(String name, List<String> sources) {
        /** Copies {@code sources}. */
        public Definition {
            sources = List.copyOf(sources);
        }
    }

    /** The build units (plain sources and linked objects, by relative path) and each unit's members in link order. */
    record Plan(List<BpfSource> units, Map<BpfSource, List<BpfSource>> members) {
        List<BpfSource> membersOf(BpfSource unit) {
            return members.getOrDefault(unit, List.of(unit));
        }

        boolean isLinked(BpfSource unit) {
            return members.containsKey(unit);
        }
    }

    private LinkedObjects() {}

    /**
     * Groups {@code sources} into units.
     *
     * @throws EbpfBuildException for a bad name, a pattern matching no source, a source in two objects, or a name
     *     that clashes with a source's object or class
     */
    static Plan plan(List<Definition> definitions, List<BpfSource> sources) throws EbpfBuildException {
        Map<BpfSource, List<BpfSource>> members = new LinkedHashMap<>();
        Map<BpfSource, String> owner = new LinkedHashMap<>();
        for (Definition d : definitions) {
            if (!NAME.matcher(d.name()).matches()) {
                throw new EbpfBuildException("<objects>: object name '" + d.name() + "' is not a C-like identifier;"
                        + " it names the files <name>_<target>.o, e.g. <name>tracer</name>.");
            }
            List<BpfSource> listed = new ArrayList<>();
            for (String raw : d.sources()) {
                for (String item : raw.split(",")) {
                    String pattern = item.trim();
                    if (pattern.isEmpty()) {
                        continue;
                    }
                    GlobPattern glob = GlobPattern.of(pattern);
                    List<BpfSource> matched = sources.stream().filter(s -> glob.matches(s.relativePath())).toList();
                    if (matched.isEmpty()) {
                        throw new EbpfBuildException("<objects>: object " + d.name() + " lists '" + pattern
                                + "', which matches no eBPF source (paths are relative to the source directory and"
                                + " must match <includes>). Sources: " + String.join(", ",
                                sources.stream().map(BpfSource::relativePath).toList()));
                    }
                    for (BpfSource s : matched) {
                        String other = owner.putIfAbsent(s, d.name());
                        if (other != null && !other.equals(d.name())) {
                            throw new EbpfBuildException("<objects>: " + s.relativePath() + " is listed by both "
                                    + other + " and " + d.name() + "; a source belongs to at most one object.");
                        }
                        if (!listed.contains(s)) {
                            listed.add(s);
                        }
                    }
                }
            }
            if (listed.isEmpty()) {
                throw new EbpfBuildException("<objects>: object " + d.name() + " lists no <sources>.");
            }
            BpfSource unit = new BpfSource(listed.get(0).file(), d.name(), d.name(),
                    JavaNames.objectClassName(d.name()));
            if (members.containsKey(unit) || members.keySet().stream().anyMatch(u -> u.baseName().equals(d.name()))) {
                throw new EbpfBuildException("<objects>: two objects are named " + d.name() + ".");
            }
            members.put(unit, List.copyOf(listed));
        }
        List<BpfSource> units = new ArrayList<>(members.keySet());
        for (BpfSource s : sources) {
            if (!owner.containsKey(s)) {
                for (BpfSource unit : members.keySet()) {
                    // Class names without case, as SourceDiscovery compares sources' (case-insensitive file systems).
                    if (unit.baseName().equals(s.baseName()) || unit.className().equalsIgnoreCase(s.className())) {
                        throw new EbpfBuildException("<objects>: object " + unit.baseName() + " and the eBPF source "
                                + s.relativePath() + " would both produce " + unit.className() + " / "
                                + unit.baseName() + "_<target>.o. Rename the object.");
                    }
                }
                units.add(s);
            }
        }
        units.sort(Comparator.comparing(BpfSource::relativePath));
        return new Plan(List.copyOf(units), members);
    }
}

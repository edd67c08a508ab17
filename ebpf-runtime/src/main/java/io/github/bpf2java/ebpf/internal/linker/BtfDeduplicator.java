package io.github.bpf2java.ebpf.internal.linker;

import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.Array;
import io.github.bpf2java.ebpf.btf.BtfType.DataSection;
import io.github.bpf2java.ebpf.btf.BtfType.DeclTag;
import io.github.bpf2java.ebpf.btf.BtfType.Enum;
import io.github.bpf2java.ebpf.btf.BtfType.EnumValue;
import io.github.bpf2java.ebpf.btf.BtfType.Forward;
import io.github.bpf2java.ebpf.btf.BtfType.Func;
import io.github.bpf2java.ebpf.btf.BtfType.FuncProto;
import io.github.bpf2java.ebpf.btf.BtfType.Int;
import io.github.bpf2java.ebpf.btf.BtfType.Member;
import io.github.bpf2java.ebpf.btf.BtfType.Param;
import io.github.bpf2java.ebpf.btf.BtfType.Pointer;
import io.github.bpf2java.ebpf.btf.BtfType.Qualifier;
import io.github.bpf2java.ebpf.btf.BtfType.Struct;
import io.github.bpf2java.ebpf.btf.BtfType.Typedef;
import io.github.bpf2java.ebpf.btf.BtfType.Union;
import io.github.bpf2java.ebpf.btf.BtfType.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges equal BTF types of concatenated inputs: two types are equal when their kinds, names, sizes and layouts are
 * equal and the types they refer to are equal. Named structs and unions are compared by name where they are
 * referred to, which breaks the cycles of self-referencing types (a list node pointing to itself); a name with
 * two different definitions among the inputs is not merged at all. A forward declaration becomes the one
 * definition of its name when there is one. {@code VAR} and {@code DATASEC} types are never merged, as in libbpf,
 * because each stands for one variable or section.
 *
 * <p>The first type of each equivalence class survives, so the output keeps the inputs' order.
 */
final class BtfDeduplicator {
    private final List<BtfType> types;
    private final Set<Integer> dropped;
    private final Map<Integer, Integer> aliases;
    private final Map<Integer, String> keys = new HashMap<>();
    private final Set<Integer> inProgress = new HashSet<>();
    private Set<String> conflicted = new HashSet<>();

    /** The surviving types, renumbered from 1 ({@code types.get(0)} is void), and the id map. */
    record Result(List<BtfType> types, int[] map) {}

    /**
     * @param types   concatenated types; {@code types.get(i)} has id {@code i}, index 0 is void
     * @param dropped ids to leave out (nothing may refer to them)
     * @param aliases ids that stand for another id (an extern resolved to its definition)
     */
    private BtfDeduplicator(List<BtfType> types, Set<Integer> dropped, Map<Integer, Integer> aliases) {
        this.types = types;
        this.dropped = dropped;
        this.aliases = aliases;
    }

    static Result dedup(List<BtfType> types, Set<Integer> dropped, Map<Integer, Integer> aliases) {
        return new BtfDeduplicator(types, dropped, aliases).run();
    }

    private Result run() {
        findConflicts();
        int n = types.size();
        int[] canonical = new int[n];
        Map<String, Integer> firstByKey = new HashMap<>();
        Map<String, Integer> definitionByName = new HashMap<>();
        for (int id = 1; id < n; id++) {
            if (dropped.contains(id) || aliases.containsKey(id)) {
                continue;
            }
            BtfType t = types.get(id);
            if (t instanceof Forward) {
                continue;
            }
            Integer first = firstByKey.putIfAbsent(key(id), id);
            canonical[id] = first == null ? id : first;
            String composite = compositeName(t);
            if (composite != null && !conflicted.contains(composite)) {
                definitionByName.putIfAbsent(composite, canonical[id]);
            }
        }
        for (int id = 1; id < n; id++) {
            if (types.get(id) instanceof Forward f && !dropped.contains(id) && !aliases.containsKey(id)) {
                Integer definition = definitionByName.get((f.union() ? "union " : "struct ") + f.name());
                if (definition != null) {
                    canonical[id] = definition;
                } else {
                    Integer first = firstByKey.putIfAbsent(key(id), id);
                    canonical[id] = first == null ? id : first;
                }
            }
        }
        for (Map.Entry<Integer, Integer> alias : aliases.entrySet()) {
            canonical[alias.getKey()] = resolveAlias(alias.getValue(), canonical);
        }
        int[] position = new int[n];
        List<BtfType> kept = new ArrayList<>();
        kept.add(types.get(0));
        for (int id = 1; id < n; id++) {
            if (!dropped.contains(id) && !aliases.containsKey(id) && canonical[id] == id) {
                position[id] = kept.size();
                kept.add(types.get(id));
            }
        }
        int[] map = new int[n];
        for (int id = 1; id < n; id++) {
            map[id] = dropped.contains(id) ? 0 : position[canonical[id]];
        }
        List<BtfType> out = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            out.add(BtfTypeRewriter.rewrite(kept.get(i), i, r -> map[r]));
        }
        return new Result(out, map);
    }

    private int resolveAlias(int target, int[] canonical) {
        int id = target;
        for (int hops = 0; aliases.containsKey(id) && hops < aliases.size(); hops++) {
            id = aliases.get(id);
        }
        return canonical[id] == 0 ? id : canonical[id];
    }

    /** Names with different definitions among the inputs; refined until no new conflict shows up. */
    private void findConflicts() {
        while (true) {
            keys.clear();
            Map<String, String> seen = new HashMap<>();
            Set<String> found = new HashSet<>(conflicted);
            for (int id = 1; id < types.size(); id++) {
                String name = compositeName(types.get(id));
                if (name == null || dropped.contains(id)) {
                    continue;
                }
                String previous = seen.putIfAbsent(name, key(id));
                if (previous != null && !previous.equals(key(id))) {
                    found.add(name);
                }
            }
            if (found.equals(conflicted)) {
                keys.clear();
                return;
            }
            conflicted = found;
        }
    }

    /** {@code struct name} or {@code union name} for a named struct or union, else null. */
    private static String compositeName(BtfType t) {
        if (t instanceof Struct s && !s.name().isEmpty()) {
            return "struct " + s.name();
        }
        if (t instanceof Union u && !u.name().isEmpty()) {
            return "union " + u.name();
        }
        return null;
    }

    /** How a type that refers to {@code id} sees it. */
    private String ref(int id) {
        Integer alias = aliases.get(id);
        if (alias != null) {
            return ref(alias);
        }
        BtfType t = types.get(id);
        String composite = compositeName(t);
        if (t instanceof Forward f) {
            composite = (f.union() ? "union " : "struct ") + f.name();
        }
        if (composite != null && !conflicted.contains(composite)) {
            return composite;
        }
        return key(id);
    }

    /** The identity of type {@code id}: equal keys mean equal types. */
    private String key(int id) {
        String known = keys.get(id);
        if (known != null) {
            return known;
        }
        if (!inProgress.add(id)) {
            return "#" + id; // a cycle not broken by a name: never merged
        }
        String key = describe(id, types.get(id));
        inProgress.remove(id);
        keys.put(id, key);
        return key;
    }

    private String describe(int id, BtfType t) {
        if (t instanceof BtfType.Void) {
            return "void";
        } else if (t instanceof Int i) {
            return "int " + i.name() + ' ' + i.size() + ' ' + i.signed() + ' ' + i.isChar() + ' ' + i.isBool() + ' '
                    + i.bitOffset() + ' ' + i.bits();
        } else if (t instanceof Pointer p) {
            return "*(" + ref(p.targetId()) + ')';
        } else if (t instanceof Array a) {
            return "[" + a.length() + "](" + ref(a.elementTypeId()) + ',' + ref(a.indexTypeId()) + ')';
        } else if (t instanceof Struct s) {
            return composite("struct " + s.name(), s.size(), s.members(), id);
        } else if (t instanceof Union u) {
            return composite("union " + u.name(), u.size(), u.members(), id);
        } else if (t instanceof Enum e) {
            StringBuilder b = new StringBuilder("enum ").append(e.name()).append(' ').append(e.size()).append(' ')
                    .append(e.signed()).append('{');
            for (EnumValue v : e.values()) {
                b.append(v.name()).append('=').append(v.value()).append(';');
            }
            return b.append('}').toString();
        } else if (t instanceof Forward f) {
            return "fwd " + (f.union() ? "union " : "struct ") + f.name();
        } else if (t instanceof Typedef d) {
            return "typedef " + d.name() + '(' + ref(d.targetId()) + ')';
        } else if (t instanceof Qualifier q) {
            return q.kind() + " " + q.name() + ' ' + q.attribute() + '(' + ref(q.targetId()) + ')';
        } else if (t instanceof Func f) {
            return "func " + f.name() + ' ' + f.linkage() + '(' + ref(f.protoId()) + ')';
        } else if (t instanceof FuncProto f) {
            StringBuilder b = new StringBuilder("proto(").append(ref(f.returnTypeId()));
            for (Param p : f.params()) {
                b.append(';').append(p.name()).append(':').append(ref(p.typeId()));
            }
            return b.append(')').toString();
        } else if (t instanceof BtfType.Float f) {
            return "float " + f.name() + ' ' + f.size();
        } else if (t instanceof DeclTag d) {
            return "tag " + d.name() + ' ' + d.componentIndex() + ' ' + d.attribute() + '(' + ref(d.targetId())
                    + ')';
        } else if (t instanceof Var || t instanceof DataSection) {
            return "#" + id;
        }
        return "#" + id;
    }

    private String composite(String name, int size, List<Member> members, int id) {
        StringBuilder b = new StringBuilder(name).append(' ').append(size).append('{');
        for (Member m : members) {
            b.append(m.name()).append(':').append(ref(m.typeId())).append('@').append(m.bitOffset()).append('/')
                    .append(m.bitfieldSize()).append(';');
        }
        return b.append('}').toString();
    }
}

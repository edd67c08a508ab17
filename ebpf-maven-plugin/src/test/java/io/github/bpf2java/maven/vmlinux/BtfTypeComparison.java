package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares the named types of two BTFs structurally, type by type: the same structs, unions, enums, typedefs and
 * forward declarations with the same kind, size, member names, offsets and bit-field sizes, member types (by name, or
 * spelled out when anonymous) and enumerator values. Names are compared without a {@code ___N} suffix, and types of
 * one name as a multiset, since two writers may number duplicate names in different orders. Type tags are left out:
 * bpftool does not write them.
 */
final class BtfTypeComparison {
    private static final int MAX_DEPTH = 16;

    private BtfTypeComparison() {}

    /** The named types of {@code btf}: "kind name" to the sorted signatures of every type of that kind and name. */
    static Map<String, List<String>> namedTypes(Btf btf) {
        Map<String, List<String>> out = new TreeMap<>();
        for (BtfType t : btf.types()) {
            String kind = kindWord(t);
            if (kind == null || t.name().isEmpty()) {
                continue;
            }
            out.computeIfAbsent(kind + " " + base(t.name()), k -> new ArrayList<>()).add(definition(btf, t, 0));
        }
        out.values().forEach(list -> list.sort(null));
        return out;
    }

    /** Every difference between the named types of {@code expected} and {@code actual}, one line each. */
    static List<String> differences(Btf expected, Btf actual) {
        Map<String, List<String>> a = namedTypes(expected);
        Map<String, List<String>> b = namedTypes(actual);
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : a.entrySet()) {
            List<String> other = b.get(e.getKey());
            if (other == null) {
                diffs.add("only in expected: " + e.getKey());
            } else if (!other.equals(e.getValue())) {
                diffs.add("differs: " + e.getKey() + "\n  expected " + e.getValue() + "\n  actual   " + other);
            }
        }
        for (String key : b.keySet()) {
            if (!a.containsKey(key)) {
                diffs.add("only in actual: " + key);
            }
        }
        return diffs;
    }

    private static String kindWord(BtfType t) {
        if (t instanceof BtfType.Struct) {
            return "struct";
        } else if (t instanceof BtfType.Union) {
            return "union";
        } else if (t instanceof BtfType.Enum) {
            return "enum";
        } else if (t instanceof BtfType.Typedef) {
            return "typedef";
        } else if (t instanceof BtfType.Forward f) {
            return f.union() ? "fwd union" : "fwd struct";
        }
        return null;
    }

    private static String base(String name) {
        return name.replaceFirst("___\\d+$", "");
    }

    /** The full signature of a type: a record's members, an enum's values, a typedef's target. */
    private static String definition(Btf btf, BtfType t, int depth) {
        if (depth > MAX_DEPTH) {
            return "...";
        }
        if (t instanceof BtfType.Struct s) {
            return "struct " + s.size() + members(btf, s.members(), depth);
        } else if (t instanceof BtfType.Union u) {
            return "union " + u.size() + members(btf, u.members(), depth);
        } else if (t instanceof BtfType.Enum e) {
            StringBuilder out = new StringBuilder("enum " + e.size() + "{");
            for (BtfType.EnumValue v : e.values()) {
                long value = e.size() <= 4 ? v.value() & 0xffff_ffffL : v.value();
                out.append(base(v.name())).append('=').append(Long.toUnsignedString(value)).append(' ');
            }
            return out.append('}').toString();
        } else if (t instanceof BtfType.Typedef td) {
            return "typedef " + ref(btf, td.targetId(), depth + 1);
        }
        return kindWord(t);
    }

    private static String members(Btf btf, List<BtfType.Member> members, int depth) {
        StringBuilder out = new StringBuilder("{");
        for (BtfType.Member m : members) {
            out.append(m.name()).append('@').append(m.bitOffset()).append(':').append(m.bitfieldSize()).append(' ')
                    .append(ref(btf, m.typeId(), depth + 1)).append("; ");
        }
        return out.append('}').toString();
    }

    /** How a type is referred to: by kind and name when named, spelled out when anonymous. */
    private static String ref(Btf btf, int id, int depth) {
        if (depth > MAX_DEPTH) {
            return "...";
        }
        BtfType t = btf.type(id);
        if (t instanceof BtfType.Void) {
            return "void";
        } else if (t instanceof BtfType.Int i) {
            // Compilers spell integer types differently ("long unsigned int", "unsigned long"): compare what they are.
            return i.isBool() ? "bool" : i.name().equals("char") ? "char" : (i.signed() ? "s" : "u") + 8 * i.size();
        } else if (t instanceof BtfType.Float f) {
            return f.name();
        } else if (t instanceof BtfType.Pointer p) {
            return "*" + ref(btf, p.targetId(), depth + 1);
        } else if (t instanceof BtfType.Array a) {
            return "[" + Integer.toUnsignedString(a.length()) + "]" + ref(btf, a.elementTypeId(), depth + 1);
        } else if (t instanceof BtfType.Qualifier q) {
            String target = ref(btf, q.targetId(), depth + 1);
            return q.kind() == BtfType.QualifierKind.TYPE_TAG ? target
                    : q.kind().name().toLowerCase() + " " + target;
        } else if (t instanceof BtfType.FuncProto f) {
            StringBuilder out = new StringBuilder("fn(");
            for (BtfType.Param p : f.params()) {
                out.append(p.name()).append(':').append(ref(btf, p.typeId(), depth + 1)).append(", ");
            }
            return out.append(")->").append(ref(btf, f.returnTypeId(), depth + 1)).toString();
        } else if (t.name().isEmpty()) {
            return definition(btf, t, depth);
        }
        String kind = kindWord(t);
        // A forward declaration and a definition name the same tag.
        return (kind.startsWith("fwd ") ? kind.substring(4) : kind) + " " + base(t.name());
    }
}

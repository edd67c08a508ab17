package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The C name of every named type and enumerator, unique in its C name space. The kernel's BTF holds distinct types of
 * one name (two {@code struct console}s from different compilation units, two {@code typedef ... u8}s); C allows only
 * one, so the second is written {@code console___2}, the third {@code console___3}. The {@code ___} suffix is the
 * CO-RE "flavor" convention: relocations against {@code console___2} still match the kernel's {@code console}.
 *
 * <p>Names are given in type id order, so the same BTF always gives the same names.
 */
final class CNames {
    /** Tags of structs, unions and enums share one name space; typedefs and enumerators share the other. */
    private final Map<String, Integer> tagCounts = new HashMap<>();
    private final Map<String, Integer> ordinaryCounts = new HashMap<>();
    private final String[] typeNames;
    private final Map<Integer, String[]> enumeratorNames = new HashMap<>();

    CNames(Btf btf) {
        List<BtfType> types = btf.types();
        typeNames = new String[types.size()];
        // Definitions first, so a struct keeps its plain name even when a forward declaration of it comes earlier.
        Map<String, String> definedFlavours = new HashMap<>();
        for (int id = 1; id < types.size(); id++) {
            BtfType t = types.get(id);
            if (t instanceof BtfType.Enum e) {
                String[] names = new String[e.values().size()];
                for (int i = 0; i < names.length; i++) {
                    names[i] = unique(ordinaryCounts, e.values().get(i).name());
                }
                enumeratorNames.put(id, names);
            }
            if (t.name().isEmpty()) {
                continue;
            }
            if (t instanceof BtfType.Struct || t instanceof BtfType.Union) {
                typeNames[id] = unique(tagCounts, t.name());
                definedFlavours.putIfAbsent(t.name(), t instanceof BtfType.Union ? "union" : "struct");
            } else if (t instanceof BtfType.Enum e) {
                if (e.values().isEmpty()) {
                    continue; // a forward-declared enum, named below
                }
                typeNames[id] = unique(tagCounts, t.name());
                definedFlavours.putIfAbsent(t.name(), "enum");
            } else if (t instanceof BtfType.Typedef) {
                typeNames[id] = unique(ordinaryCounts, t.name());
            }
        }
        Map<String, String> forwards = new HashMap<>();
        for (int id = 1; id < types.size(); id++) {
            BtfType t = types.get(id);
            String flavour;
            if (t instanceof BtfType.Forward f) {
                flavour = f.union() ? "union" : "struct";
            } else if (t instanceof BtfType.Enum e && e.values().isEmpty() && !e.name().isEmpty()) {
                flavour = "enum";
            } else {
                continue;
            }
            String defined = definedFlavours.get(t.name());
            // "struct S;" next to "struct S {...}" declares the same tag; another kind of that name would clash.
            typeNames[id] = flavour.equals(defined) ? t.name()
                    : forwards.computeIfAbsent(flavour + " " + t.name(), k -> unique(tagCounts, t.name()));
        }
    }

    private static String unique(Map<String, Integer> counts, String name) {
        int n = counts.merge(name, 1, Integer::sum);
        return n == 1 ? name : name + "___" + n;
    }

    /** The C name of a named struct, union, enum, forward declaration or typedef. */
    String of(int id) {
        return typeNames[id];
    }

    /** The C name of enumerator {@code index} of enum {@code id}. */
    String enumerator(int id, int index) {
        return enumeratorNames.get(id)[index];
    }
}

package io.github.bpf2java.ebpf.internal.linker;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.btf.BtfType.DataSection;
import io.github.bpf2java.ebpf.btf.BtfType.Func;
import io.github.bpf2java.ebpf.btf.BtfType.Linkage;
import io.github.bpf2java.ebpf.btf.BtfType.Var;
import io.github.bpf2java.ebpf.btf.BtfType.VarPlacement;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Merges the BTF of the linked inputs: their types concatenated with ids shifted, each {@code extern} function or
 * variable resolved to the definition another input has, equal types merged ({@link BtfDeduplicator}), and one
 * {@code DATASEC} per ELF section whose variables sit where the linker placed each input's part of the section.
 */
final class BtfMerger {
    private final List<BtfType> all = new ArrayList<>(List.of(new BtfType.Void()));
    private final List<Integer> bases = new ArrayList<>();
    private final List<Btf> inputs = new ArrayList<>();
    /** Each input's DATASECs, already shifted to merged ids, with the offsets of that input's sections. */
    private final List<Placed> sections = new ArrayList<>();
    private final Set<Integer> dataSectionIds = new HashSet<>();
    /** For each type id (index), the input's {@link VariableOffsets}. */
    private final List<VariableOffsets> ownerOf = new ArrayList<>(java.util.Collections.singletonList(null));

    private record Placed(DataSection section, long offset, VariableOffsets variables) {}

    /** Where an input's ELF symbol table puts a variable of a section, which is where its DATASEC entry must say. */
    interface VariableOffsets {
        /** The variable's offset in the input's section, or -1 when the input has no such symbol. */
        long of(String sectionName, String variableName);

        /**
         * Whether this input's definition of a global variable is the linked one: not when another input's strong
         * definition replaced a {@code __weak} one here, or an earlier input's license is kept instead.
         */
        boolean owns(String variableName);
    }

    /** The merged BTF and, per input, how its type ids map to the merged ones. */
    record Result(Btf btf, List<int[]> idMaps) {}

    /**
     * Adds one input's types.
     *
     * @param sectionOffset where this input's part of an ELF section (by name) starts in the output section
     * @param variables     where the input's symbols place its variables (clang leaves that to the linker: its
     *                      DATASEC offsets are only filled in by the {@code .rel.BTF} relocations)
     */
    void add(Btf btf, ToLongFunction<String> sectionOffset, VariableOffsets variables) {
        int base = all.size() - 1;
        bases.add(base);
        inputs.add(btf);
        List<BtfType> types = btf.types();
        for (int id = 1; id < types.size(); id++) {
            BtfType shifted = BtfTypeRewriter.rewrite(types.get(id), base + id, r -> r == 0 ? 0 : base + r);
            all.add(shifted);
            ownerOf.add(variables);
            if (shifted instanceof DataSection d) {
                dataSectionIds.add(shifted.id());
                sections.add(new Placed(d, sectionOffset.applyAsLong(d.name()), variables));
            }
        }
    }

    /**
     * Merges everything added.
     *
     * @param sectionSizes the linked ELF sections' sizes by name, which become the DATASECs' sizes (0 for others)
     */
    Result merge(Map<String, Long> sectionSizes, ByteOrder order) {
        Map<Integer, Integer> aliases = resolveExterns();
        Set<Integer> dropped = new HashSet<>(dataSectionIds);
        for (BtfType t : all) {
            if (t instanceof Var v && v.linkage() == Linkage.GLOBAL && !aliases.containsKey(v.id())
                    && !ownerOf.get(v.id()).owns(v.name())) {
                dropped.add(v.id()); // a variable no symbol of the linked object stands for
            }
        }
        BtfDeduplicator.Result deduped = BtfDeduplicator.dedup(all, dropped, aliases);
        int[] map = deduped.map();
        List<BtfType> out = new ArrayList<>(deduped.types());

        Map<String, List<VarPlacement>> merged = new LinkedHashMap<>();
        for (Placed placed : sections) {
            List<VarPlacement> vars = merged.computeIfAbsent(placed.section().name(), k -> new ArrayList<>());
            for (VarPlacement v : placed.section().variables()) {
                if (aliases.containsKey(v.varTypeId())) {
                    continue; // an extern defined elsewhere: the definition's own DATASEC places it
                }
                if (all.get(v.varTypeId()) instanceof Var var && var.linkage() == Linkage.GLOBAL
                        && !placed.variables().owns(var.name())) {
                    continue; // a definition another input's replaced, or a license kept from an earlier input
                }
                long at = placed.variables().of(placed.section().name(), all.get(v.varTypeId()).name());
                vars.add(new VarPlacement(map[v.varTypeId()], (int) ((at < 0 ? v.offset() : at) + placed.offset()),
                        v.size()));
            }
        }
        merged.forEach((name, vars) -> {
            vars.sort(Comparator.comparingInt(VarPlacement::offset));
            // A section without bytes in any input (.kconfig, .ksyms, externs only) stays unsized, as clang left it.
            int size = (int) (long) sectionSizes.getOrDefault(name, 0L);
            out.add(new DataSection(out.size(), name, size, vars));
        });

        List<int[]> idMaps = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int base = bases.get(i);
            int count = inputs.get(i).types().size();
            int[] inputMap = new int[count];
            for (int id = 1; id < count; id++) {
                inputMap[id] = map[base + id];
            }
            idMaps.add(inputMap);
        }
        return new Result(Btf.of(out, order), idMaps);
    }

    /**
     * {@code extern} functions and variables that another input defines (or an earlier input declares the same
     * way) stand for that definition; kernel externs ({@code __ksym}, {@code __kconfig}) stay as they are, once.
     */
    private Map<Integer, Integer> resolveExterns() {
        Map<String, Integer> functions = new HashMap<>();
        Map<String, Integer> variables = new HashMap<>();
        for (BtfType t : all) {
            if (t instanceof Func f && f.linkage() == Linkage.GLOBAL) {
                functions.putIfAbsent(f.name(), f.id());
            } else if (t instanceof Var v && v.linkage() == Linkage.GLOBAL
                    && ownerOf.get(v.id()).owns(v.name())) {
                variables.putIfAbsent(v.name(), v.id());
            }
        }
        for (BtfType t : all) {
            if (t instanceof Func f && f.linkage() == Linkage.EXTERN) {
                functions.putIfAbsent(f.name(), f.id());
            } else if (t instanceof Var v && v.linkage() == Linkage.EXTERN) {
                variables.putIfAbsent(v.name(), v.id());
            }
        }
        Map<Integer, Integer> references = new HashMap<>();
        for (BtfType t : all) {
            BtfTypeRewriter.references(t).forEach(r -> references.merge(r, 1, Integer::sum));
        }
        Map<Integer, Integer> aliases = new HashMap<>();
        Map<String, Integer> owned = new HashMap<>();
        for (BtfType t : all) {
            if (t instanceof Var v && v.linkage() == Linkage.GLOBAL && ownerOf.get(v.id()).owns(v.name())) {
                owned.putIfAbsent(v.name(), v.id());
            }
        }
        for (BtfType t : all) {
            if (t instanceof Var v && v.linkage() == Linkage.GLOBAL && owned.containsKey(v.name())
                    && owned.get(v.name()) != v.id()) {
                aliases.put(v.id(), owned.get(v.name())); // a definition that lost to another input's
            }
        }
        for (BtfType t : all) {
            Integer target = null;
            if (t instanceof Func f && f.linkage() == Linkage.EXTERN) {
                target = functions.get(f.name());
            } else if (t instanceof Var v && v.linkage() == Linkage.EXTERN) {
                target = variables.get(v.name());
            }
            if (target != null && target != t.id()) {
                aliases.put(t.id(), target);
                if (t instanceof Func f && target > f.id() && references.getOrDefault(f.protoId(), 0) == 1) {
                    // A definition after its extern takes the extern's place, prototype included (as libbpf
                    // does); the extern's prototype, often with unnamed parameters, goes.
                    aliases.put(f.protoId(), ((Func) all.get(target)).protoId());
                }
            }
        }
        return aliases;
    }
}

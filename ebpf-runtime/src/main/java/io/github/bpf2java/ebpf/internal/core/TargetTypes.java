package io.github.bpf2java.ebpf.internal.core;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * The BTF relocations are resolved against: a kernel's {@code vmlinux} types, then, only for a type vmlinux does not
 * have, its modules' split BTF, as libbpf searches. Candidates are found by essential name, so a local
 * {@code task_struct___v1} finds the kernel's {@code task_struct} (and a target's flavored names count too).
 */
public final class TargetTypes {
    private final Btf base;
    private final Supplier<List<Btf>> modules;
    private volatile List<Btf> loadedModules;
    /**
     * The flavored names of each BTF in use, so checking many objects against one kernel scans its names once. Weak
     * keys (Btf has identity equality) and values of plain strings: an index goes when its BTF does.
     */
    private static final Map<Btf, Map<String, List<String>>> FLAVORED_NAMES = new WeakHashMap<>();

    private TargetTypes(Btf base, Supplier<List<Btf>> modules) {
        this.base = base;
        this.modules = modules;
    }

    /** Relocates against {@code btf} alone (a BTF file, a kernel without modules, a test's hand-built types). */
    public static TargetTypes of(Btf btf) {
        return new TargetTypes(btf, List::of);
    }

    /**
     * Relocates against {@code vmlinux}, then the modules {@code modules} supplies (split BTF on top of it), read
     * only when a relocation's type is not in vmlinux.
     */
    public static TargetTypes withModules(Btf vmlinux, Supplier<List<Btf>> modules) {
        return new TargetTypes(vmlinux, modules);
    }

    /** The main target BTF. */
    public Btf base() {
        return base;
    }

    /** A candidate target type: its BTF (vmlinux's or a module's) and id there. */
    record Candidate(Btf btf, int id) {}

    /**
     * The target types with {@code local}'s essential name and a compatible kind, in id order: vmlinux's when it has
     * any, else the modules'.
     */
    List<Candidate> candidates(BtfType local) {
        String essential = CoreTypes.essentialName(local.name());
        List<Candidate> found = find(base, essential, local, 1);
        if (!found.isEmpty()) {
            return found;
        }
        List<Btf> mods = loadedModules;
        if (mods == null) {
            mods = List.copyOf(modules.get());
            loadedModules = mods;
        }
        for (Btf module : mods) {
            found.addAll(find(module, essential, local, module.firstTypeId()));
        }
        return found;
    }

    private List<Candidate> find(Btf btf, String essential, BtfType local, int firstId) {
        List<String> names = new ArrayList<>();
        names.add(essential);
        names.addAll(flavors(btf).getOrDefault(essential, List.of()));
        List<Candidate> out = new ArrayList<>();
        for (String name : names) {
            for (BtfType t : btf.findAll(name)) {
                if (t.id() >= firstId && CoreTypes.sameKind(t, local)) {
                    out.add(new Candidate(btf, t.id()));
                }
            }
        }
        out.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return out;
    }

    /** The flavored names ({@code x___y}) of {@code btf}'s own types by essential name, computed once. */
    private Map<String, List<String>> flavors(Btf btf) {
        synchronized (FLAVORED_NAMES) {
            return FLAVORED_NAMES.computeIfAbsent(btf, b -> {
                Map<String, List<String>> byEssential = new HashMap<>();
                for (String name : b.ownNames()) {
                    if (!name.contains("___")) {
                        continue;
                    }
                    String essential = CoreTypes.essentialName(name);
                    if (!essential.equals(name)) {
                        byEssential.computeIfAbsent(essential, k -> new ArrayList<>()).add(name);
                    }
                }
                return byEssential;
            });
        }
    }
}

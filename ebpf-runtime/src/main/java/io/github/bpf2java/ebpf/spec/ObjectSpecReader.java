package io.github.bpf2java.ebpf.spec;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfExt;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ByteReader;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfRelocation;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import io.github.bpf2java.ebpf.internal.elf.ElfSymbol;
import io.github.bpf2java.ebpf.spec.MapSpec.InitialSlot;
import io.github.bpf2java.ebpf.spec.MapSpec.MapKind;
import io.github.bpf2java.ebpf.spec.Relocation.ExternKind;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Turns an ELF file into an {@link ObjectSpec}: finds programs and subprograms, classifies every relocation of
 * their code, reads BTF-defined, legacy and global-data maps, lays out {@code .kconfig} externs, and fixes up the
 * BTF's {@code DATASEC}s so the loader can hand the BTF to the kernel as it is.
 */
final class ObjectSpecReader {
    private static final int INSN_SIZE = 8;
    private static final int OP_LD_IMM64 = 0x18;
    private static final int OP_CALL = 0x85;
    private static final int PSEUDO_CALL = 1;
    private static final int PSEUDO_FUNC = 4;
    private static final String MAPS_SECTION = ".maps";
    private static final String LEGACY_MAPS_SECTION = "maps";
    private static final String KCONFIG = ".kconfig";
    private static final String KSYMS = ".ksyms";
    private static final String NO_AUTOLOAD = "?";
    private static final String STRUCT_OPS_SECTION = ".struct_ops";
    /** Clang puts {@code __arena} globals ({@code address_space(1)}) in {@code .addr_space.1}. */
    private static final String ARENA_SECTION_PREFIX = ".addr_space.";
    private static final String STRUCT_OPS_LINK_SECTION = ".struct_ops.link";
    /**
     * The largest global data section (and {@code .kconfig} layout) accepted: 512 MiB. The kernel refuses array map
     * values above {@code KMALLOC_MAX_SIZE} (4 MiB with 4 KiB pages, 512 MiB with arm64's 64 KiB pages), so no
     * loadable object comes near it. {@code .bss} ({@code SHT_NOBITS}) costs no memory when read whatever its size:
     * its zeros are made only by {@link MapSpec#contents()}.
     */
    static final long MAX_DATA_SIZE = 512L << 20;

    private final String name;
    private final byte[] bytes;

    private ElfFile elf;
    private ByteOrder order;
    private Btf btf;
    private BtfExt ext;
    /** Symbols defined in a section, by section index, sorted by value. */
    private final Map<Integer, List<ElfSymbol>> symbolsBySection = new HashMap<>();
    /** Laid-out {@code .kconfig} externs by name. */
    private final Map<String, KconfigSlot> kconfigLayout = new LinkedHashMap<>();
    private long kconfigSize;
    private final Map<String, ExternKind> externKinds = new HashMap<>();
    /** Relocation sections by the index of the section they apply to; built on first use. */
    private Map<Integer, List<ElfSection>> relocationsByTarget;
    /** Checked function symbols by section index, in address order, and their names by start offset. */
    private final Map<Integer, List<ElfSymbol>> functionsBySection = new HashMap<>();
    private final Map<Integer, Map<Long, String>> functionStarts = new HashMap<>();
    /** The first named symbol at each offset, by section index (map definitions in {@code .maps} and {@code maps}). */
    private final Map<Integer, Map<Long, String>> namedSymbolStarts = new HashMap<>();
    /** The first symbol of each name, by section index (variables of data sections). */
    private final Map<Integer, Map<String, ElfSymbol>> symbolsByName = new HashMap<>();

    /** A {@code .kconfig} extern to lay out. */
    private record KconfigExtern(String name, long size, int align) {}

    /** Where a {@code .kconfig} extern lives in the kconfig map. */
    private record KconfigSlot(long offset, long size) {}

    ObjectSpecReader(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    ObjectSpec read() {
        elf = ElfFile.parse(name, bytes);
        order = elf.byteOrder();
        if (elf.symbols().isEmpty()) {
            throw new ObjectFormatException(name + ": the object has no symbol table",
                    "do not strip BPF objects with --strip-all; llvm-strip -g keeps what is needed", null);
        }
        for (ElfSymbol s : elf.symbols()) {
            if (s.isInSection() && s.type() != ElfSymbol.Type.SECTION && s.type() != ElfSymbol.Type.FILE) {
                symbolsBySection.computeIfAbsent(s.sectionIndex(), k -> new ArrayList<>()).add(s);
            }
        }
        symbolsBySection.values().forEach(l -> l.sort(Comparator.comparingLong(ElfSymbol::value)));
        readBtf();
        classifyExterns();
        if (btf != null) {
            btf = fixDataSections(btf);
            btf = restrictHiddenFunctions(btf);
        }

        List<MapSpec> maps = new ArrayList<>();
        maps.addAll(readBtfMaps());
        maps.addAll(readLegacyMaps());
        List<VariableSpec> variables = new ArrayList<>();
        maps.addAll(readDataMaps(variables));
        maps.addAll(readStructOpsMaps());
        if (!kconfigLayout.isEmpty()) {
            maps.add(kconfigMap(variables));
        }

        Map<String, FunctionSpec> functions = new LinkedHashMap<>();
        List<ProgramSpec> programs = new ArrayList<>();
        Set<String> codeSections = new HashSet<>();
        for (ElfSection section : elf.sections()) {
            if (section.isExecutable() && section.type() == ElfSection.SHT_PROGBITS && section.size() > 0) {
                // .BTF.ext refers to sections by name, so two of one name would share (and repeat) its records.
                uniqueSection(codeSections, section, "executable");
                readFunctions(section, functions, programs);
            }
        }
        return new ObjectSpec(name, order, license(), kernelVersion(), programs, functions, maps, variables,
                Optional.ofNullable(btf));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // BTF

    private void readBtf() {
        Optional<ElfSection> btfSection = elf.section(".BTF");
        if (btfSection.isEmpty()) {
            return;
        }
        try {
            btf = Btf.parse(elf.contents(btfSection.get()), order);
        } catch (ObjectFormatException e) {
            throw new ObjectFormatException(name + ": section .BTF: " + e.getMessage(), e);
        }
        Optional<ElfSection> extSection = elf.section(".BTF.ext");
        if (extSection.isPresent()) {
            try {
                ext = BtfExt.parse(elf.contents(extSection.get()), order, btf);
            } catch (ObjectFormatException e) {
                throw new ObjectFormatException(name + ": section .BTF.ext: " + e.getMessage(), e);
            }
        }
    }

    /** Decides from the {@code .kconfig} and {@code .ksyms} DATASECs where each extern lives, and lays out kconfig. */
    private void classifyExterns() {
        if (btf == null) {
            return;
        }
        List<KconfigExtern> kconfig = new ArrayList<>();
        for (BtfType t : btf.types()) {
            if (!(t instanceof BtfType.DataSection ds)) {
                continue;
            }
            if (ds.name().equals(KSYMS)) {
                for (BtfType.VarPlacement p : ds.variables()) {
                    externKinds.put(btf.type(p.varTypeId()).name(), ExternKind.KSYM);
                }
            } else if (ds.name().equals(KCONFIG)) {
                for (BtfType.VarPlacement p : ds.variables()) {
                    BtfType v = btf.type(p.varTypeId());
                    if (!(v instanceof BtfType.Var var)) {
                        throw new ObjectFormatException(name + ": .kconfig holds " + btf.describe(v.id())
                                + ", which is not a variable");
                    }
                    externKinds.put(var.name(), ExternKind.KCONFIG);
                    long size = btf.sizeOf(var.typeId());
                    if (size > MAX_DATA_SIZE) {
                        throw new ObjectFormatException(name + ": .kconfig extern " + var.name() + " of " + size
                                + " bytes is larger than a map value can be (" + MAX_DATA_SIZE + " bytes)");
                    }
                    kconfig.add(new KconfigExtern(var.name(), size, btf.alignOf(var.typeId())));
                }
            }
        }
        // Larger alignment first, then smaller size, then name: a compact layout every reader agrees on.
        kconfig.sort(Comparator.comparingInt((KconfigExtern e) -> -e.align())
                .thenComparingLong(KconfigExtern::size)
                .thenComparing(KconfigExtern::name));
        long off = 0;
        for (KconfigExtern e : kconfig) {
            off = (off + e.align() - 1) / e.align() * e.align();
            kconfigLayout.put(e.name(), new KconfigSlot(off, e.size()));
            off += e.size();
            if (off > MAX_DATA_SIZE) {
                throw new ObjectFormatException(name + ": .kconfig externs need more than " + MAX_DATA_SIZE
                        + " bytes");
            }
        }
        kconfigSize = off;
    }

    /**
     * Gives every DATASEC the size of its ELF section and each variable the offset of its symbol, sorted by offset;
     * lays out {@code .kconfig}; turns DATASECs of absent sections into empty anonymous structs, so that the kernel
     * accepts the BTF as it is.
     */
    private Btf fixDataSections(Btf in) {
        List<BtfType> replacements = new ArrayList<>();
        for (int id = in.firstTypeId(); id < in.types().size(); id++) {
            if (!(in.type(id) instanceof BtfType.DataSection ds)) {
                continue;
            }
            if (ds.name().equals(KSYMS)) {
                continue; // The loader resolves kernel symbols and rewrites this section itself.
            }
            if (ds.name().equals(KCONFIG)) {
                List<BtfType.VarPlacement> placed = new ArrayList<>();
                for (BtfType.VarPlacement p : ds.variables()) {
                    BtfType.Var v = (BtfType.Var) in.type(p.varTypeId());
                    KconfigSlot slot = kconfigLayout.get(v.name());
                    placed.add(new BtfType.VarPlacement(p.varTypeId(), (int) slot.offset(), (int) slot.size()));
                    // The kernel accepts no extern VARs; the loader fills the kconfig map, so they are allocated.
                    replacements.add(new BtfType.Var(v.id(), v.name(), v.typeId(), BtfType.Linkage.GLOBAL));
                }
                placed.sort(Comparator.comparingInt(BtfType.VarPlacement::offset));
                replacements.add(new BtfType.DataSection(ds.id(), ds.name(), (int) kconfigSize, placed));
                continue;
            }
            Optional<ElfSection> section = elf.section(ds.name());
            if (section.isEmpty()) {
                replacements.add(new BtfType.Struct(ds.id(), "", 0, List.of()));
                continue;
            }
            ElfSection sec = section.get();
            if (sec.size() < 0 || sec.size() > Integer.MAX_VALUE) {
                throw new ObjectFormatException(name + ": section " + sec.name() + " is too large ("
                        + Long.toUnsignedString(sec.size()) + " bytes)");
            }
            List<BtfType.VarPlacement> placed = new ArrayList<>();
            for (BtfType.VarPlacement p : ds.variables()) {
                BtfType t = in.type(p.varTypeId());
                Optional<ElfSymbol> sym = symbol(sec, t.name());
                int offset = p.offset();
                if (sym.isPresent() && !(ds.size() != 0 && sym.get().value() != p.offset()
                        && staticSymbolAt(sec, t.name(), p.offset()))) {
                    offset = (int) sym.get().value();
                    ElfSymbol.Visibility vis = sym.get().visibility();
                    if (t instanceof BtfType.Var v && v.linkage() == BtfType.Linkage.GLOBAL
                            && (vis == ElfSymbol.Visibility.HIDDEN || vis == ElfSymbol.Visibility.INTERNAL)) {
                        replacements.add(new BtfType.Var(v.id(), v.name(), v.typeId(), BtfType.Linkage.STATIC));
                    }
                } else if (ds.size() == 0) {
                    throw new ObjectFormatException(name + ": variable " + t.name() + " of section " + sec.name()
                            + " has no ELF symbol to take its offset from",
                            "do not strip symbols (--strip-unneeded/--strip-all) from BPF objects", null);
                }
                if (offset < 0 || (long) offset + Integer.toUnsignedLong(p.size()) > sec.size()) {
                    throw new ObjectFormatException(name + ": variable " + t.name() + " (offset " + offset
                            + ", size " + Integer.toUnsignedLong(p.size()) + ") lies outside section " + sec.name()
                            + " of " + sec.size() + " bytes");
                }
                placed.add(new BtfType.VarPlacement(p.varTypeId(), offset, p.size()));
            }
            placed.sort(Comparator.comparingInt(BtfType.VarPlacement::offset));
            replacements.add(new BtfType.DataSection(ds.id(), ds.name(), (int) sec.size(), placed));
        }
        if (replacements.isEmpty()) {
            return in;
        }
        try {
            return in.with(replacements);
        } catch (ObjectFormatException e) {
            throw new ObjectFormatException(name + ": fixing up BTF data sections: " + e.getMessage(), e);
        }
    }

    /**
     * Marks functions that are global in C but hidden from other objects ({@code __hidden}, i.e.
     * {@code STV_HIDDEN} or {@code STV_INTERNAL}) static in the BTF, as libbpf does. The verifier checks a global
     * function once on its own, knowing nothing of its callers (a pointer argument may be NULL), but follows a
     * static one into every call with the caller's context; helpers such as {@code usdt.bpf.h}'s
     * {@code bpf_usdt_arg} pass only the latter.
     */
    private Btf restrictHiddenFunctions(Btf in) {
        Map<String, ElfSymbol> hidden = new HashMap<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.type() == ElfSymbol.Type.FUNC && s.isInSection() && s.binding() != ElfSymbol.Binding.LOCAL
                    && (s.visibility() == ElfSymbol.Visibility.HIDDEN
                            || s.visibility() == ElfSymbol.Visibility.INTERNAL)) {
                hidden.put(s.name(), s);
            }
        }
        if (hidden.isEmpty()) {
            return in;
        }
        List<BtfType> replacements = new ArrayList<>();
        for (int id = in.firstTypeId(); id < in.types().size(); id++) {
            if (in.type(id) instanceof BtfType.Func f && f.linkage() == BtfType.Linkage.GLOBAL
                    && hidden.containsKey(f.name())) {
                replacements.add(new BtfType.Func(f.id(), f.name(), f.protoId(), BtfType.Linkage.STATIC));
            }
        }
        return replacements.isEmpty() ? in : in.with(replacements);
    }

    private Optional<ElfSymbol> symbol(ElfSection section, String symbolName) {
        Map<String, ElfSymbol> byName = symbolsByName.computeIfAbsent(section.index(), k -> {
            Map<String, ElfSymbol> m = new HashMap<>();
            for (ElfSymbol s : symbolsBySection.getOrDefault(k, List.of())) {
                m.putIfAbsent(s.name(), s);
            }
            return m;
        });
        return Optional.ofNullable(byName.get(symbolName));
    }

    /**
     * Whether a {@code static} variable named {@code varName} sits at {@code offset}: a linked object (libbpf's
     * linker, {@code bpftool gen object}) may hold several statics of one name, each placed by its DATASEC entry.
     */
    private boolean staticSymbolAt(ElfSection sec, String varName, long offset) {
        return elf.symbols().stream().anyMatch(s -> s.sectionIndex() == sec.index() && s.value() == offset
                && s.binding() == ElfSymbol.Binding.LOCAL && s.name().equals(varName));
    }

    private Optional<BtfType.DataSection> dataSection(String sectionName) {
        return btf == null ? Optional.empty() : btf.find(sectionName, BtfType.DataSection.class);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Maps

    /** A map definition being read; mutable until its initial slots are known. */
    private static final class MapDraft {
        String mapName;
        MapType type;
        long keySize = -1;
        long valueSize = -1;
        long maxEntries;
        long flags;
        long mapExtra;
        long numaNode;
        long pinning;
        int keyTypeId;
        int valueTypeId;
        MapSpec inner;
        /** Byte offset of the {@code values} array inside the definition, or -1. */
        long valuesOffset = -1;
        long start;
        long size;
        final TreeMap<Integer, String> slots = new TreeMap<>();

        MapSpec build(String sectionName) {
            List<InitialSlot> initial = new ArrayList<>();
            slots.forEach((i, t) -> initial.add(new InitialSlot(i, t)));
            return MapSpec.builder(mapName, MapKind.BTF_DEFINED, type)
                    .keySize((int) Math.max(keySize, 0))
                    .valueSize((int) Math.max(valueSize, 0))
                    .maxEntries((int) maxEntries)
                    .flags((int) flags)
                    .mapExtra(mapExtra)
                    .numaNode((int) numaNode)
                    .pinning((int) pinning)
                    .typeIds(keyTypeId, valueTypeId)
                    .innerMap(Optional.ofNullable(inner))
                    .initialSlots(initial)
                    .sectionName(sectionName)
                    .build();
        }
    }

    private List<MapSpec> readBtfMaps() {
        Optional<ElfSection> section = elf.section(MAPS_SECTION);
        if (section.isEmpty()) {
            return List.of();
        }
        ElfSection sec = section.get();
        Optional<BtfType.DataSection> ds = dataSection(MAPS_SECTION);
        if (ds.isEmpty()) {
            throw new ObjectFormatException(name + ": section .maps has no BTF description",
                    "compile with -g so clang emits BTF for SEC(\".maps\") definitions", null);
        }
        List<MapDraft> drafts = new ArrayList<>();
        for (BtfType.VarPlacement p : ds.get().variables()) {
            BtfType t = btf.type(p.varTypeId());
            if (!(t instanceof BtfType.Var var)) {
                throw new ObjectFormatException(name + ": .maps holds " + btf.describe(t.id())
                        + ", which is not a variable");
            }
            MapDraft d = mapDefinition(var.name(), var.typeId(), false);
            d.start = p.offset();
            d.size = Integer.toUnsignedLong(p.size());
            drafts.add(d);
        }
        readInitialSlots(sec, drafts);
        List<MapSpec> out = new ArrayList<>();
        for (MapDraft d : drafts) {
            out.add(d.build(MAPS_SECTION));
        }
        return out;
    }

    private MapDraft mapDefinition(String mapName, int typeId, boolean inner) {
        Supplier<String> what = () -> name + ": map " + mapName;
        BtfType t = btf.resolve(typeId);
        if (!(t instanceof BtfType.Struct def)) {
            throw new ObjectFormatException(what.get() + ": definition is " + btf.describe(typeId) + ", not a struct",
                    "declare maps as struct { __uint(type, ...); ... } name SEC(\".maps\")", null);
        }
        MapDraft d = new MapDraft();
        d.mapName = mapName;
        long typeValue = -1;
        Set<String> fields = new HashSet<>();
        for (BtfType.Member m : def.members()) {
            if (!fields.add(m.name())) {
                throw new ObjectFormatException(what.get() + ": field '" + m.name() + "' is given twice");
            }
            switch (m.name()) {
                case "type" -> typeValue = uintField(what, m);
                case "max_entries" -> d.maxEntries = uintField(what, m);
                case "map_flags" -> d.flags = uintField(what, m);
                case "numa_node" -> d.numaNode = uintField(what, m);
                case "pinning" -> d.pinning = uintField(what, m);
                case "map_extra" -> d.mapExtra = uintField(what, m);
                case "key_size" -> d.keySize = checkSize(what, "key", d.keySize, uintField(what, m));
                case "value_size" -> d.valueSize = checkSize(what, "value", d.valueSize, uintField(what, m));
                case "key" -> {
                    d.keyTypeId = pointee(what, m);
                    d.keySize = checkSize(what, "key", d.keySize, btf.sizeOf(d.keyTypeId));
                }
                case "value" -> {
                    d.valueTypeId = pointee(what, m);
                    d.valueSize = checkSize(what, "value", d.valueSize, btf.sizeOf(d.valueTypeId));
                }
                case "values" -> {
                    if (inner) {
                        throw new ObjectFormatException(what.get() + ": an inner map template cannot have values");
                    }
                    d.valuesOffset = m.bitOffset() / 8;
                    readValuesField(what, d, m);
                }
                default -> throw new ObjectFormatException(what.get() + ": unknown field '" + m.name() + "'",
                        "known fields: type, key, value, key_size, value_size, max_entries, map_flags, numa_node, "
                                + "pinning, map_extra, values", null);
            }
        }
        if (typeValue < 0) {
            throw new ObjectFormatException(what.get() + ": no map type given", "add __uint(type, BPF_MAP_TYPE_...)",
                    null);
        }
        d.type = mapType(what, typeValue);
        if (d.valuesOffset >= 0 && !d.type.isMapOfMaps() && d.type != MapType.PROG_ARRAY) {
            throw new ObjectFormatException(what.get() + ": only prog arrays and maps of maps take __array(values, ...), "
                    + "not " + d.type);
        }
        if ((d.type.isMapOfMaps() || d.type == MapType.PROG_ARRAY) && d.valuesOffset >= 0) {
            d.valueSize = checkSize(what, "value", d.valueSize, 4);
        }
        if (d.type.isMapOfMaps() && d.inner == null) {
            throw new ObjectFormatException(what.get() + ": a map of maps needs an inner map template",
                    "add __array(values, struct { ... }) describing the inner map", null);
        }
        checkUint(what, "max_entries", d.maxEntries);
        checkUint(what, "map_flags", d.flags);
        checkUint(what, "numa_node", d.numaNode);
        checkUint(what, "pinning", d.pinning);
        return d;
    }

    private void readValuesField(Supplier<String> what, MapDraft d, BtfType.Member m) {
        BtfType arr = btf.resolve(m.typeId());
        if (!(arr instanceof BtfType.Array a)) {
            throw new ObjectFormatException(what.get() + ": field values is " + btf.describe(m.typeId())
                    + ", not an array of pointers", "declare it with __array(values, ...)", null);
        }
        BtfType elem = btf.resolve(a.elementTypeId());
        if (!(elem instanceof BtfType.Pointer p)) {
            throw new ObjectFormatException(what.get() + ": field values holds " + btf.describe(a.elementTypeId())
                    + ", not pointers");
        }
        BtfType target = btf.resolve(p.targetId());
        if (target instanceof BtfType.Struct) {
            d.inner = mapDefinition(d.mapName + ".inner", p.targetId(), true).build(MAPS_SECTION);
        } else if (!(target instanceof BtfType.FuncProto)) {
            throw new ObjectFormatException(what.get() + ": field values points to " + btf.describe(p.targetId())
                    + "; expected a map definition struct or a function prototype");
        }
    }

    /** {@code __uint(name, N)} is {@code int (*name)[N]}; {@code __ulong} is an enum with a single value. */
    private long uintField(Supplier<String> what, BtfType.Member m) {
        BtfType t = btf.resolve(m.typeId());
        if (t instanceof BtfType.Pointer p && btf.type(p.targetId()) instanceof BtfType.Array a) {
            return Integer.toUnsignedLong(a.length());
        }
        if (t instanceof BtfType.Enum e && e.values().size() == 1) {
            return e.values().get(0).value();
        }
        throw new ObjectFormatException(what.get() + ": field " + m.name() + " is " + btf.describe(m.typeId())
                + ", not a number", "declare it with __uint(" + m.name() + ", value)", null);
    }

    private int pointee(Supplier<String> what, BtfType.Member m) {
        if (btf.resolve(m.typeId()) instanceof BtfType.Pointer p) {
            return p.targetId();
        }
        throw new ObjectFormatException(what.get() + ": field " + m.name() + " is " + btf.describe(m.typeId())
                + ", not a pointer", "declare it with __type(" + m.name() + ", T)", null);
    }

    private static long checkSize(Supplier<String> what, String field, long previous, long size) {
        if (previous >= 0 && previous != size) {
            throw new ObjectFormatException(what.get() + ": conflicting " + field + " sizes " + previous + " and " + size);
        }
        if (size > 0xffffffffL) {
            throw new ObjectFormatException(what.get() + ": " + field + " size " + size + " is too large");
        }
        return size;
    }

    private static void checkUint(Supplier<String> what, String field, long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new ObjectFormatException(what.get() + ": " + field + " " + value + " does not fit 32 bits");
        }
    }

    private static MapType mapType(Supplier<String> what, long value) {
        if (value > Integer.MAX_VALUE) {
            throw new ObjectFormatException(what.get() + ": unknown map type " + value);
        }
        return MapType.of((int) value).orElseThrow(() -> new ObjectFormatException(what.get() + ": unknown map type "
                + value, "this runtime knows map types 0.." + (MapType.values().length - 1), null));
    }

    /** {@code values = { [i] = &target }}: relocations in {@code .rel.maps} at the slots of the values array. */
    private void readInitialSlots(ElfSection maps, List<MapDraft> drafts) {
        // The definition a relocation falls in, by binary search; of definitions starting at one offset, the last.
        TreeMap<Long, MapDraft> byStart = new TreeMap<>();
        for (MapDraft d : drafts) {
            byStart.put(d.start, d);
        }
        for (ElfSection rel : relocationSectionsFor(maps)) {
            for (ElfRelocation r : elf.relocations(rel)) {
                Map.Entry<Long, MapDraft> floor = byStart.floorEntry(r.offset());
                MapDraft d = floor == null ? null : floor.getValue();
                if (d != null && r.offset() - d.start >= d.size) {
                    d = null;
                }
                String at = name + ": relocation in .maps at offset " + r.offset();
                if (d == null || d.valuesOffset < 0) {
                    throw new ObjectFormatException(at + " is not inside the values of any map");
                }
                long rel0 = r.offset() - d.start - d.valuesOffset;
                if (rel0 < 0 || rel0 % 8 != 0) {
                    throw new ObjectFormatException(at + " is not at a slot of map " + d.mapName + "'s values");
                }
                long index = rel0 / 8;
                if (index >= d.maxEntries) {
                    throw new ObjectFormatException(at + ": slot " + index + " of map " + d.mapName
                            + " is beyond max_entries " + d.maxEntries);
                }
                ElfSymbol target = elf.symbol(r.symbolIndex(), "relocation in .maps");
                if (d.type == MapType.PROG_ARRAY) {
                    if (target.type() != ElfSymbol.Type.FUNC || !target.isInSection()
                            || !elf.section(target.sectionIndex()).isExecutable()) {
                        throw new ObjectFormatException(at + ": prog array " + d.mapName + " slot " + index
                                + " refers to " + target.name() + ", which is not a program");
                    }
                } else if (!target.isInSection() || !elf.section(target.sectionIndex()).name().equals(MAPS_SECTION)) {
                    throw new ObjectFormatException(at + ": map " + d.mapName + " slot " + index + " refers to "
                            + target.name() + ", which is not a map");
                }
                d.slots.put((int) index, target.name());
            }
        }
    }

    private List<MapSpec> readLegacyMaps() {
        Optional<ElfSection> section = elf.section(LEGACY_MAPS_SECTION);
        if (section.isEmpty()) {
            return List.of();
        }
        ElfSection sec = section.get();
        List<ElfSymbol> symbols = new ArrayList<>();
        for (ElfSymbol s : symbolsBySection.getOrDefault(sec.index(), List.of())) {
            if (!s.name().isEmpty()) {
                symbols.add(s);
            }
        }
        if (symbols.isEmpty()) {
            return List.of();
        }
        byte[] data = elf.contents(sec);
        ByteReader in = new ByteReader(data, order, name + ": section maps");
        List<MapSpec> out = new ArrayList<>();
        for (ElfSymbol s : symbols) {
            // Old compilers left st_size at 0; then all definitions share the section equally.
            long size = s.size() != 0 ? s.size() : data.length / symbols.size();
            Supplier<String> what = () -> name + ": legacy map " + s.name();
            if (size < 16 || !ByteReader.fits(s.value(), size, data.length)) {
                throw new ObjectFormatException(what.get() + " (offset " + s.value() + ", " + size
                        + " bytes) is not a struct bpf_map_def inside section maps of " + data.length + " bytes");
            }
            long type = in.u32(s.value(), "type");
            long keySize = in.u32(s.value() + 4, "key_size");
            long valueSize = in.u32(s.value() + 8, "value_size");
            long maxEntries = in.u32(s.value() + 12, "max_entries");
            long flags = size >= 20 ? in.u32(s.value() + 16, "map_flags") : 0;
            out.add(MapSpec.builder(s.name(), MapKind.LEGACY, mapType(what, type))
                    .keySize((int) keySize)
                    .valueSize((int) valueSize)
                    .maxEntries((int) maxEntries)
                    .flags((int) flags)
                    .sectionName(LEGACY_MAPS_SECTION)
                    .build());
        }
        return out;
    }

    /** One map per variable of the {@code .struct_ops} and {@code .struct_ops.link} sections. */
    private List<MapSpec> readStructOpsMaps() {
        List<MapSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ElfSection sec : elf.sections()) {
            if (!sec.name().equals(STRUCT_OPS_SECTION) && !sec.name().equals(STRUCT_OPS_LINK_SECTION)) {
                continue;
            }
            uniqueSection(seen, sec, "struct_ops");
            Optional<BtfType.DataSection> ds = dataSection(sec.name());
            if (ds.isEmpty()) {
                throw new ObjectFormatException(name + ": section " + sec.name() + " has no BTF description",
                        "compile with -g so clang emits BTF for struct_ops variables", null);
            }
            // An all-zero section (SHT_NOBITS) holds no bytes; its variables' contents stay empty, read as zeros.
            boolean zeros = sec.type() == ElfSection.SHT_NOBITS;
            byte[] contents = zeros ? new byte[0] : elf.contents(sec);
            Map<Long, String> functions = structOpsFunctions(sec);
            long previousEnd = 0;
            List<BtfType.VarPlacement> placements = new ArrayList<>(ds.get().variables());
            placements.sort(Comparator.comparingInt(BtfType.VarPlacement::offset));
            for (BtfType.VarPlacement p : placements) {
                if (btf.type(p.varTypeId()) instanceof BtfType.Var v) {
                    // Each byte belongs to one variable, so the copies below never exceed the section's size.
                    if (p.offset() < previousEnd || (long) p.offset() + p.size() > sec.size()) {
                        throw new ObjectFormatException(name + ": struct_ops variable " + v.name() + " lies outside "
                                + "section " + sec.name() + " or overlaps another");
                    }
                    previousEnd = (long) p.offset() + p.size();
                    List<InitialSlot> slots = new ArrayList<>();
                    functions.forEach((offset, function) -> {
                        if (offset >= p.offset() && offset < p.offset() + p.size()) {
                            slots.add(new InitialSlot((int) (offset - p.offset()), function));
                        }
                    });
                    out.add(MapSpec.builder(v.name(), MapKind.STRUCT_OPS, MapType.STRUCT_OPS)
                            .keySize(4)
                            .valueSize(p.size())
                            .maxEntries(1)
                            .typeIds(0, v.typeId())
                            .initialSlots(slots)
                            .contents(zeros ? new byte[0]
                                    : Arrays.copyOfRange(contents, p.offset(), p.offset() + p.size()))
                            .sectionName(sec.name())
                            .build());
                }
            }
        }
        return out;
    }

    /** The functions a struct_ops section's pointers name, by offset: its {@code R_BPF_64_ABS64} relocations. */
    private Map<Long, String> structOpsFunctions(ElfSection sec) {
        Map<Long, String> out = new TreeMap<>();
        for (ElfSection rel : elf.relocationSections()) {
            if (rel.info() != sec.index()) {
                continue;
            }
            for (ElfRelocation r : elf.relocations(rel)) {
                ElfSymbol target = elf.symbol(r.symbolIndex(), "relocation in " + sec.name());
                if (!target.isInSection() || !elf.section(target.sectionIndex()).isExecutable()) {
                    throw new ObjectFormatException(name + ": " + sec.name() + " at offset " + r.offset()
                            + " points to " + target.name() + ", which is not a program");
                }
                String function = target.type() == ElfSymbol.Type.FUNC ? target.name()
                        : functionAt(target.sectionIndex(), target.value());
                out.put(r.offset(), function);
            }
        }
        return out;
    }

    /** The function symbol at {@code offset} of section {@code index} (for relocations against a section). */
    private String functionAt(int index, long offset) {
        for (ElfSymbol s : symbolsBySection.getOrDefault(index, List.of())) {
            if (s.type() == ElfSymbol.Type.FUNC && s.value() == offset) {
                return s.name();
            }
        }
        throw new ObjectFormatException(name + ": no function at offset " + offset + " of section "
                + elf.section(index).name() + " for a struct_ops pointer");
    }

    /**
     * Rejects a second section of a name that becomes maps: each would repeat the maps and variables of the first
     * (a compiler never writes two), so a small file could multiply them by its section count.
     */
    private void uniqueSection(Set<String> seen, ElfSection sec, String what) {
        if (!seen.add(sec.name())) {
            throw new ObjectFormatException(name + ": two " + what + " sections are named " + sec.name()
                    + " (section " + sec.index() + " repeats an earlier one)");
        }
    }

    static boolean isDataSection(String sectionName) {
        return sectionName.equals(".data") || sectionName.equals(".rodata") || sectionName.equals(".bss")
                || sectionName.startsWith(".data.") || sectionName.startsWith(".rodata.")
                || sectionName.startsWith(".bss.");
    }

    private List<MapSpec> readDataMaps(List<VariableSpec> variables) {
        List<MapSpec> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ElfSection sec : elf.sections()) {
            if (!isDataSection(sec.name()) || sec.size() == 0
                    || sec.type() != ElfSection.SHT_PROGBITS && sec.type() != ElfSection.SHT_NOBITS) {
                continue;
            }
            uniqueSection(seen, sec, "global data");
            if (sec.size() < 0 || sec.size() > MAX_DATA_SIZE) {
                throw new ObjectFormatException(name + ": data section " + sec.name() + " of "
                        + Long.toUnsignedString(sec.size()) + " bytes is too large for a map value (at most "
                        + MAX_DATA_SIZE + " bytes; kernels refuse array values above KMALLOC_MAX_SIZE)");
            }
            boolean readOnly = sec.name().startsWith(".rodata");
            // SHT_NOBITS (.bss) has no bytes in the file: its zeros are made when MapSpec.contents() is asked for.
            byte[] contents = sec.type() == ElfSection.SHT_NOBITS ? new byte[0] : elf.contents(sec);
            Optional<BtfType.DataSection> ds = dataSection(sec.name());
            int flags = MapSpec.BPF_F_MMAPABLE | (readOnly ? MapSpec.BPF_F_RDONLY_PROG : 0);
            out.add(MapSpec.builder(sec.name(), MapKind.GLOBAL_DATA, MapType.ARRAY)
                    .keySize(4)
                    .valueSize((int) sec.size())
                    .maxEntries(1)
                    .flags(flags)
                    .typeIds(0, ds.map(BtfType::id).orElse(0))
                    .contents(contents)
                    .sectionName(sec.name())
                    .build());
            variables.addAll(variablesOf(sec, ds, readOnly));
        }
        return out;
    }

    private List<VariableSpec> variablesOf(ElfSection sec, Optional<BtfType.DataSection> ds, boolean readOnly) {
        List<VariableSpec> out = new ArrayList<>();
        if (ds.isPresent()) {
            for (BtfType.VarPlacement p : ds.get().variables()) {
                if (btf.type(p.varTypeId()) instanceof BtfType.Var v) {
                    boolean global = v.linkage() == BtfType.Linkage.GLOBAL;
                    out.add(new VariableSpec(v.name(), sec.name(), p.offset(), p.size(), v.typeId(), readOnly,
                            global));
                }
            }
        } else {
            for (ElfSymbol s : symbolsBySection.getOrDefault(sec.index(), List.of())) {
                if (s.type() == ElfSymbol.Type.OBJECT && s.size() > 0 && ByteReader.fits(s.value(), s.size(),
                        sec.size()) && s.size() <= Integer.MAX_VALUE) {
                    out.add(new VariableSpec(s.name(), sec.name(), (int) s.value(), (int) s.size(), 0, readOnly,
                            s.isExported()));
                }
            }
        }
        out.sort(Comparator.comparingInt(VariableSpec::offset));
        return out;
    }

    private MapSpec kconfigMap(List<VariableSpec> variables) {
        Optional<BtfType.DataSection> ds = dataSection(KCONFIG);
        if (kconfigSize > MAX_DATA_SIZE) {
            throw new ObjectFormatException(name + ": .kconfig externs need " + kconfigSize + " bytes");
        }
        for (BtfType.VarPlacement p : ds.orElseThrow().variables()) {
            BtfType.Var v = (BtfType.Var) btf.type(p.varTypeId());
            variables.add(new VariableSpec(v.name(), KCONFIG, p.offset(), p.size(), v.typeId(), true, true));
        }
        return MapSpec.builder(KCONFIG, MapKind.KCONFIG, MapType.ARRAY)
                .keySize(4)
                .valueSize((int) Math.max(kconfigSize, 1))
                .maxEntries(1)
                .flags(MapSpec.BPF_F_MMAPABLE | MapSpec.BPF_F_RDONLY_PROG)
                .typeIds(0, ds.get().id())
                .sectionName(KCONFIG)
                .build();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Functions and relocations

    /**
     * Reads the functions of one executable section. Every lookup here is by map or binary search, and messages
     * naming an instruction are built only when something is wrong, so the work and memory stay linear in the
     * section's size however many functions, relocations and {@code .BTF.ext} records it has.
     */
    private void readFunctions(ElfSection sec, Map<String, FunctionSpec> functions, List<ProgramSpec> programs) {
        byte[] code = elf.contents(sec);
        List<ElfSymbol> funcs = functionsOf(sec);
        Map<Long, ElfRelocation> relocs = new HashMap<>();
        for (ElfSection rel : relocationSectionsFor(sec)) {
            for (ElfRelocation r : elf.relocations(rel)) {
                if (r.offset() < 0 || r.offset() % INSN_SIZE != 0 || r.offset() >= code.length) {
                    throw new ObjectFormatException(name + ": section " + sec.name() + ": relocation at offset "
                            + r.offset() + " is not at an instruction of the " + code.length + "-byte section");
                }
                if (relocs.put(r.offset(), r) != null) {
                    throw new ObjectFormatException(name + ": section " + sec.name()
                            + ": two relocations for the instruction at offset " + r.offset());
                }
            }
        }
        ExtRecords records = extRecords(sec, funcs);
        ProgramTemplate template = sec.name().equals(".text") ? null : programTemplate(sec);
        boolean[] covered = new boolean[code.length / INSN_SIZE];
        ByteReader in = new ByteReader(code, order, name + ": section " + sec.name());
        for (int k = 0; k < funcs.size(); k++) {
            ElfSymbol f = funcs.get(k);
            for (long o = f.value(); o < f.value() + f.size(); o += INSN_SIZE) {
                covered[(int) (o / INSN_SIZE)] = true;
            }
            FunctionSpec fn = readFunction(sec, f, code, in, relocs, records.funcInfos.get(k),
                    records.lineInfos.get(k), records.coreRelocations.get(k));
            if (functions.put(fn.name(), fn) != null) {
                throw new ObjectFormatException(name + ": two functions are named " + fn.name());
            }
            if (template != null) {
                programs.add(template.program(fn));
            }
        }
        for (long off : relocs.keySet()) {
            if (!covered[(int) (off / INSN_SIZE)]) {
                throw new ObjectFormatException(name + ": section " + sec.name() + ": relocation at offset " + off
                        + " is outside every function");
            }
        }
    }

    /** The relocation sections that apply to {@code sec}, found through one index built on first use. */
    private List<ElfSection> relocationSectionsFor(ElfSection sec) {
        if (relocationsByTarget == null) {
            relocationsByTarget = new HashMap<>();
            for (ElfSection rel : elf.relocationSections()) {
                relocationsByTarget.computeIfAbsent(rel.info(), k -> new ArrayList<>()).add(rel);
            }
        }
        return relocationsByTarget.getOrDefault(sec.index(), List.of());
    }

    /** The function symbols of {@code sec} in address order, checked to lie on instructions without overlapping. */
    private List<ElfSymbol> functionsOf(ElfSection sec) {
        List<ElfSymbol> known = functionsBySection.get(sec.index());
        if (known != null) {
            return known;
        }
        List<ElfSymbol> funcs = new ArrayList<>();
        Map<Long, String> starts = new HashMap<>();
        for (ElfSymbol s : symbolsBySection.getOrDefault(sec.index(), List.of())) {
            if (s.type() != ElfSymbol.Type.FUNC || s.size() == 0) {
                continue;
            }
            if (s.value() < 0 || s.value() % INSN_SIZE != 0 || s.size() % INSN_SIZE != 0
                    || !ByteReader.fits(s.value(), s.size(), sec.size())) {
                throw new ObjectFormatException(name + ": function " + s.name() + " (offset " + s.value() + ", "
                        + s.size() + " bytes) does not lie on instruction boundaries inside section " + sec.name()
                        + " of " + sec.size() + " bytes");
            }
            if (!funcs.isEmpty()) {
                ElfSymbol prev = funcs.get(funcs.size() - 1);
                if (prev.value() + prev.size() > s.value()) {
                    throw new ObjectFormatException(name + ": functions " + prev.name() + " and " + s.name()
                            + " overlap in section " + sec.name());
                }
            }
            funcs.add(s);
            starts.put(s.value(), s.name());
        }
        functionsBySection.put(sec.index(), funcs);
        functionStarts.put(sec.index(), starts);
        return funcs;
    }

    /** Where a message about instruction {@code i} of function {@code f} points; built only for messages. */
    private Supplier<String> site(ElfSection sec, ElfSymbol f, int i) {
        return () -> name + ": section " + sec.name() + ", function " + f.name() + ", instruction " + i;
    }

    private FunctionSpec readFunction(ElfSection sec, ElfSymbol f, byte[] code, ByteReader in,
            Map<Long, ElfRelocation> relocs, List<FunctionSpec.FuncInfo> funcInfos,
            List<FunctionSpec.LineInfo> lineInfos, List<FunctionSpec.CoreRelocation> coreRelocations) {
        int count = (int) (f.size() / INSN_SIZE);
        List<Relocation> relocations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long off = f.value() + (long) i * INSN_SIZE;
            int opcode = in.u8(off, "opcode");
            int regs = in.u8(off + 1, "registers");
            int src = order == ByteOrder.LITTLE_ENDIAN ? regs >>> 4 : regs & 0xf;
            int imm = in.s32(off + 4, "immediate");
            ElfRelocation r = relocs.get(off);
            if (r != null) {
                relocations.add(relocation(site(sec, f, i), i, opcode, src, imm, r));
            } else if (opcode == OP_CALL && src == PSEUDO_CALL) {
                // A call within the section that clang resolved itself: pc-relative.
                long target = off + ((long) imm + 1) * INSN_SIZE;
                relocations.add(new Relocation.FunctionCall(i, functionAt(site(sec, f, i), sec, target)));
            } else if (opcode == OP_LD_IMM64 && src == PSEUDO_FUNC) {
                long target = off + ((long) imm + 1) * INSN_SIZE;
                relocations.add(new Relocation.FunctionPointer(i, functionAt(site(sec, f, i), sec, target)));
            }
            if (opcode == OP_LD_IMM64) {
                if (i + 1 >= count) {
                    throw new ObjectFormatException(site(sec, f, i).get() + ": ld_imm64 is missing its second half");
                }
                if (relocs.containsKey(off + INSN_SIZE)) {
                    throw new ObjectFormatException(site(sec, f, i).get()
                            + ": relocation points into the middle of ld_imm64");
                }
                i++;
            }
        }
        byte[] insns = Arrays.copyOfRange(code, (int) f.value(), (int) (f.value() + f.size()));
        return new FunctionSpec(f.name(), sec.name(), f.isExported(), insns, order, relocations, funcInfos,
                lineInfos, coreRelocations);
    }

    private Relocation relocation(Supplier<String> where, int i, int opcode, int src, int imm, ElfRelocation r) {
        int index = r.symbolIndex();
        ElfSymbol sym = elf.symbol(index, index >= 0 && index < elf.symbols().size() ? "" : where.get());
        Supplier<String> what = () -> where.get() + ": relocation against symbol "
                + (sym.name().isEmpty() ? "#" + sym.index() : sym.name());
        if (opcode == OP_LD_IMM64) {
            if (sym.isUndefined()) {
                ExternKind kind = externKind(what, sym);
                long offset = kind == ExternKind.KCONFIG ? kconfigLayout.get(sym.name()).offset() + imm : imm;
                return new Relocation.ExternReference(i, sym.name(), kind, offset,
                        sym.binding() == ElfSymbol.Binding.WEAK);
            }
            if (!sym.isInSection()) {
                throw new ObjectFormatException(what.get() + ": the symbol is in no section (index 0x"
                        + Integer.toHexString(sym.sectionIndex()) + ")");
            }
            ElfSection target = elf.section(sym.sectionIndex());
            if (target.name().equals(MAPS_SECTION) || target.name().equals(LEGACY_MAPS_SECTION)) {
                return new Relocation.MapReference(i, mapAt(what, target, sym, imm));
            }
            if (isDataSection(target.name())) {
                long offset = sym.value() + imm;
                if (offset < 0 || offset >= target.size()) {
                    throw new ObjectFormatException(what.get() + ": offset " + offset + " lies outside section "
                            + target.name() + " of " + target.size() + " bytes");
                }
                return new Relocation.MapValueReference(i, target.name(), offset);
            }
            if (target.isExecutable()) {
                return new Relocation.FunctionPointer(i, functionAt(what, target, sym.value() + imm));
            }
            if (target.name().startsWith(ARENA_SECTION_PREFIX)) {
                return new Relocation.ArenaReference(i, target.name(), sym.value() + imm);
            }
            throw new ObjectFormatException(what.get() + ": ld_imm64 refers to section " + target.name()
                    + ", which is neither a map, global data nor code");
        }
        if (opcode == OP_CALL) {
            if (sym.isUndefined()) {
                return new Relocation.ExternReference(i, sym.name(), externKind(what, sym), 0,
                        sym.binding() == ElfSymbol.Binding.WEAK);
            }
            if (src == PSEUDO_CALL && sym.isInSection() && elf.section(sym.sectionIndex()).isExecutable()) {
                ElfSection target = elf.section(sym.sectionIndex());
                long offset = sym.value() + ((long) imm + 1) * INSN_SIZE;
                return new Relocation.FunctionCall(i, functionAt(what, target, offset));
            }
            throw new ObjectFormatException(what.get() + ": a call that is neither bpf-to-bpf nor to an extern");
        }
        throw new ObjectFormatException(what.get() + ": relocation type " + r.type() + " on instruction opcode 0x"
                + Integer.toHexString(opcode) + " is not supported");
    }

    private ExternKind externKind(Supplier<String> what, ElfSymbol sym) {
        ExternKind kind = externKinds.get(sym.name());
        if (kind == null) {
            throw new ObjectFormatException(what.get() + ": extern " + sym.name() + " is declared neither __kconfig "
                    + "nor __ksym", "if another C file defines it, link the files into one object first (the "
                            + "plugin's <objects>, StaticLinker, or bpftool gen object); if the kernel provides it, "
                            + "declare it `extern ... __kconfig` or `extern ... __ksym` and compile with -g", null);
        }
        return kind;
    }

    private String mapAt(Supplier<String> what, ElfSection maps, ElfSymbol sym, int imm) {
        if (sym.type() != ElfSymbol.Type.SECTION && !sym.name().isEmpty()) {
            return sym.name();
        }
        long offset = sym.value() + imm;
        String map = namedSymbolStarts(maps).get(offset);
        if (map == null) {
            throw new ObjectFormatException(what.get() + ": no map starts at offset " + offset + " of section "
                    + maps.name());
        }
        return map;
    }

    /** The first named symbol at each offset of {@code sec}, by offset. */
    private Map<Long, String> namedSymbolStarts(ElfSection sec) {
        return namedSymbolStarts.computeIfAbsent(sec.index(), k -> {
            Map<Long, String> starts = new HashMap<>();
            for (ElfSymbol s : symbolsBySection.getOrDefault(k, List.of())) {
                if (!s.name().isEmpty()) {
                    starts.putIfAbsent(s.value(), s.name());
                }
            }
            return starts;
        });
    }

    private String functionAt(Supplier<String> what, ElfSection sec, long offset) {
        functionsOf(sec);
        String fn = functionStarts.get(sec.index()).get(offset);
        if (fn == null) {
            throw new ObjectFormatException(what.get() + ": no function starts at offset " + offset + " of section "
                    + sec.name());
        }
        return fn;
    }

    /** What the programs of one section share, worked out once per section rather than once per program. */
    private record ProgramTemplate(String sectionName, boolean autoload, Optional<SectionDef> def,
            String attachTarget) {
        ProgramSpec program(FunctionSpec fn) {
            return new ProgramSpec(fn.name(), sectionName, def.map(SectionDef::programType),
                    def.flatMap(SectionDef::expectedAttachType), attachTarget, def,
                    def.map(SectionDef::sleepable).orElse(false), fn, autoload);
        }
    }

    private static ProgramTemplate programTemplate(ElfSection sec) {
        // libbpf's SEC("?name"): the program is of the kind "name" says but is loaded only when asked for.
        boolean autoload = !sec.name().startsWith(NO_AUTOLOAD);
        String kind = autoload ? sec.name() : sec.name().substring(NO_AUTOLOAD.length());
        Optional<SectionDef> def = SectionTable.find(kind).or(() -> SectionTable.lenientMatch(kind));
        return new ProgramTemplate(sec.name(), autoload, def, def.map(d -> d.attachTarget(kind)).orElse(""));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // .BTF.ext, split per function

    /** The {@code .BTF.ext} records of one section, one list per function (by index), offsets made relative. */
    private record ExtRecords(List<List<FunctionSpec.FuncInfo>> funcInfos,
            List<List<FunctionSpec.LineInfo>> lineInfos, List<List<FunctionSpec.CoreRelocation>> coreRelocations) {}

    /** Hands each record of {@code sec} to the function containing it: one pass, a binary search per record. */
    private ExtRecords extRecords(ElfSection sec, List<ElfSymbol> funcs) {
        List<List<FunctionSpec.FuncInfo>> funcInfos = lists(funcs.size());
        List<List<FunctionSpec.LineInfo>> lineInfos = lists(funcs.size());
        List<List<FunctionSpec.CoreRelocation>> coreRelocations = lists(funcs.size());
        if (ext != null) {
            for (BtfExt.FuncInfo fi : ext.funcInfos().getOrDefault(sec.name(), List.of())) {
                int k = functionContaining(funcs, fi.byteOffset());
                if (k >= 0) {
                    checkTypeId("func_info", sec, fi.byteOffset(), fi.typeId());
                    funcInfos.get(k).add(new FunctionSpec.FuncInfo(relative(funcs.get(k), fi.byteOffset()),
                            fi.typeId()));
                }
            }
            for (BtfExt.LineInfo li : ext.lineInfos().getOrDefault(sec.name(), List.of())) {
                int k = functionContaining(funcs, li.byteOffset());
                if (k >= 0) {
                    lineInfos.get(k).add(new FunctionSpec.LineInfo(relative(funcs.get(k), li.byteOffset()),
                            li.fileNameOffset(), li.lineOffset(), li.lineNumber(), li.column()));
                }
            }
            CoreRelocationKind[] kinds = CoreRelocationKind.values();
            for (BtfExt.CoreRelo cr : ext.coreRelocations().getOrDefault(sec.name(), List.of())) {
                int k = functionContaining(funcs, cr.byteOffset());
                if (k >= 0) {
                    checkTypeId("CO-RE relocation", sec, cr.byteOffset(), cr.typeId());
                    if (cr.kind() < 0 || cr.kind() >= kinds.length) {
                        throw new ObjectFormatException(name + ": section " + sec.name() + ": CO-RE relocation at "
                                + "offset " + cr.byteOffset() + " has unknown kind " + cr.kind());
                    }
                    coreRelocations.get(k).add(new FunctionSpec.CoreRelocation(relative(funcs.get(k),
                            cr.byteOffset()), cr.typeId(), cr.accessString(), kinds[cr.kind()]));
                }
            }
        }
        return new ExtRecords(funcInfos, lineInfos, coreRelocations);
    }

    private static <T> List<List<T>> lists(int n) {
        List<List<T>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        return out;
    }

    /** The index of the function (sorted, not overlapping) whose bytes include {@code byteOffset}, or -1. */
    private static int functionContaining(List<ElfSymbol> funcs, long byteOffset) {
        int lo = 0;
        int hi = funcs.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ElfSymbol f = funcs.get(mid);
            if (byteOffset < f.value()) {
                hi = mid - 1;
            } else if (byteOffset >= f.value() + f.size()) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    private static int relative(ElfSymbol f, long byteOffset) {
        return (int) ((byteOffset - f.value()) / INSN_SIZE);
    }

    private void checkTypeId(String what, ElfSection sec, long offset, int typeId) {
        if (typeId < 0 || typeId >= btf.types().size()) {
            throw new ObjectFormatException(name + ": section " + sec.name() + ": " + what + " at offset " + offset
                    + " refers to BTF type " + Integer.toUnsignedLong(typeId) + ", which does not exist");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // license and version

    private String license() {
        Optional<ElfSection> sec = elf.section("license");
        if (sec.isEmpty()) {
            return "";
        }
        byte[] data = elf.contents(sec.get());
        int end = 0;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private int kernelVersion() {
        Optional<ElfSection> sec = elf.section("version");
        if (sec.isEmpty()) {
            return 0;
        }
        byte[] data = elf.contents(sec.get());
        if (data.length != 4) {
            throw new ObjectFormatException(name + ": section version has " + data.length + " bytes, not 4");
        }
        return new ByteReader(data, order, name + ": section version").s32(0, "version");
    }
}

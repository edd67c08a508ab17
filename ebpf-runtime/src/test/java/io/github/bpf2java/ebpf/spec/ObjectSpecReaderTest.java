package io.github.bpf2java.ebpf.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfEncoder;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import io.github.bpf2java.ebpf.internal.elf.ElfSymbol;
import io.github.bpf2java.ebpf.spec.MapSpec.InitialSlot;
import io.github.bpf2java.ebpf.spec.MapSpec.MapKind;
import io.github.bpf2java.ebpf.spec.Relocation.ExternKind;
import io.github.bpf2java.ebpf.spec.Relocation.ExternReference;
import io.github.bpf2java.ebpf.spec.Relocation.FunctionCall;
import io.github.bpf2java.ebpf.spec.Relocation.FunctionPointer;
import io.github.bpf2java.ebpf.spec.Relocation.MapReference;
import io.github.bpf2java.ebpf.spec.Relocation.MapValueReference;
import io.github.bpf2java.ebpf.testing.BpfFixtures.Fixture;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Reads objects compiled from {@code src/test/bpf} by every installed clang, for both byte orders. */
class ObjectSpecReaderTest {

    @Test
    void toStringsAreOneLineSummariesWithTheDetailLeftToTheAccessors() {
        ObjectSpec spec = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0));
        String summary = spec.toString();
        assertTrue(summary.startsWith("ObjectSpec[typed_data, " + (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? "little" : "big") + "-endian, 3 programs [count_hit, write_struct, touch_all], "), summary);
        assertTrue(summary.contains("16 maps [written, mmapable, u32_to_u64, ") && summary.contains(" variables [sample, ")
                && summary.endsWith(", BTF]"), summary);
        assertFalse(summary.contains("\n") || summary.contains("LineInfo") || summary.contains("Relocation"), summary);
        assertTrue(summary.length() < 400, summary.length() + " characters: " + summary);

        ProgramSpec program = spec.program("write_struct").orElseThrow();
        assertEquals("ProgramSpec[write_struct in xdp, XDP, attach type XDP, " + program.function().instructionCount()
                + " instructions]", program.toString());
        String function = program.function().toString();
        assertTrue(function.startsWith("FunctionSpec[write_struct in xdp, global, ")
                && function.contains(" line infos") && function.length() < 200, function);
        assertFalse(program.function().lineInfos().isEmpty(), "the detail is still there");
    }

    static Stream<Fixture> counter() {
        return variants("counter");
    }

    static Stream<Fixture> maps() {
        return variants("maps");
    }

    static Stream<Fixture> legacyMaps() {
        return variants("legacy_maps");
    }

    static Stream<Fixture> globals() {
        return variants("globals");
    }

    static Stream<Fixture> core() {
        return variants("core");
    }

    static Stream<Fixture> allFixtures() {
        return Stream.of("counter", "maps", "legacy_maps", "globals", "sections", "core", "execsnoop")
                .flatMap(ObjectSpecReaderTest::variants);
    }

    /** Every compiler and byte order, with and without DWARF, plus one copy without {@code .BTF.ext}. */
    static Stream<Fixture> variants(String name) {
        List<Fixture> all = new ArrayList<>(BpfFixtures.allVariants(name));
        all.add(BpfFixtures.objcopy(all.get(0), "no-btf-ext", "--remove-section", ".BTF.ext",
                "--remove-section", ".rel.BTF.ext"));
        return all.stream();
    }

    private static ObjectSpec read(Fixture f) {
        return ObjectSpec.read(f.name(), f.bytes());
    }

    private static boolean hasBtfExt(Fixture f) {
        return !f.name().contains("no-btf-ext");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counter")
    void readsTracepointCounter(Fixture f) {
        ObjectSpec spec = read(f);
        assertEquals(f.target().equals(BpfFixtures.BPFEB) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
                spec.byteOrder());
        assertEquals("Dual MIT/GPL", spec.license());
        assertEquals(0, spec.kernelVersion());

        ProgramSpec p = spec.program("count_execve").orElseThrow();
        assertEquals("tracepoint/syscalls/sys_enter_execve", p.sectionName());
        assertEquals(ProgramType.TRACEPOINT, p.type().orElseThrow());
        assertEquals("syscalls/sys_enter_execve", p.attachTarget());
        assertEquals("tracepoint/", p.sectionDef().orElseThrow().prefix());
        assertEquals(SectionDef.AttachKind.TRACEPOINT, p.sectionDef().orElseThrow().attachKind());
        assertFalse(p.sleepable());
        assertEquals(1, spec.programs().size());

        MapSpec m = spec.map("counting_map").orElseThrow();
        assertEquals(MapKind.BTF_DEFINED, m.kind());
        assertEquals(MapType.ARRAY, m.type());
        assertEquals(4, m.keySize());
        assertEquals(8, m.valueSize());
        assertEquals(1, m.maxEntries());
        Btf btf = spec.btf().orElseThrow();
        assertEquals("__u32", btf.describe(m.keyTypeId()));
        assertEquals("__u64", btf.describe(m.valueTypeId()));

        FunctionSpec fn = p.function();
        assertEquals(2, fn.relocations().size(), "lookup and update name the map");
        for (Relocation r : fn.relocations()) {
            assertEquals(new MapReference(r.instructionOffset(), "counting_map"), r);
            assertEquals(0x18, fn.instructions()[r.instructionOffset() * 8] & 0xff, "ld_imm64 is patched");
        }
        if (hasBtfExt(f)) {
            assertEquals(List.of(new FunctionSpec.FuncInfo(0, btf.find("count_execve", BtfType.Func.class)
                    .orElseThrow().id())), fn.funcInfos());
            assertTrue(fn.lineInfos().size() >= 3, "line info for several source lines");
            assertTrue(fn.lineInfos().stream().allMatch(l -> l.instructionOffset() < fn.instructionCount()));
            assertTrue(btf.string(fn.lineInfos().get(0).fileNameOffset()).endsWith("counter.c"));
        } else {
            assertTrue(fn.funcInfos().isEmpty() && fn.lineInfos().isEmpty());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maps")
    void readsBtfDefinedMapsOfEveryKind(Fixture f) {
        ObjectSpec spec = read(f);
        assertMap(spec, "events_hash", MapType.HASH, 4, 20, 1024, 0);
        assertEquals(1, spec.map("events_hash").orElseThrow().pinning(), "LIBBPF_PIN_BY_NAME");
        assertEquals("struct event", spec.btf().orElseThrow().describe(
                spec.map("events_hash").orElseThrow().valueTypeId()));
        assertMap(spec, "ring", MapType.RINGBUF, 0, 0, 256 * 1024, 0);
        assertMap(spec, "perf", MapType.PERF_EVENT_ARRAY, 4, 4, 0, 0);
        assertMap(spec, "lru", MapType.LRU_HASH, 8, 8, 64, 2 /* BPF_F_NO_COMMON_LRU */);
        assertMap(spec, "lpm", MapType.LPM_TRIE, 8, 4, 16, 1 /* BPF_F_NO_PREALLOC */);
        assertMap(spec, "percpu", MapType.PERCPU_ARRAY, 4, 8, 4, 0);
        assertMap(spec, "bloom", MapType.BLOOM_FILTER, 0, 4, 100, 0);
        assertEquals(3, spec.map("bloom").orElseThrow().mapExtra());

        MapSpec jump = assertMap(spec, "jump_table", MapType.PROG_ARRAY, 4, 4, 4, 0);
        assertEquals(List.of(new InitialSlot(1, "tail_one"), new InitialSlot(3, "tail_two")), jump.initialSlots());
        assertTrue(jump.innerMap().isEmpty());

        MapSpec outer = assertMap(spec, "outer_hash", MapType.HASH_OF_MAPS, 4, 4, 2, 0);
        assertEquals(List.of(new InitialSlot(0, "inner_a"), new InitialSlot(1, "inner_b")), outer.initialSlots());
        MapSpec inner = outer.innerMap().orElseThrow();
        assertEquals(MapType.ARRAY, inner.type());
        assertEquals(8, inner.maxEntries());
        assertEquals(4, inner.valueSize());

        MapSpec array = assertMap(spec, "outer_array", MapType.ARRAY_OF_MAPS, 4, 4, 3, 0);
        assertTrue(array.initialSlots().isEmpty());
        MapSpec anonymousInner = array.innerMap().orElseThrow();
        assertEquals(MapType.HASH, anonymousInner.type());
        assertEquals(8, anonymousInner.keySize());
        assertEquals(1, anonymousInner.valueSize());
        assertEquals(5, anonymousInner.maxEntries());
        assertMap(spec, "inner_a", MapType.ARRAY, 4, 4, 8, 0);

        List<String> referenced = spec.program("use_maps").orElseThrow().function().relocations().stream()
                .map(r -> ((MapReference) r).mapName()).toList();
        assertEquals(List.of("events_hash", "ring", "perf", "lru", "lpm", "percpu", "bloom", "outer_hash",
                "outer_array", "jump_table"), referenced);
        assertEquals(3, spec.programs().size(), "three programs share section xdp");
        assertTrue(spec.programs().stream().allMatch(p -> p.sectionName().equals("xdp")));
    }

    private static MapSpec assertMap(ObjectSpec spec, String name, MapType type, int key, int value, int max,
            int flags) {
        MapSpec m = spec.map(name).orElseThrow(() -> new AssertionError("no map " + name));
        assertEquals(type, m.type(), name);
        assertEquals(key, m.keySize(), name + " key size");
        assertEquals(value, m.valueSize(), name + " value size");
        assertEquals(max, m.maxEntries(), name + " max entries");
        assertEquals(flags, m.flags(), name + " flags");
        assertEquals(".maps", m.sectionName());
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legacyMaps")
    void readsLegacyMapDefinitions(Fixture f) {
        ObjectSpec spec = read(f);
        assertEquals(0x050a00, spec.kernelVersion());
        MapSpec stats = spec.map("xdp_stats").orElseThrow();
        assertEquals(MapKind.LEGACY, stats.kind());
        assertEquals(MapType.PERCPU_ARRAY, stats.type());
        assertEquals(List.of(4, 8, 5, 0), List.of(stats.keySize(), stats.valueSize(), stats.maxEntries(),
                stats.flags()));
        MapSpec flows = spec.map("flows").orElseThrow();
        assertEquals(List.of(8, 4, 128, 1), List.of(flows.keySize(), flows.valueSize(), flows.maxEntries(),
                flows.flags()));
        MapSpec longDef = spec.map("long_def").orElseThrow();
        assertEquals(MapType.ARRAY, longDef.type());
        assertEquals(2, longDef.maxEntries());
        assertEquals(List.of("xdp_stats", "flows", "long_def"), spec.program("xdp_stats_prog").orElseThrow()
                .function().relocations().stream().filter(r -> r instanceof MapReference)
                .map(r -> ((MapReference) r).mapName()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("globals")
    void readsGlobalDataSubprogramsAndExterns(Fixture f) {
        ObjectSpec spec = read(f);
        Map<String, FunctionSpec> fns = spec.functions();
        assertEquals(Set.of("on_getpid", "first_in_section", "second_in_section", "global_helper", "add_static",
                "loop_cb", "each_cb"), fns.keySet());
        assertEquals(List.of("on_getpid", "first_in_section", "second_in_section"),
                spec.programs().stream().map(ProgramSpec::name).toList());
        assertTrue(fns.get("global_helper").global());
        assertFalse(fns.get("add_static").global());
        assertEquals(".text", fns.get("add_static").sectionName());

        FunctionSpec onGetpid = fns.get("on_getpid");
        assertEquals(Set.of("FunctionPointer:loop_cb", "FunctionPointer:each_cb", "MapReference:values",
                "ExternReference:LINUX_KERNEL_VERSION:KCONFIG", "ExternReference:CONFIG_HZ:KCONFIG",
                "ExternReference:CONFIG_BPF_SYSCALL:KCONFIG", "MapValueReference:.data",
                "MapValueReference:.rodata", "FunctionCall:global_helper", "MapValueReference:.bss",
                "MapValueReference:.data.custom", "MapValueReference:.rodata.tuning"), kinds(onGetpid));
        assertTrue(kinds(fns.get("global_helper")).contains("FunctionCall:add_static"),
                "a pc-relative call inside .text without a relocation is still resolved");
        assertTrue(kinds(fns.get("second_in_section")).containsAll(Set.of("FunctionCall:add_static",
                "ExternReference:bpf_prog_active:KSYM", "MapValueReference:.rodata.str1.1")));

        // Data offsets: a variable symbol plus the immediate, or a section symbol whose offset is the immediate.
        // ld_imm64 yields a variable's start (its symbol); clang folds member offsets into the loads and stores.
        Set<Long> bssOffsets = onGetpid.relocations().stream()
                .filter(r -> r instanceof MapValueReference v && v.mapName().equals(".bss"))
                .map(r -> ((MapValueReference) r).offset()).collect(Collectors.toSet());
        assertEquals(Set.of((long) spec.variable("zeroed").orElseThrow().offset(),
                (long) spec.variable("rich_value").orElseThrow().offset()), bssOffsets);
        long fmtOffset = spec.variable("on_getpid.____fmt").orElseThrow().offset();
        assertTrue(onGetpid.relocations().contains(new MapValueReference(indexOf(onGetpid, ".rodata", fmtOffset),
                ".rodata", fmtOffset)), "bpf_printk's format is reached through the .rodata section symbol");

        // Kconfig layout: 4-byte values first by name, then the 1-byte bool.
        assertEquals(0, spec.variable("CONFIG_HZ").orElseThrow().offset());
        assertEquals(4, spec.variable("LINUX_KERNEL_VERSION").orElseThrow().offset());
        assertEquals(8, spec.variable("CONFIG_BPF_SYSCALL").orElseThrow().offset());
        MapSpec kconfig = spec.map(".kconfig").orElseThrow();
        assertEquals(MapKind.KCONFIG, kconfig.kind());
        assertEquals(9, kconfig.valueSize());
        assertTrue(onGetpid.relocations().contains(new ExternReference(
                externAt(onGetpid, "LINUX_KERNEL_VERSION"), "LINUX_KERNEL_VERSION", ExternKind.KCONFIG, 4)));

        assertDataMap(spec, ".rodata", true);
        assertDataMap(spec, ".data", false);
        assertDataMap(spec, ".bss", false);
        assertDataMap(spec, ".data.custom", false);
        assertDataMap(spec, ".rodata.tuning", true);
        assertDataMap(spec, ".rodata.str1.1", true);
        assertArrayEquals(new byte[104], spec.map(".bss").orElseThrow().contents());
        assertEquals("literal %d", new String(spec.map(".rodata.str1.1").orElseThrow().contents(), 0, 10,
                java.nio.charset.StandardCharsets.US_ASCII));
        byte[] data = spec.map(".data").orElseThrow().contents();
        assertEquals(3, data[f.target().equals(BpfFixtures.BPFEB) ? 7 : 0], "hits = 3 in the object's byte order");

        assertVariable(spec, "max_pid", ".rodata", 4, true, true, "__u32");
        assertVariable(spec, "hits", ".data", 8, false, true, "__u64");
        assertVariable(spec, "static_counter", ".data", 4, false, false, "__u32");
        assertVariable(spec, "zeroed", ".bss", 32, false, true, "__u64[4]");
        assertVariable(spec, "rich_value", ".bss", 72, false, true, "struct rich");
        assertVariable(spec, "custom_b", ".data.custom", 8, false, true, "__u64");
        assertVariable(spec, "tuned", ".rodata.tuning", 2, true, true, "__u16");
        assertEquals(8, spec.variable("custom_b").orElseThrow().offset());
    }

    private static int indexOf(FunctionSpec fn, String map, long offset) {
        return fn.relocations().stream().filter(r -> r instanceof MapValueReference v && v.mapName().equals(map)
                && v.offset() == offset).findFirst().map(Relocation::instructionOffset).orElse(-1);
    }

    private static int externAt(FunctionSpec fn, String name) {
        return fn.relocations().stream().filter(r -> r instanceof ExternReference e && e.symbolName().equals(name))
                .findFirst().map(Relocation::instructionOffset).orElse(-1);
    }

    private static void assertDataMap(ObjectSpec spec, String name, boolean readOnly) {
        MapSpec m = spec.map(name).orElseThrow(() -> new AssertionError("no data map " + name));
        assertEquals(MapKind.GLOBAL_DATA, m.kind());
        assertEquals(MapType.ARRAY, m.type());
        assertEquals(4, m.keySize());
        assertEquals(1, m.maxEntries());
        assertEquals(m.valueSize(), m.contents().length);
        assertEquals(readOnly, m.isReadOnlyData());
        assertEquals(MapSpec.BPF_F_MMAPABLE | (readOnly ? MapSpec.BPF_F_RDONLY_PROG : 0), m.flags());
        if (!name.startsWith(".rodata.str")) {
            BtfType.DataSection ds = (BtfType.DataSection) spec.btf().orElseThrow().type(m.valueTypeId());
            assertEquals(name, ds.name());
            assertEquals(m.valueSize(), ds.size(), "DATASEC size fixed up from the ELF section");
        }
    }

    private static void assertVariable(ObjectSpec spec, String name, String map, int size, boolean readOnly,
            boolean global, String type) {
        VariableSpec v = spec.variable(name).orElseThrow(() -> new AssertionError("no variable " + name));
        assertEquals(map, v.mapName(), name);
        assertEquals(size, v.size(), name);
        assertEquals(readOnly, v.readOnly(), name);
        assertEquals(global, v.global(), name);
        assertEquals(type, spec.btf().orElseThrow().describe(v.typeId()).replace("volatile ", "")
                .replace("const ", ""), name);
    }

    static Set<String> kinds(FunctionSpec fn) {
        Set<String> out = new TreeSet<>();
        for (Relocation r : fn.relocations()) {
            out.add(describe(r));
        }
        return out;
    }

    static String describe(Relocation r) {
        if (r instanceof MapReference m) {
            return "MapReference:" + m.mapName();
        } else if (r instanceof MapValueReference m) {
            return "MapValueReference:" + m.mapName();
        } else if (r instanceof FunctionCall c) {
            return "FunctionCall:" + c.functionName();
        } else if (r instanceof FunctionPointer p) {
            return "FunctionPointer:" + p.functionName();
        } else if (r instanceof ExternReference e) {
            return "ExternReference:" + e.symbolName() + ":" + e.kind();
        }
        throw new AssertionError(r);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("globals")
    void placesVariablesWhereTheSymbolTableSays(Fixture f) {
        ObjectSpec spec = read(f);
        ElfFile elf = ElfFile.parse(f.bytes());
        // Cross-check against llvm-readelf, an independent reader.
        Map<String, long[]> readelf = new TreeMap<>();
        for (String line : BpfFixtures.readelf(f, "-s").split("\n")) {
            String[] c = line.trim().split("\\s+");
            if (c.length == 8 && c[3].equals("OBJECT")) {
                readelf.put(c[7], new long[] {Long.parseLong(c[1], 16), Long.parseLong(c[2])});
            }
        }
        int checked = 0;
        for (VariableSpec v : spec.variables()) {
            if (v.mapName().equals(".kconfig")) {
                continue;
            }
            long[] sym = readelf.get(v.name());
            assertTrue(sym != null, "llvm-readelf lists " + v.name());
            assertEquals(sym[0], v.offset(), v.name() + " offset");
            assertEquals(sym[1], v.size(), v.name() + " size");
            ElfSection section = elf.section(v.mapName()).orElseThrow();
            ElfSymbol own = elf.symbols().stream().filter(s -> s.name().equals(v.name())).findFirst().orElseThrow();
            assertEquals(section.index(), own.sectionIndex());
            checked++;
        }
        assertTrue(checked >= 10, "checked " + checked + " variables");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("globals")
    void fixesUpDataSectionsSoTheKernelCanLoadTheBtf(Fixture f) {
        ObjectSpec spec = read(f);
        ElfFile elf = ElfFile.parse(f.bytes());
        Btf btf = spec.btf().orElseThrow();
        int seen = 0;
        for (BtfType t : btf.types()) {
            if (!(t instanceof BtfType.DataSection ds) || ds.name().equals(".ksyms")) {
                continue;
            }
            seen++;
            List<Integer> offsets = ds.variables().stream().map(BtfType.VarPlacement::offset).toList();
            assertEquals(offsets.stream().sorted().toList(), offsets, ds.name() + " sorted by offset");
            if (ds.name().equals(".kconfig")) {
                assertEquals(9, ds.size());
                assertTrue(ds.variables().stream().allMatch(v -> ((BtfType.Var) btf.type(v.varTypeId())).linkage()
                        == BtfType.Linkage.GLOBAL), "kconfig externs become allocated globals");
                continue;
            }
            ElfSection section = elf.section(ds.name()).orElseThrow();
            assertEquals(section.size(), ds.size(), ds.name());
            for (BtfType.VarPlacement p : ds.variables()) {
                String name = btf.type(p.varTypeId()).name();
                ElfSymbol sym = elf.symbols().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
                assertEquals(sym.value(), p.offset(), name);
            }
        }
        assertTrue(seen >= 7, "DATASECs for .data, .rodata, .bss, .data.custom, .rodata.tuning, .maps, license");
        Btf reparsed = Btf.parse(btf.rawBytes(), spec.byteOrder());
        assertEquals(btf.types(), reparsed.types(), "the fixed BTF encodes and parses back");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFixtures")
    void reencodesClangBtfByteForByte(Fixture f) {
        ElfFile elf = ElfFile.parse(f.bytes());
        byte[] raw = elf.contents(elf.section(".BTF").orElseThrow());
        Btf btf = Btf.parse(raw, elf.byteOrder());
        assertArrayEquals(raw, BtfEncoder.encode(btf));
        ByteOrder other = elf.byteOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        assertEquals(btf.types(), Btf.parse(BtfEncoder.encode(btf, other), other).types());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFixtures")
    void givesEveryFunctionOneFuncInfoAtItsStart(Fixture f) {
        ObjectSpec spec = read(f);
        for (FunctionSpec fn : spec.functions().values()) {
            if (!hasBtfExt(f)) {
                assertTrue(fn.funcInfos().isEmpty());
                continue;
            }
            assertEquals(1, fn.funcInfos().size(), fn.name());
            assertEquals(0, fn.funcInfos().get(0).instructionOffset(), fn.name());
            BtfType func = spec.btf().orElseThrow().type(fn.funcInfos().get(0).typeId());
            assertEquals(fn.name(), func.name());
            assertFalse(fn.lineInfos().isEmpty(), fn.name());
            assertEquals(0, fn.lineInfos().get(0).instructionOffset(), fn.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("core")
    void readsCoreRelocationsKfuncsAndBtfSections(Fixture f) {
        ObjectSpec spec = read(f);
        ProgramSpec exec = spec.program("on_exec").orElseThrow();
        assertEquals(ProgramType.TRACING, exec.type().orElseThrow());
        assertEquals(AttachType.TRACE_RAW_TP, exec.expectedAttachType().orElseThrow());
        assertEquals("sched_process_exec", exec.attachTarget());
        ProgramSpec iter = spec.program("dump_task").orElseThrow();
        assertEquals(AttachType.TRACE_ITER, iter.expectedAttachType().orElseThrow());
        assertEquals("task", iter.attachTarget());
        assertEquals(Set.of("ExternReference:bpf_task_acquire:KSYM", "ExternReference:bpf_task_release:KSYM"),
                kinds(spec.program("on_newtask").orElseThrow().function()));

        if (!hasBtfExt(f)) {
            assertTrue(exec.function().coreRelocations().isEmpty());
            return;
        }
        Btf btf = spec.btf().orElseThrow();
        List<FunctionSpec.CoreRelocation> relos = exec.function().coreRelocations();
        assertTrue(relos.size() >= 3, "pid, real_parent, tgid and comm are read with CO-RE: " + relos);
        for (FunctionSpec.CoreRelocation r : relos) {
            assertTrue(r.accessString().matches("\\d+(:\\d+)*"), r.accessString());
            assertEquals(CoreRelocationKind.FIELD_BYTE_OFFSET, r.kind());
            assertTrue(r.instructionOffset() < exec.function().instructionCount());
        }
        assertTrue(relos.stream().anyMatch(r -> btf.describe(r.typeId()).equals("struct task_struct")));
        assertTrue(spec.program("on_newtask").orElseThrow().function().coreRelocations().stream()
                .anyMatch(r -> r.kind() == CoreRelocationKind.FIELD_EXISTS));
    }

    static Stream<Fixture> execsnoop() {
        return variants("execsnoop");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("execsnoop")
    void readsLibbpfToolsStyleObject(Fixture f) {
        ObjectSpec spec = read(f);
        assertEquals(List.of("tracepoint__syscalls__sys_enter_execve", "tracepoint__syscalls__sys_exit_execve"),
                spec.programs().stream().map(ProgramSpec::name).toList());
        assertEquals("syscalls/sys_exit_execve", spec.programs().get(1).attachTarget());
        MapSpec execs = spec.map("execs").orElseThrow();
        assertEquals(MapType.HASH, execs.type());
        assertEquals(10240, execs.maxEntries());
        Btf btf = spec.btf().orElseThrow();
        assertEquals("struct exec_event", btf.describe(execs.valueTypeId()));
        assertEquals(btf.sizeOf(execs.valueTypeId()), execs.valueSize());
        assertEquals(MapType.PERF_EVENT_ARRAY, spec.map("events").orElseThrow().type());
        assertVariable(spec, "filter_cg", ".rodata", 1, true, true, "bool");
        assertVariable(spec, "targ_uid", ".rodata", 4, true, true, "uid_t");
        assertVariable(spec, "max_args", ".rodata", 4, true, true, "int");
        VariableSpec empty = spec.variable("empty_event").orElseThrow();
        assertFalse(empty.global(), "a static const is listed but not global");
        assertEquals(execs.valueSize(), empty.size());
        byte[] rodata = spec.map(".rodata").orElseThrow().contents();
        int targUid = spec.variable("targ_uid").orElseThrow().offset();
        assertEquals(-1, java.nio.ByteBuffer.wrap(rodata).order(spec.byteOrder()).getInt(targUid));
        FunctionSpec enter = spec.programs().get(0).function();
        assertTrue(kinds(enter).containsAll(Set.of("MapReference:execs", "MapValueReference:.rodata")));
        if (hasBtfExt(f)) {
            assertTrue(enter.coreRelocations().stream().anyMatch(r -> btf.describe(r.typeId())
                    .equals("struct task_struct")), "BPF_CORE_READ(task, real_parent, tgid)");
        }
    }

    private static final String[] REMOVE_BTF = {"--remove-section", ".BTF", "--remove-section", ".rel.BTF",
        "--remove-section", ".BTF.ext", "--remove-section", ".rel.BTF.ext"};

    @Test
    void readsLegacyObjectWithoutAnyBtf() {
        Fixture f = BpfFixtures.objcopy(BpfFixtures.compile("legacy_maps"), "no-btf", REMOVE_BTF);
        ObjectSpec spec = read(f);
        assertTrue(spec.btf().isEmpty());
        assertEquals(MapType.PERCPU_ARRAY, spec.map("xdp_stats").orElseThrow().type());
        assertEquals(List.of("MapReference:flows", "MapReference:long_def", "MapReference:xdp_stats",
                "MapValueReference:.data", "MapValueReference:.rodata"),
                List.copyOf(kinds(spec.program("xdp_stats_prog").orElseThrow().function())));
        Fixture g = BpfFixtures.objcopy(BpfFixtures.compile("globals"), "no-btf-maps-removed", "--remove-section",
                ".BTF", "--remove-section", ".rel.BTF", "--remove-section", ".BTF.ext", "--remove-section",
                ".rel.BTF.ext");
        io.github.bpf2java.ebpf.error.ObjectFormatException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.github.bpf2java.ebpf.error.ObjectFormatException.class, () -> read(g));
        assertTrue(e.getMessage().contains(".maps") && e.getMessage().contains("-g"), e.getMessage());
    }

    @Test
    void listsVariablesFromSymbolsWhenBtfIsMissing() {
        Fixture f = BpfFixtures.objcopy(BpfFixtures.compile("legacy_maps"), "no-btf", REMOVE_BTF);
        ObjectSpec spec = read(f);
        VariableSpec packets = spec.variable("packets_seen").orElseThrow();
        assertEquals(new VariableSpec("packets_seen", ".data", 0, 8, 0, false, true), packets);
        assertEquals(new VariableSpec("sample_rate", ".rodata", 0, 4, 0, true, true),
                spec.variable("sample_rate").orElseThrow());
        assertEquals(0, spec.map(".data").orElseThrow().valueTypeId(), "no DATASEC without BTF");
        assertEquals("GPL", spec.license());
    }

    @Test
    void neutralisesDataSectionWhoseElfSectionIsGone() {
        Fixture stripped = BpfFixtures.compile("counter", BpfFixtures.availableCompilers().get(0),
                BpfFixtures.BPFEL, true);
        Fixture noRel = BpfFixtures.objcopy(stripped, "no-btf-rel", "--remove-section", ".rel.BTF",
                "--remove-section", ".rel.BTF.ext");
        Fixture noLicense = BpfFixtures.objcopy(noRel, "no-license", "--remove-section", "license");
        Btf original = read(noRel).btf().orElseThrow();
        int id = original.find("license", BtfType.DataSection.class).orElseThrow().id();
        ObjectSpec spec = read(noLicense);
        assertEquals("", spec.license());
        Btf btf = spec.btf().orElseThrow();
        assertEquals(new BtfType.Struct(id, "", 0, List.of()), btf.type(id),
                "the kernel rejects a DATASEC of size 0, so it becomes an empty anonymous struct");
        assertTrue(btf.find("license", BtfType.DataSection.class).isEmpty());
        assertEquals(btf.types(), Btf.parse(btf.rawBytes(), spec.byteOrder()).types());
    }

    @Test
    void describesTheRichStructLikeC() {
        ObjectSpec spec = read(BpfFixtures.compile("globals"));
        Btf btf = spec.btf().orElseThrow();
        BtfType.Struct rich = btf.find("rich", BtfType.Struct.class).orElseThrow();
        Map<String, BtfType.Member> m = rich.members().stream()
                .collect(Collectors.toMap(BtfType.Member::name, x -> x));
        assertEquals("__u32[4]", btf.describe(m.get("counts").typeId()));
        assertEquals("struct inner", btf.describe(m.get("nested").typeId()));
        assertEquals("union number", btf.describe(m.get("num").typeId()));
        assertEquals("enum color", btf.describe(m.get("color").typeId()));
        assertEquals("char[8][2]", btf.describe(m.get("name").typeId()));
        assertEquals("void *", btf.describe(m.get("ptr").typeId()));
        assertEquals(1, m.get("flag").bitfieldSize());
        assertEquals(3, m.get("level").bitfieldSize());
        assertEquals(28, m.get("rest").bitfieldSize());
        assertEquals(m.get("flag").bitOffset() + 1, m.get("level").bitOffset());
        assertEquals(128, m.get("nested").bitOffset(), "nested starts after 16 bytes of counts");
        BtfType.Struct inner = btf.find("inner", BtfType.Struct.class).orElseThrow();
        assertEquals(64, inner.members().get(1).bitOffset(), "7 bytes of padding after tag");
        assertEquals(16, inner.size());
        assertEquals(72, btf.sizeOf(rich.id()));
        BtfType.Enum color = btf.find("color", BtfType.Enum.class).orElseThrow();
        assertEquals(List.of("RED", "GREEN", "BLUE"), color.values().stream().map(BtfType.EnumValue::name).toList());
        assertEquals(5, color.values().get(1).value());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allFixtures")
    void readsTheSameObjectFromEveryCompilerAndByteOrder(Fixture f) {
        Fixture reference = BpfFixtures.compile(f.name().split(" ")[0], BpfFixtures.availableCompilers().get(0),
                BpfFixtures.BPFEL, false);
        assertEquals(summary(read(reference), false), summary(read(f), false));
        Fixture sameCompiler = BpfFixtures.compile(f.name().split(" ")[0], f.compiler(), BpfFixtures.BPFEL, false);
        assertEquals(summary(read(sameCompiler), true), summary(read(f), true),
                "with one compiler, only the byte order differs");
    }

    /** What the object means, independent of byte order and (unless {@code exact}) of code generation. */
    private static List<String> summary(ObjectSpec spec, boolean exact) {
        List<String> out = new ArrayList<>();
        spec.programs().forEach(p -> out.add("program " + p.name() + " " + p.sectionName() + " " + p.type() + " "
                + p.expectedAttachType() + " " + p.attachTarget()));
        new TreeMap<>(spec.functions()).forEach((n, fn) -> out.add("function " + n + " " + fn.sectionName() + " "
                + fn.global() + " " + (exact ? fn.relocations() + " " + fn.instructionCount()
                        : kinds(fn).toString())));
        spec.maps().forEach(m -> out.add("map " + m.name() + " " + m.kind() + " " + m.type() + " " + m.keySize()
                + " " + m.valueSize() + " " + m.maxEntries() + " " + m.flags() + " " + m.mapExtra() + " "
                + m.pinning() + " " + m.initialSlots() + " " + m.innerMap().map(i -> i.type() + "/" + i.keySize()
                        + "/" + i.valueSize() + "/" + i.maxEntries()).orElse("-")));
        spec.variables().forEach(v -> out.add("variable " + v.name() + " " + v.mapName() + " " + v.offset() + " "
                + v.size() + " " + v.readOnly() + " " + v.global()));
        out.add("license " + spec.license() + " version " + spec.kernelVersion());
        return out;
    }
}

package io.github.bpf2java.ebpf.linker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import io.github.bpf2java.ebpf.internal.elf.ElfSymbol;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.Verdicts;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StaticLinker} on two C files that share a map and call each other's functions ({@code link_main.c},
 * {@code link_helper.c}): the linked object loads and runs, and it has what {@code bpftool gen object} makes of the
 * same inputs.
 */
class StaticLinkerTest {
    private static final String HOST_TARGET =
            ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BpfFixtures.BPFEL : BpfFixtures.BPFEB;

    private static List<BpfFixtures.Fixture> inputs(String target) {
        String compiler = BpfFixtures.installedCompilers().get(0);
        return List.of(BpfFixtures.compile("link_main", compiler, target, false),
                BpfFixtures.compile("link_helper", compiler, target, false));
    }

    private static byte[] link(List<BpfFixtures.Fixture> fixtures) {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        fixtures.forEach(f -> objects.put(f.name(), f.bytes()));
        return StaticLinker.link(objects);
    }

    @Test
    void linkedObjectLoadsAndTheProgramReachesTheOtherFilesFunctionsMapAndGlobals() {
        KernelSupport.assumeBpf();
        byte[] linked = link(inputs(HOST_TARGET));
        try (BpfObject object = BpfObject.load(ObjectSpec.read("linked", linked))) {
            BpfProgram program = object.program("count_packets");
            byte[] frame = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53)
                    .payload(new byte[100]).build();
            for (int run = 1; run <= 3; run++) {
                assertEquals(Verdicts.XDP_PASS, program.testRun(TestRun.ofData(frame)).returnValue());
            }
            BpfMap totals = object.map("totals");
            // Each run: slot 0 gets scale(len) + bias + helper's ++local_hits, where scale() (link_main.c) calls
            // the strong multiplier() of link_helper.c (2), not the __weak one of link_main.c (1); slot 1 gets
            // scale(main's ++local_hits) + bias + helper's ++local_hits. The two static local_hits stay apart.
            long len = frame.length;
            long slot0 = 0;
            long slot1 = 0;
            long mainHits = 0;
            long helperHits = 0;
            for (int run = 1; run <= 3; run++) {
                slot0 += 2 * len + 1000 + ++helperHits;
                long bytes = ++mainHits;
                slot1 += 2 * bytes + 1000 + ++helperHits;
            }
            assertEquals(slot0, value(totals, 0));
            assertEquals(slot1, value(totals, 1));
            assertEquals(3, longOf(object.variable("main_runs").get()));
            assertEquals(6, longOf(object.variable("helper_calls").get()));
        }
    }

    @Test
    void sameSectionsSymbolsAndBtfTypesAsBpftoolGenObject(@TempDir Path dir) throws Exception {
        KernelSupport.assume(BpfFixtures.onPath("bpftool"), "bpftool is not installed; it is the reference linker");
        // libbpf links objects of the host's byte order only; the other order is checked against ours below.
        for (String target : List.of(HOST_TARGET)) {
            List<BpfFixtures.Fixture> fixtures = inputs(target);
            Path ours = dir.resolve("ours-" + target + ".o");
            StaticLinker.link(fixtures.stream().map(BpfFixtures.Fixture::path).toList(), ours);
            Path reference = dir.resolve("bpftool-" + target + ".o");
            List<String> command = new ArrayList<>(List.of("bpftool", "gen", "object", reference.toString()));
            fixtures.forEach(f -> command.add(f.path().toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "bpftool gen object: " + output);

            ElfFile mine = ElfFile.parse("ours", Files.readAllBytes(ours));
            ElfFile theirs = ElfFile.parse("bpftool", Files.readAllBytes(reference));
            assertEquals(sections(theirs), sections(mine), target + ": sections (name=size)");
            assertEquals(symbols(theirs), symbols(mine), target + ": symbols (name, section, binding, type)");
            assertEquals(btfTypes(theirs), btfTypes(mine), target + ": BTF types (kind name, count)");
            assertEquals(dataSections(theirs), dataSections(mine), target + ": DATASEC variables and offsets");
            assertEquals(extSizes(theirs), extSizes(mine), target + ": .BTF.ext size");
        }
    }

    /** Every fixture of the runtime's tests, linked alone: all the section, relocation and BTF kinds they use. */
    static List<String> fixtures() throws IOException {
        try (var files = Files.list(BpfFixtures.sourceDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2)).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void eachFixtureLinkedAloneMatchesBpftool(String name, @TempDir Path dir) throws Exception {
        KernelSupport.assume(BpfFixtures.onPath("bpftool"), "bpftool is not installed; it is the reference linker");
        BpfFixtures.Fixture fixture = BpfFixtures.compile(name, BpfFixtures.installedCompilers().get(0), HOST_TARGET,
                false);
        Path reference = dir.resolve("bpftool.o");
        Process p = new ProcessBuilder("bpftool", "gen", "object", reference.toString(), fixture.path().toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bpftool gen object timed out");
        assertEquals(0, p.exitValue(), "bpftool gen object: " + output);
        ElfFile theirs = ElfFile.parse("bpftool", Files.readAllBytes(reference));
        ElfFile mine = ElfFile.parse("ours", link(List.of(fixture)));
        assertEquals(sections(theirs), sections(mine), name + ": sections (name=size)");
        assertEquals(symbols(theirs), symbols(mine), name + ": symbols");
        assertEquals(btfTypes(theirs), btfTypes(mine), name + ": BTF types");
        assertEquals(dataSections(theirs), dataSections(mine), name + ": DATASECs");
        assertEquals(extSizes(theirs), extSizes(mine), name + ": .BTF.ext size");

        if (BpfFixtures.isLinkInput(name)) {
            return; // half of a program: its externs are for the linker, the loader refuses them
        }
        // The loader reads the linked object as it reads clang's.
        ObjectSpec original = ObjectSpec.read(name, fixture.bytes());
        ObjectSpec linked = ObjectSpec.read(name, link(List.of(fixture)));
        assertEquals(describe(original), describe(linked), name + ": programs, maps and variables");
    }

    private static List<String> describe(ObjectSpec spec) {
        List<String> out = new ArrayList<>();
        spec.programs().forEach(p -> out.add("program " + p.name() + " " + p.sectionName() + " " + p.type() + " "
                + p.function().instructions().length));
        spec.maps().forEach(m -> out.add("map " + m.name() + " " + m.type() + " " + m.keySize() + "/" + m.valueSize()
                + "/" + m.maxEntries() + " " + m.innerMap().map(i -> i.type().toString()).orElse("")));
        spec.variables().forEach(v -> out.add("variable " + v.name() + " " + v.mapName() + "@" + v.offset() + "/" + v.size()));
        out.sort(String::compareTo);
        return out;
    }

    /**
     * {@code maps.c} linked with each other fixture: two files' programs, maps (map-in-map relocations in
     * {@code .maps}), data, the license both define (kept once, as libbpf does), BTF with shared types and
     * {@code .BTF.ext} in one object. Pairs bpftool refuses (different licenses, clashing names) are skipped.
     */
    static List<String> partners() throws IOException {
        return fixtures().stream().filter(n -> !n.equals("maps") && !BpfFixtures.isLinkInput(n)).toList();
    }

    @ParameterizedTest
    @MethodSource("partners")
    void mapsLinkedWithEachFixtureMatchesBpftool(String name, @TempDir Path dir) throws Exception {
        KernelSupport.assume(BpfFixtures.onPath("bpftool"), "bpftool is not installed; it is the reference linker");
        String compiler = BpfFixtures.installedCompilers().get(0);
        List<BpfFixtures.Fixture> pair = List.of(BpfFixtures.compile("maps", compiler, HOST_TARGET, false),
                BpfFixtures.compile(name, compiler, HOST_TARGET, false));
        Path reference = dir.resolve("bpftool.o");
        Process p = new ProcessBuilder("bpftool", "gen", "object", reference.toString(), pair.get(0).path().toString(),
                pair.get(1).path().toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bpftool gen object timed out");
        if (output.contains("non-identical contents of section 'license'")) {
            // Both linkers refuse two files with different licenses.
            ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> link(pair));
            assertTrue(e.getMessage().contains("Section license of " + name + " (\"") && e.getMessage().contains(
                    "\") differs from an earlier input's (\"GPL\\0\")"), e.getMessage());
            return;
        }
        assertEquals(0, p.exitValue(), "bpftool gen object: " + output);
        ElfFile theirs = ElfFile.parse("bpftool", Files.readAllBytes(reference));
        ElfFile mine = ElfFile.parse("ours", link(pair));
        assertEquals(sections(theirs), sections(mine), name + ": sections (name=size)");
        assertEquals(symbols(theirs), symbols(mine), name + ": symbols");
        assertEquals(btfTypes(theirs), btfTypes(mine), name + ": BTF types");
        assertEquals(dataSections(theirs), dataSections(mine), name + ": DATASECs");
        assertEquals(extSizes(theirs), extSizes(mine), name + ": .BTF.ext size");
        assertEquals(describe(ObjectSpec.read(name, Files.readAllBytes(reference))),
                describe(ObjectSpec.read(name, link(pair))), name + ": programs, maps and variables");
    }

    /**
     * The kernel's verdict on the linked pair is the originals': when {@code maps.c} and the partner each load on
     * their own, the object linked from both loads too, so its func_info, line_info and CO-RE relocations were
     * moved correctly (the kernel checks them against the instructions).
     */
    @ParameterizedTest
    @MethodSource("partners")
    void aLinkedPairLoadsWhereverItsPartsLoad(String name) throws IOException {
        KernelSupport.assumeBpf();
        String compiler = BpfFixtures.installedCompilers().get(0);
        List<BpfFixtures.Fixture> pair = List.of(BpfFixtures.compile("maps", compiler, HOST_TARGET, false),
                BpfFixtures.compile(name, compiler, HOST_TARGET, false));
        int programs = 0;
        for (BpfFixtures.Fixture part : pair) {
            // maps.c pins a map by name: every load pins under a directory of the test's own, removed after.
            try (PinRoot pins = PinRoot.create("linker");
                    BpfObject object = load(ObjectSpec.read(part.name(), part.bytes()), pins)) {
                programs += object.programs().size();
            } catch (RuntimeException e) {
                return; // a part this kernel refuses on its own (EPERM for trampolines, ...): nothing to compare
            }
        }
        byte[] linked;
        try {
            linked = link(pair);
        } catch (ObjectFormatException e) {
            assertTrue(e.getMessage().contains("Section license of " + name), e.getMessage());
            return; // different licenses, refused as bpftool does
        }
        try (PinRoot pins = PinRoot.create("linker");
                BpfObject object = load(ObjectSpec.read("maps+" + name, linked), pins)) {
            assertEquals(programs, object.programs().size(), "the programs the parts load on their own");
        }
    }

    private static BpfObject load(ObjectSpec spec, PinRoot pins) {
        return BpfObject.load(spec, LoadOptions.builder().pinRoot(pins.path()).build());
    }

    @Test
    void bothByteOrdersLinkToTheSameLayout() {
        ElfFile little = ElfFile.parse("bpfel", link(inputs(BpfFixtures.BPFEL)));
        ElfFile big = ElfFile.parse("bpfeb", link(inputs(BpfFixtures.BPFEB)));
        assertEquals(ByteOrder.BIG_ENDIAN, big.byteOrder());
        assertEquals(sections(little), sections(big));
        assertEquals(symbols(little), symbols(big));
        assertEquals(btfTypes(little), btfTypes(big));
        assertEquals(dataSections(little), dataSections(big));
        ObjectSpec spec = ObjectSpec.read("bpfeb", link(inputs(BpfFixtures.BPFEB)));
        assertTrue(spec.program("count_packets").isPresent(), spec.toString());
    }

    @Test
    void corruptInputsFailWithObjectFormatExceptionsOnly() {
        List<BpfFixtures.Fixture> fixtures = inputs(HOST_TARGET);
        byte[] main = fixtures.get(0).bytes();
        byte[] helper = fixtures.get(1).bytes();
        java.util.Random random = new java.util.Random(12);
        for (int round = 0; round < 2000; round++) {
            byte[] mutated = helper.clone();
            for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
            }
            Map<String, byte[]> objects = new LinkedHashMap<>();
            objects.put("main.o", main);
            objects.put("mutated.o", mutated);
            try {
                StaticLinker.link(objects);
            } catch (ObjectFormatException expected) {
                // a clear error is all a corrupt input may give
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round + ": " + e, e);
            }
        }
    }

    @Test
    void theSameInputsGiveTheSameBytes() {
        List<BpfFixtures.Fixture> fixtures = inputs(HOST_TARGET);
        assertArrayEquals(link(fixtures), link(fixtures));
    }

    @Test
    void twoStrongDefinitionsOfOneSymbolAreRefused() {
        BpfFixtures.Fixture main = inputs(HOST_TARGET).get(0);
        Map<String, byte[]> twice = new LinkedHashMap<>();
        twice.put("first.o", main.bytes());
        twice.put("second.o", main.bytes());
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> StaticLinker.link(twice));
        assertTrue(e.getMessage().contains("defined in both first.o and second.o"), e.getMessage());
        assertTrue(e.hint().orElse("").contains("static"), e.hint().toString());
    }

    private static long value(BpfMap map, int key) {
        byte[] k = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(key).array();
        return longOf(map.lookup(k).orElseThrow());
    }

    private static long longOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong();
    }

    private static Map<String, Long> sections(ElfFile elf) {
        Map<String, Long> out = new TreeMap<>();
        for (ElfSection s : elf.sections()) {
            if (s.index() != 0 && s.type() != ElfSection.SHT_STRTAB && s.type() != ElfSection.SHT_SYMTAB
                    && !s.name().startsWith(".BTF")) {
                out.put(s.name(), s.size());
            }
        }
        return out;
    }

    private static List<String> symbols(ElfFile elf) {
        List<String> out = new ArrayList<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.index() == 0 || s.type() == ElfSymbol.Type.FILE) {
                continue;
            }
            String section = s.isInSection() ? elf.section(s.sectionIndex()).name() : "UND";
            out.add((s.name().isEmpty() ? "[section]" : s.name()) + " " + section + " " + s.binding() + " "
                    + s.type() + " " + (s.type() == ElfSymbol.Type.SECTION ? "" : s.value() + "+" + s.size()));
        }
        out.sort(String::compareTo);
        return out;
    }

    private static Btf btf(ElfFile elf) {
        return Btf.parse(elf.contents(elf.section(".BTF").orElseThrow()), elf.byteOrder());
    }

    /**
     * How many types of each kind and name the linked BTF holds, prototypes no type refers to left out: when an
     * {@code extern} function is resolved to a later definition, libbpf keeps the extern's prototype (only giving
     * it the definition's parameter names), and ours drops it. Where clang wrote both prototypes with the same
     * parameter types (clang 14 and later), deduplication merges them and the two linkers agree; clang 13 writes the
     * extern's parameters without their typedefs ({@code unsigned int} for {@code __u32}), and libbpf's output then
     * keeps a prototype nothing uses.
     */
    private static Map<String, Integer> btfTypes(ElfFile elf) {
        List<BtfType> types = btf(elf).types();
        Set<Integer> referenced = new HashSet<>();
        for (BtfType t : types) {
            if (t instanceof BtfType.Func f) {
                referenced.add(f.protoId());
            } else if (t instanceof BtfType.Pointer p) {
                referenced.add(p.targetId());
            } else if (t instanceof BtfType.Typedef d) {
                referenced.add(d.targetId());
            } else if (t instanceof BtfType.Qualifier q) {
                referenced.add(q.targetId());
            } else if (t instanceof BtfType.DeclTag d) {
                referenced.add(d.targetId());
            }
        }
        Map<String, Integer> out = new TreeMap<>();
        for (BtfType t : types) {
            if (!(t instanceof BtfType.FuncProto) || referenced.contains(t.id())) {
                out.merge(t.getClass().getSimpleName() + " " + t.name(), 1, Integer::sum);
            }
        }
        return out;
    }

    private static Map<String, String> dataSections(ElfFile elf) {
        Btf btf = btf(elf);
        Map<String, String> out = new TreeMap<>();
        for (BtfType t : btf.types()) {
            if (t instanceof BtfType.DataSection d) {
                StringBuilder vars = new StringBuilder("size " + d.size() + ":");
                d.variables().forEach(v -> vars.append(' ').append(btf.type(v.varTypeId()).name()).append('@')
                        .append(v.offset()).append('/').append(v.size()));
                out.put(d.name(), vars.toString());
            }
        }
        return out;
    }

    private static long extSizes(ElfFile elf) {
        return elf.section(".BTF.ext").map(ElfSection::size).orElse(0L);
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Loading, relocating and attaching real objects, compiled by every installed clang, on the running kernel. */
class BpfObjectTest {
    /** A process id no process has: the kernel's pid_max is at most 2^22. */
    private static final int NO_SUCH_PID = 0x7ffffff0;
    private static final int SELF = (int) ProcessHandle.current().pid();

    @TempDir
    Path scratch;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    static List<String> compilers() {
        return BpfFixtures.installedCompilers();
    }

    private static ObjectSpec fixture(String name, String compiler) {
        return BpfFixtures.hostSpec(name, compiler);
    }


    @ParameterizedTest
    @MethodSource("compilers")
    @AlsoInGuestKernel
    void countsEveryExecOfTrue(String compiler) throws Exception {
        try (BpfObject counter = BpfObject.load(fixture("counter", compiler))) {
            assertEquals(1, counter.attachAll().links().size());
            BpfMap counts = counter.map("counting_map");
            long before = counts.lookup(new byte[4]).map(BpfObjectTest::u64).orElse(0L);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
            }
            long after = u64(counts.lookup(new byte[4]).orElseThrow());
            // Other processes on the machine may exec too; ours are certainly among them.
            assertTrue(after - before >= 3, "execs counted: " + (after - before));
        }
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void subprogramsCallbacksGlobalDataKconfigAndCoreWorkInOneProgram(String compiler) throws Exception {
        ObjectSpec spec = fixture("loader", compiler);
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder()
                .constant("target_tgid", u32(SELF)).build())) {
            object.program("count_openat").attach();
            readSomeFiles(5);

            assertTrue(object.variable("opens").getLong() >= 5, "opens of this process counted");
            long calls = object.variable("calls").getLong();
            assertEquals(100 + object.variable("opens").getLong(), calls,
                    "the global subprogram, through the static one, added 1 per call to .data.stats' initial 100");
            ByteBuffer seen = ByteBuffer.wrap(object.variable("seen").get()).order(ByteOrder.nativeOrder());
            assertEquals(SELF, seen.getInt(0), "CO-RE read of task_struct.tgid");
            assertEquals(SELF, seen.getInt(4), "bpf_get_current_pid_tgid");
            assertEquals(0 + 1 + 2 + 3 + 4, seen.getLong(8), "the bpf_loop callback summed its indexes");
            assertEquals(KernelVersion.running().code(), seen.getInt(16), "LINUX_KERNEL_VERSION");
            assertEquals(configHz(), seen.getInt(20), "CONFIG_HZ");
            assertEquals(SELF, u32(object.variable("target_tgid").get()));
        }
    }

    @Test
    void aRodataConstantChangesWhatTheProgramDoes() throws Exception {
        ObjectSpec spec = fixture("loader", compilers().get(0));
        try (BpfObject elsewhere = BpfObject.load(spec, LoadOptions.builder().constant("target_tgid",
                u32(NO_SUCH_PID)).programs(Set.of("count_openat")).build())) {
            elsewhere.attachAll();
            readSomeFiles(5);
            assertEquals(0, elsewhere.variable("opens").getLong(), "nothing counted for a pid nobody has");
            IllegalStateException frozen = assertThrows(IllegalStateException.class,
                    () -> elsewhere.variable("target_tgid").set(u32(SELF)));
            assertTrue(frozen.getMessage().contains("LoadOptions"), frozen.getMessage());
        }
    }

    @Test
    void aConstantOfTheWrongSizeIsRefusedNamingItsCType() {
        ObjectSpec spec = fixture("loader", compilers().get(0));
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.load(spec, LoadOptions.builder()
                .constant("target_tgid", new byte[8]).build()).close());
        assertTrue(e.getMessage().contains("global variable 'target_tgid' of loader (") && e.getMessage()
                .contains(") has 4 bytes, but 8 were given"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("constant(name, codec, value)"), e.getMessage());

        // The codec overload encodes the C type's value, for objects without a generated class.
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder()
                .constant("target_tgid", Codecs.U32, SELF).programs(Set.of("count_openat")).build())) {
            assertEquals(SELF, u32(object.variable("target_tgid").get()));
        }
    }

    @Test
    void aGplOnlyHelperInAnObjectWithoutAGplLicenseSaysWhatToDeclare() {
        VerifierException e = assertThrows(VerifierException.class,
                () -> BpfObject.load(fixture("proprietary", compilers().get(0))).close());
        assertTrue(e.getMessage().contains("cannot call GPL-restricted function"), e.getMessage());
        assertTrue(e.hint().orElseThrow().startsWith("the object has no GPL-compatible license: declare char "
                + "LICENSE[] SEC(\"license\") = \"GPL\";"), e.getMessage());
    }

    @Test
    void anObjectOfTheOtherByteOrderIsRefusedBeforeTheKernelSeesIt() throws Exception {
        String other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BpfFixtures.BPFEB : BpfFixtures.BPFEL;
        Path object = BpfFixtures.compile("loader", compilers().get(0), other, false).path();
        ObjectSpec spec = ObjectSpec.read("loader", Files.readAllBytes(object));
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.load(spec).close());
        String host = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian";
        assertTrue(e.getMessage().startsWith("loader is a " + (host.startsWith("little") ? "big" : "little")
                + "-endian object, and this machine is " + host), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("-target bpf"), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void rawAndBtfTracepointsAttachBySection(String compiler) throws Exception {
        try (BpfObject object = BpfObject.load(fixture("loader", compiler), LoadOptions.builder()
                .constant("target_tgid", u32(SELF)).programs(Set.of("raw_enter", "btf_enter")).build())) {
            List<BpfLink> links = object.attachAll().links();
            assertEquals(List.of("raw tracepoint sys_enter", "btf tracepoint sys_enter"),
                    links.stream().map(BpfLink::description).toList());
            readSomeFiles(3);
            assertTrue(object.variable("raw_hits").getLong() >= 3);
            assertTrue(object.variable("btf_hits").getLong() >= 3);

            links.forEach(BpfLink::close);
            long raw = object.variable("raw_hits").getLong();
            readSomeFiles(3);
            assertEquals(raw, object.variable("raw_hits").getLong(), "a closed link no longer runs the program");
        }
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void verifierRejectionCarriesTheVerifiersWordsAndTheSourceLine(String compiler) {
        VerifierException e = assertThrows(VerifierException.class,
                () -> BpfObject.load(fixture("rejected", compiler)).close());
        assertTrue(e.getMessage().contains("unchecked_lookup"), e.getMessage());
        assertTrue(e.log().contains("map_value_or_null"), e.log());
        assertTrue(e.log().contains("return *value > 1"), "line info shows the source line:\n" + e.log());
        assertTrue(e.sourceLine().orElseThrow().matches("rejected\\.c:\\d+: .*return \\*value > 1.*"),
                e.sourceLine().toString());
        assertTrue(e.getMessage().contains("\n  at rejected.c:"), "the message names the C line:\n" + e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void objectFillsItsProgArrayAndTailCallsThroughIt(String compiler) {
        ObjectSpec spec = fixture("tail_calls", compiler);
        try (BpfObject object = BpfObject.load(spec)) {
            assertEquals(1, run(object.program("dispatch")), "slot 0 holds to_drop: XDP_DROP");
            AttachReport attached = object.attachAll();
            List<String> report = attached.unattached().stream().map(AttachReport.Unattached::message).toList();
            // The tail-call target runs without attaching: only dispatch keeps the report from being complete.
            assertTrue(attached.unattached().stream().filter(u -> !u.needsAttaching())
                    .allMatch(u -> u.program().name().equals("to_drop") || u.program().name().equals("to_tx")),
                    report.toString());
            BpfException incomplete = assertThrows(BpfException.class, attached::requireComplete);
            assertTrue(incomplete.getMessage().contains("1 program was not attached: xdp program 'dispatch'"),
                    incomplete.getMessage());
            assertTrue(report.contains("xdp program 'to_drop' (section 'xdp') is a tail-call target (slot 0 of "
                    + "program array 'jumps'): it runs when a program jumps to it, and needs no attaching"),
                    report.toString());
            assertTrue(report.stream().anyMatch(m -> m.startsWith("xdp program 'dispatch' (section 'xdp') needs a "
                    + "network interface")), report.toString());
        }
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().constant("slot", u32(1)).build())) {
            assertEquals(3, run(object.program("dispatch")), "slot 1 holds to_tx: XDP_TX");
        }
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder()
                .programs(Set.of("dispatch")).build())) {
            assertEquals(0, run(object.program("dispatch")), "targets not loaded: the tail call falls through");
            BpfException notLoaded = assertThrows(BpfException.class, () -> object.program("to_drop"));
            assertTrue(notLoaded.getMessage().contains("was not loaded"), notLoaded.getMessage());
        }
    }

    @Test
    void everyMapKindOfTheFixtureIsCreatedAndUsable() throws Exception {
        try (PinRoot pins = PinRoot.create("maps");
                BpfObject object = BpfObject.load(fixture("maps", compilers().get(0)),
                        LoadOptions.builder().pinRoot(pins.path()).build())) {
            assertEquals(Optional.of(pins.path().resolve("events_hash")),
                    object.map("events_hash").pinPath(), "the fixture pins events_hash by name");
            assertEquals(Set.of("events_hash", "ring", "perf", "lru", "lpm", "percpu", "bloom", "jump_table",
                    "inner_a", "inner_b", "outer_hash", "outer_array"),
                    Set.copyOf(object.maps().stream().map(BpfMap::name).toList()));
            BpfMap perf = object.map("perf");
            assertTrue(Runtime.getRuntime().availableProcessors() <= perf.maxEntries(),
                    "a perf event array without max_entries gets one slot per possible CPU");

            BpfMap hash = object.map("events_hash");
            byte[] event = new byte[hash.valueSize()];
            event[0] = 42;
            hash.put(u32(7), event);
            hash.update(u32(8), event, BpfMap.UpdateFlag.NO_EXIST);
            assertThrows(BusyException.class, () -> hash.update(u32(8), event, BpfMap.UpdateFlag.NO_EXIST));
            assertEquals(42, hash.lookup(u32(7)).orElseThrow()[0]);
            assertEquals(Set.of(7, 8), Set.copyOf(hash.keys().stream().map(BpfObjectTest::u32).toList()));
            assertEquals(List.of(42, 42), hash.entries().stream().map(e -> (int) e.getValue()[0]).toList());
            assertTrue(hash.delete(u32(7)));
            assertFalse(hash.delete(u32(7)));
            assertTrue(hash.lookup(u32(7)).isEmpty());

            BpfMap percpu = object.map("percpu");
            List<byte[]> perCpu = percpu.lookupPerCpu(u32(1)).orElseThrow();
            assertTrue(perCpu.size() >= Runtime.getRuntime().availableProcessors());
            byte[][] values = new byte[perCpu.size()][];
            for (int cpu = 0; cpu < values.length; cpu++) {
                values[cpu] = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, cpu * 10L).array();
            }
            percpu.updatePerCpu(u32(1), List.of(values), BpfMap.UpdateFlag.ANY);
            List<byte[]> read = percpu.lookupPerCpu(u32(1)).orElseThrow();
            for (int cpu = 0; cpu < read.size(); cpu++) {
                assertEquals(cpu * 10L, u64(read.get(cpu)));
            }
            assertThrows(IllegalStateException.class, () -> percpu.lookup(u32(1)));

            BpfMap jumps = object.map("jump_table");
            assertTrue(jumps.lookup(u32(1)).isPresent(), "slot 1 filled from the object's initializer");
            assertTrue(jumps.lookup(u32(0)).isEmpty());
            BpfMap outer = object.map("outer_hash");
            assertEquals(2, outer.keys().size(), "both inner maps placed by the initializer");
        }
    }

    @Test
    void mapSizeFlagsAndExtraCanBeOverriddenBeforeLoad() throws Exception {
        try (PinRoot pins = PinRoot.create("maps");
                BpfObject object = BpfObject.load(fixture("maps", compilers().get(0)), LoadOptions.builder()
                        .maxEntries("lru", 128).mapFlags("lru", 0).mapExtra("bloom", 5).programs(Set.of())
                        .pinRoot(pins.path()).build())) {
            var lru = object.map("lru").handle().info();
            assertEquals(128, lru.maxEntries());
            assertEquals(0, lru.flags(), "BPF_F_NO_COMMON_LRU of the object replaced");
            assertEquals(5, object.map("bloom").handle().info().mapExtra());
            assertTrue(object.programs().isEmpty(), "no program selected, every map created");
        }
    }

    @Test
    void aSectionTheTableDoesNotKnowNeedsAProgramType() {
        ObjectSpec spec = fixture("sections", compilers().get(0));
        BpfException unknown = assertThrows(BpfException.class, () -> BpfObject.load(spec,
                LoadOptions.builder().programs(Set.of("prog_unknown")).build()).close());
        assertTrue(unknown.getMessage().contains("my_custom_section"), unknown.getMessage());
        assertTrue(unknown.hint().orElseThrow().contains("programType(\"prog_unknown\""), unknown.getMessage());

        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().programs(Set.of("prog_unknown"))
                .programType("prog_unknown", ProgramType.SOCKET_FILTER).build())) {
            assertEquals(ProgramType.SOCKET_FILTER, object.program("prog_unknown").type());
            assertEquals(List.of("prog_unknown"), object.programs().stream().map(BpfProgram::name).toList());
        }
    }

    @Test
    void optionsNamingWhatTheObjectLacksAreRefusedBeforeAnythingIsCreated() {
        ObjectSpec spec = fixture("counter", compilers().get(0));
        BpfException variable = assertThrows(BpfException.class, () -> BpfObject.load(spec,
                LoadOptions.builder().constant("nope", new byte[4]).build()));
        assertTrue(variable.getMessage().contains("nope"), variable.getMessage());
        BpfException map = assertThrows(BpfException.class, () -> BpfObject.load(spec,
                LoadOptions.builder().maxEntries("missing", 4).build()));
        assertTrue(map.hint().orElseThrow().contains("counting_map"), map.getMessage());
    }

    @Test
    void closingTheObjectUnloadsItsProgramsAndDetaches() throws Exception {
        BpfObject counter = BpfObject.load(fixture("counter", compilers().get(0)));
        counter.attachAll();
        int programFd = counter.program("count_execve").fd();
        int id = Programs.info(counter.program("count_execve").handle()).id();
        counter.close();
        counter.close();
        assertFalse(Files.exists(Path.of("/proc/self/fd/" + programFd)), "program descriptor closed");
        assertThrows(NotFoundException.class, () -> Programs.byId(id).close(), "the kernel freed the program");
        assertThrows(IllegalStateException.class, () -> counter.program("count_execve").attach());
    }

    @Test
    void aCloseRacingAnotherReturnsOnlyOnceTheLinksAreClosed() throws Exception {
        // Each tracepoint link takes tens of milliseconds to close: a second close() that returned at once would
        // find this process still holding link and perf event descriptors.
        ObjectSpec spec = fixture("loader", compilers().get(0));
        LoadOptions options = LoadOptions.builder().constant("target_tgid", u32(SELF)).build();
        List<String> before = OpenDescriptors.kernelObjects();
        BpfObject object = BpfObject.load(spec, options);
        assertEquals(3, object.attachAll().links().size());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService closers = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<String>>> left = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                left.add(closers.submit(() -> {
                    start.await();
                    object.close();
                    return OpenDescriptors.kernelObjects();
                }));
            }
            start.countDown();
            for (Future<List<String>> afterClose : left) {
                assertEquals(before, afterClose.get(30, TimeUnit.SECONDS), "descriptors when a close() returned");
            }
        } finally {
            closers.shutdown();
        }
    }

    @Test
    void thousandLoadAttachCloseCyclesLeakNoDescriptor() throws Exception {
        ObjectSpec spec = fixture("loader", compilers().get(0));
        LoadOptions options = LoadOptions.builder().constant("target_tgid", u32(SELF)).build();
        // Warm up first: the JVM and JNA open files of their own on first use.
        try (BpfObject warm = BpfObject.load(spec, options)) {
            warm.attachAll();
        }
        long before = openDescriptors();
        // Detaching a tracepoint waits for RCU grace periods (tens of milliseconds); cycles on several threads wait
        // for them together, which keeps the test short without changing what each cycle does.
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1000 / threads; i++) {
                        try (BpfObject object = BpfObject.load(spec, options)) {
                            assertEquals(3, object.attachAll().links().size());
                            object.variable("opens").setLong(i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> cycle : done) {
                cycle.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(before, openDescriptors());
    }

    private static int run(BpfProgram program) {
        return TestRuns.packetVerdict(program);
    }

    private static void readSomeFiles(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Files.readAllBytes(Path.of("/proc/self/stat"));
        }
    }

    /**
     * The descriptors of BPF objects and perf events this process holds: what a load and attach cycle opens. Not
     * every descriptor: the JVM opens and closes files of its own meanwhile (the cgroup's memory.stat, for one).
     */
    private static long openDescriptors() throws IOException {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.filter(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("anon_inode:bpf") || target.equals("anon_inode:[perf_event]");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }

    private static int configHz() throws IOException {
        try (var in = new GZIPInputStream(Files.newInputStream(Path.of("/proc/config.gz")))) {
            String config = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return config.lines().filter(l -> l.startsWith("CONFIG_HZ=")).findFirst()
                    .map(l -> Integer.parseInt(l.substring("CONFIG_HZ=".length()))).orElse(0);
        }
    }

    static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
    }

    static int u32(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt(0);
    }

    static long u64(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong(0);
    }
}

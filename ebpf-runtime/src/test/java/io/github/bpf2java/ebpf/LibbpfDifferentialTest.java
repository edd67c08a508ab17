package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.SectionDef;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.GuestKernel;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.LibbpfHarness;
import io.github.bpf2java.ebpf.testing.LibbpfTools;
import io.github.bpf2java.ebpf.testing.PinRoot;
import io.github.bpf2java.ebpf.testing.TranslatedCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The differential test against libbpf: every object is loaded once by libbpf (the system's libbpf 1.1, through
 * {@code src/test/native/libbpf_xlated.c}) and once by this runtime, both with default options, and every program
 * both loaded must leave the same translated instructions in the kernel ({@code BPF_OBJ_GET_INFO_BY_FD}
 * {@code xlated_prog_insns}: after relocation, CO-RE and the verifier's rewrites), map ids aside (compared as map
 * names, see {@link TranslatedCode}).
 *
 * <p>Objects: every fixture of {@code src/test/bpf} and every object embedded in Debian's {@code libbpf-tools}.
 * An object is first loaded whole; if either side refuses it, each of its programs is loaded alone on both sides
 * (with every map still created), so one program the kernel refuses here (fentry gives EPERM on a locked-down
 * kernel) does not hide the others. A program only one side loads is counted as skipped with both sides' reasons;
 * the report (printed, and written to {@code target/libbpf-differential.txt}) lists them. Any mismatch fails.
 *
 * <p>It runs in the test guest (Linux 6.1) too, on every {@value #GUEST_SAMPLE_STEP}th object of each list: an
 * older kernel's BTF drives the CO-RE relocations there.
 */
@AlsoInGuestKernel
class LibbpfDifferentialTest {
    /** Objects run two at a time: the work is the verifier's, in the kernel, and CI machines have two cores. */
    private static final int PARALLELISM = 2;
    /** In the test guest (Linux 6.1 under software emulation) every 8th object, so the run stays short there. */
    private static final int GUEST_SAMPLE_STEP = 8;
    /** A directory of more objects to compare (not set in the regular run). */
    private static final String EXTRA_PROPERTY = "ebpf.differential.objects";

    private static LibbpfHarness libbpf;

    @BeforeAll
    static void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        libbpf = LibbpfHarness.build();
    }

    /** One object to load both ways: a label for the report, the object's own name, its file and bytes. */
    record Subject(String name, String objectName, Path file, byte[] bytes) {}

    @Test
    void translatedInstructionsEqualLibbpfs() throws Exception {
        List<Subject> fixtures = new ArrayList<>();
        try (var sources = Files.list(BpfFixtures.sourceDir())) {
            for (Path source : sample(sources.filter(p -> p.toString().endsWith(".c")).sorted().toList())) {
                String name = source.getFileName().toString().replace(".c", "");
                BpfFixtures.Fixture fixture = BpfFixtures.compile(name);
                fixtures.add(new Subject("fixture " + name, name, fixture.path(), fixture.bytes()));
            }
        }
        List<Subject> tools = LibbpfTools.objects().stream()
                .map(t -> new Subject("libbpf-tools " + t.name(), t.name(), t.file(), t.bytes())).toList();

        Tally fixtureTally = compareAll(fixtures);
        Tally toolTally = compareAll(sample(tools));
        Tally extraTally = compareAll(extraObjects());
        String report = "Differential test against libbpf (translated instructions, map ids as names)"
                + (inGuest() ? " in the test guest, kernel " + System.getenv(GuestKernel.RELEASE_VARIABLE)
                        + ", every " + GUEST_SAMPLE_STEP + "th object" : "") + "\n\n"
                + fixtureTally.report("Project fixtures (src/test/bpf)")
                + "\n" + toolTally.report("Debian libbpf-tools objects")
                + (extraTally.objects == 0 ? "" : "\n" + extraTally.report("Objects under " + EXTRA_PROPERTY));
        System.out.println(report);
        Files.writeString(BpfFixtures.moduleDir().resolve(inGuest() ? "target/libbpf-differential-guest.txt"
                : "target/libbpf-differential.txt"), report);

        assertEquals(List.of(), fixtureTally.mismatches, report);
        assertEquals(List.of(), toolTally.mismatches, report);
        assertEquals(List.of(), extraTally.mismatches, report);
        // Not vacuous: most fixtures and most tools' programs load on both sides of any kernel CI runs. The guest
        // compares one object in eight, and which ones shifts whenever a fixture is added: there, a couple of
        // programs compared equal is what shows the comparison ran.
        int least = inGuest() ? 1 : 20;
        assertTrue(fixtureTally.equal > least, report);
        assertTrue(toolTally.equal > least, report);
    }

    /**
     * The objects under the directory {@code -Debpf.differential.objects=DIR} names (recursively), e.g. the
     * loader-coverage objects {@code benchmarks/coverage/run.sh} compiles into {@code benchmarks/coverage/target}.
     */
    private static List<Subject> extraObjects() throws IOException {
        String dir = System.getProperty(EXTRA_PROPERTY);
        if (dir == null) {
            return List.of();
        }
        try (var files = Files.walk(Path.of(dir))) {
            List<Subject> out = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".o")).sorted().toList()) {
                out.add(new Subject(Path.of(dir).relativize(file).toString(),
                        file.getFileName().toString().replaceAll("(\\.bpf)?\\.o$", ""), file,
                        Files.readAllBytes(file)));
            }
            return out;
        }
    }

    private static boolean inGuest() {
        return System.getenv(GuestKernel.RELEASE_VARIABLE) != null;
    }

    /** All objects on the host; under the guest's emulated CPU a fixed sample: every few, by name order. */
    private static <T> List<T> sample(List<T> subjects) {
        if (!inGuest()) {
            return subjects;
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i += GUEST_SAMPLE_STEP) {
            out.add(subjects.get(i));
        }
        return out;
    }

    @Test
    void translatedInstructionsAreWhatTheKernelReports() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("counter", BpfFixtures.compile("counter")
                .compiler()))) {
            for (BpfProgram program : object.programs()) {
                byte[] code = program.translatedInstructions();
                assertEquals(program.info().translatedBytes(), code.length, program.name());
                // The verifier keeps a program's final exit; the last instruction is BPF_JMP|BPF_EXIT.
                assertEquals(0x95, Byte.toUnsignedInt(code[code.length - 8]), program.name());
            }
        }
    }

    private static Tally compareAll(List<Subject> subjects) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
        try {
            List<Future<Tally>> results = new ArrayList<>();
            for (Subject s : subjects) {
                results.add(pool.submit(() -> compare(s)));
            }
            Tally total = new Tally();
            for (Future<Tally> r : results) {
                total.add(r.get());
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Loads one object whole on both sides; if either refuses, each program alone. */
    private static Tally compare(Subject subject) {
        Tally tally = new Tally();
        tally.objects++;
        ObjectSpec spec;
        try {
            spec = ObjectSpec.read(subject.objectName(), subject.bytes());
        } catch (RuntimeException e) {
            tally.skipped.add(subject.name() + ": we cannot parse it: " + firstLine(e));
            tally.objectsOnlyLibbpfLoads++;
            return tally;
        }
        LibbpfHarness.Load theirs = libbpf.load(subject.file(), List.of());
        Ours ours = Ours.load(spec, Optional.empty());
        if (theirs.error().isEmpty() && ours.error().isEmpty()) {
            tally.objectsBothLoad++;
            Set<String> names = new TreeSet<>(theirs.programs().keySet());
            names.addAll(ours.programs().keySet());
            for (String program : names) {
                if (ours.programs().containsKey(program) != theirs.programs().containsKey(program)) {
                    // Both loaded the object with defaults, so both must choose the same programs to load.
                    tally.mismatches.add(subject.name() + " " + program + ": loaded by default only by "
                            + (ours.programs().containsKey(program) ? "bpf2java" : "libbpf"));
                    continue;
                }
                compareProgram(tally, subject.name() + " " + program, ours, theirs, program);
            }
            return tally;
        }
        if (theirs.error().isPresent() && ours.error().isEmpty()) {
            tally.objectsOnlyWeLoad.add(subject.name() + ": libbpf: " + theirs.error().get());
        } else if (theirs.error().isEmpty()) {
            tally.objectsOnlyLibbpfLoads++;
        }
        for (ProgramSpec program : spec.programs()) {
            LibbpfHarness.Load one = libbpf.load(subject.file(), List.of(program.name()));
            Ours mine = Ours.load(spec, Optional.of(program.name()));
            compareProgram(tally, subject.name() + " " + program.name() + " (alone)", mine, one, program.name());
        }
        return tally;
    }

    private static void compareProgram(Tally tally, String label, Ours ours, LibbpfHarness.Load theirs,
            String program) {
        byte[] a = ours.programs().get(program);
        byte[] b = theirs.programs().get(program);
        if (a == null || b == null) {
            tally.skipped.add(label + ": " + (a == null ? "we refuse: " + ours.error().orElse("not loaded by default")
                    : "") + (a == null && b == null ? "; " : "")
                    + (b == null ? "libbpf refuses: " + theirs.error().orElse("not loaded by default") : ""));
            if (a == null && b != null) {
                tally.onlyLibbpfLoads++;
            }
            return;
        }
        tally.compared++;
        Optional<String> difference = TranslatedCode.firstDifference(a, ours.maps(), b, theirs.maps());
        if (difference.isPresent()) {
            tally.mismatches.add(label + ": " + difference.get());
        } else {
            tally.equal++;
        }
    }

    /** What our load left in the kernel, read back the same way as libbpf's, the object closed again. */
    record Ours(Optional<String> error, Map<Integer, String> maps, Map<String, byte[]> programs) {
        static Ours load(ObjectSpec spec, Optional<String> only) {
            // Maps pinned by name go to a directory of the test's own, removed with it, as libbpf's side does.
            LoadOptions.Builder options = only.map(p -> LoadOptions.builder().programs(Set.of(p)))
                    .orElse(LoadOptions.builder());
            // libbpf 1.1 loads USDT programs for perf-event uprobes; this runtime (as newer libbpf) loads them for
            // uprobe.multi links where the kernel has those, and the kernel then translates their cookie helper
            // differently. A program type set by the caller keeps the perf-event kind: compare like with like.
            spec.programs().stream()
                    .filter(p -> p.sectionDef().map(d -> d.attachKind() == SectionDef.AttachKind.USDT).orElse(false))
                    .forEach(p -> options.programType(p.name(), ProgramType.KPROBE));
            try (PinRoot pins = PinRoot.create("differential");
                    BpfObject object = BpfObject.load(spec, options.pinRoot(pins.path()).build())) {
                Map<Integer, String> maps = new LinkedHashMap<>();
                for (BpfMap map : object.maps()) {
                    maps.put(map.id(), map.name());
                }
                Map<String, byte[]> programs = new LinkedHashMap<>();
                for (BpfProgram program : object.programs()) {
                    programs.put(program.name(), program.translatedInstructions());
                }
                return new Ours(Optional.empty(), maps, programs);
            } catch (RuntimeException e) {
                return new Ours(Optional.of(e.getClass().getSimpleName() + ": " + firstLine(e)), Map.of(), Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** Counts and lists, merged over objects in their order. */
    static final class Tally {
        int objects;
        int objectsBothLoad;
        int objectsOnlyLibbpfLoads;
        final List<String> objectsOnlyWeLoad = new ArrayList<>();
        int compared;
        int equal;
        int onlyLibbpfLoads;
        final List<String> mismatches = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();

        void add(Tally o) {
            objects += o.objects;
            objectsBothLoad += o.objectsBothLoad;
            objectsOnlyLibbpfLoads += o.objectsOnlyLibbpfLoads;
            objectsOnlyWeLoad.addAll(o.objectsOnlyWeLoad);
            compared += o.compared;
            equal += o.equal;
            onlyLibbpfLoads += o.onlyLibbpfLoads;
            mismatches.addAll(o.mismatches);
            skipped.addAll(o.skipped);
        }

        String report(String title) {
            StringBuilder sb = new StringBuilder(title).append('\n');
            sb.append(String.format("  objects %d: loaded whole by both %d, by bpf2java only (libbpf 1.1 refuses) %d,"
                    + " by libbpf only %d%n", objects, objectsBothLoad, objectsOnlyWeLoad.size(),
                    objectsOnlyLibbpfLoads));
            sb.append(String.format("  programs compared %d: equal %d, mismatches %d; skipped %d (of which libbpf"
                    + " loads but bpf2java not: %d)%n", compared, equal, mismatches.size(), skipped.size(),
                    onlyLibbpfLoads));
            mismatches.forEach(m -> sb.append("  MISMATCH ").append(m).append('\n'));
            objectsOnlyWeLoad.forEach(m -> sb.append("  only bpf2java loads whole: ").append(m).append('\n'));
            skipped.forEach(m -> sb.append("  skipped ").append(m).append('\n'));
            return sb.toString();
        }
    }
}

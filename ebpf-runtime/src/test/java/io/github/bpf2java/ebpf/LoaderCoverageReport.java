package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.LibbpfHarness;
import io.github.bpf2java.ebpf.testing.LibbpfTools;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The loader-coverage report ({@code benchmarks/coverage/run.sh}): loads objects from outside the project whole,
 * with default options, as a new user would, and writes a Markdown table of the outcomes into
 * {@code docs/loader-coverage.md} (between the {@code coverage:begin}/{@code coverage:end} markers, so the
 * commentary around them stays). Each object is loaded by libbpf 1.1 as well, for comparison.
 *
 * <p>Not a regular test (its name does not end in {@code Test}): it reports rather than asserts, and runs only when
 * {@code -Debpf.coverage.report=FILE} is given; {@code -Debpf.coverage.objects=DIR} adds the objects under
 * {@code DIR/<group>/*.o} (the script compiles its tutorial sources there).
 */
class LoaderCoverageReport {
    private static final String BEGIN = "<!-- coverage:begin (written by benchmarks/coverage/run.sh) -->";
    private static final String END = "<!-- coverage:end -->";

    /** What became of a whole-object load. */
    enum Outcome {
        LOADED("loaded"),
        REFUSED_BY_KERNEL("refused by the kernel"),
        FAILED("failed");

        final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    /**
     * @param alone for an object not loaded whole: how many of its programs load when each is loaded alone (with
     *              every map), e.g. {@code 3/5}; empty when it loaded
     */
    record Row(String group, String object, int programs, Outcome outcome, String error, String alone,
            String libbpf) {}

    @Test
    void report() throws IOException {
        String reportPath = System.getProperty("ebpf.coverage.report");
        Assumptions.assumeTrue(reportPath != null, "report mode only: -Debpf.coverage.report=FILE");
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        LibbpfHarness libbpf = LibbpfHarness.build();

        List<Row> rows = new ArrayList<>();
        for (LibbpfTools.ToolObject tool : LibbpfTools.objects()) {
            rows.add(load(libbpf, "libbpf-tools", tool.name(), tool.file()));
        }
        String objects = System.getProperty("ebpf.coverage.objects");
        if (objects != null) {
            try (Stream<Path> groups = Files.list(Path.of(objects))) {
                for (Path group : groups.filter(Files::isDirectory).sorted().toList()) {
                    try (Stream<Path> files = Files.list(group)) {
                        for (Path file : files.filter(f -> f.toString().endsWith(".o")).sorted().toList()) {
                            rows.add(load(libbpf, group.getFileName().toString(),
                                    file.getFileName().toString().replaceAll("(\\.bpf)?\\.o$", ""), file));
                        }
                    }
                }
            }
        }
        String table = table(rows);
        System.out.println(table);
        write(Path.of(reportPath), table);
    }

    private static Row load(LibbpfHarness libbpf, String group, String name, Path file) throws IOException {
        LibbpfHarness.Load reference = libbpf.load(file, List.of());
        String theirs = reference.error().map(e -> "refuses: " + e)
                .orElse("loads " + reference.programs().size()
                        + (reference.programs().size() == 1 ? " program" : " programs"));
        ObjectSpec spec;
        try {
            spec = ObjectSpec.read(name, Files.readAllBytes(file));
        } catch (RuntimeException e) {
            return new Row(group, name, 0, Outcome.FAILED, describe(e, true), "", theirs);
        }
        // Defaults but for the pin root: maps pinned by name go to a directory of the report's own, removed after.
        try (PinRoot pins = PinRoot.create("coverage");
                BpfObject object = BpfObject.load(spec, LoadOptions.builder().pinRoot(pins.path()).build())) {
            return new Row(group, name, object.programs().size(), Outcome.LOADED, "", "", theirs);
        } catch (RuntimeException e) {
            Outcome outcome = classify(e, reference);
            return new Row(group, name, spec.programs().size(), outcome, describe(e, outcome == Outcome.FAILED),
                    loadingAlone(spec), theirs);
        }
    }

    /** How many programs load one at a time: what is left of an object once the refused programs are set aside. */
    private static String loadingAlone(ObjectSpec spec) {
        int loaded = 0;
        for (ProgramSpec program : spec.programs()) {
            try (PinRoot pins = PinRoot.create("coverage");
                    BpfObject object = BpfObject.load(spec, LoadOptions.builder().programs(Set.of(program.name()))
                            .pinRoot(pins.path()).build())) {
                loaded++;
            } catch (RuntimeException | IOException e) {
                // counted as not loading
            }
        }
        return loaded + "/" + spec.programs().size();
    }

    /**
     * The kernel refused it when it lacks a privilege (EPERM: trampolines and LSM under lockdown, arena maps), lacks
     * what the object names (a function or struct missing from its BTF), or its verifier rejects a program that it
     * rejects from libbpf too. Everything else is a failure of the loader, or a limit it shares with libbpf.
     */
    private static Outcome classify(RuntimeException e, LibbpfHarness.Load reference) {
        if (e instanceof PermissionException) {
            return Outcome.REFUSED_BY_KERNEL;
        }
        if (e instanceof NotFoundException && String.valueOf(e.getMessage()).contains("running kernel")) {
            return Outcome.REFUSED_BY_KERNEL;
        }
        if (e instanceof VerifierException && reference.error().filter(r -> r.contains("program load failed"))
                .isPresent()) {
            return Outcome.REFUSED_BY_KERNEL;
        }
        return Outcome.FAILED;
    }

    private static String describe(RuntimeException e, boolean withHint) {
        String message = String.valueOf(e.getMessage());
        int nl = message.indexOf('\n');
        String first = nl < 0 ? message : message.substring(0, nl);
        String hint = withHint && e instanceof BpfException b ? b.hint().map(h -> " — hint: " + h).orElse("") : "";
        return e.getClass().getSimpleName() + ": " + first + hint;
    }

    private static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("Kernel ").append(osRelease()).append(", libbpf-tools ").append(packageVersion("libbpf-tools"))
                .append(", libbpf ").append(packageVersion("libbpf1")).append(", ")
                .append(NativeFixtures.run(List.of(System.getenv().getOrDefault("CLANG", "clang"), "--version"))
                        .lines().findFirst().orElse("clang ?"))
                .append(". Each object loaded whole with `LoadOptions.defaults()`.\n\n");
        sb.append("| Objects | loaded | refused by the kernel | failed | libbpf 1.1 loads |\n|---|---|---|---|---|\n");
        for (String group : rows.stream().map(Row::group).distinct().toList()) {
            List<Row> in = rows.stream().filter(r -> r.group().equals(group)).toList();
            Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
            in.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
            long libbpfLoads = in.stream().filter(r -> r.libbpf().startsWith("loads")).count();
            sb.append(String.format("| %s (%d) | %d | %d | %d | %d |%n", group, in.size(),
                    counts.getOrDefault(Outcome.LOADED, 0), counts.getOrDefault(Outcome.REFUSED_BY_KERNEL, 0),
                    counts.getOrDefault(Outcome.FAILED, 0), libbpfLoads));
        }
        sb.append("\n| Group | Object | Programs | bpf2java | Error | Programs loading alone | libbpf 1.1 |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format("| %s | %s | %d | %s | %s | %s | %s |%n", r.group(), r.object(), r.programs(),
                    r.outcome().label, cell(r.error()), r.alone(), cell(r.libbpf())));
        }
        return sb.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static String osRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String packageVersion(String name) {
        return Optional.of(NativeFixtures.run(List.of("dpkg-query", "-W", "-f=${Version}", name)).strip())
                .filter(v -> !v.isEmpty()).orElse("?");
    }

    /** Replaces what is between the markers, or writes a new file holding only the markers and the table. */
    private static void write(Path file, String table) throws IOException {
        String block = BEGIN + "\n" + table + END;
        String text = Files.exists(file) ? Files.readString(file) : "";
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin >= 0 && end > begin) {
            text = text.substring(0, begin) + block + text.substring(end + END.length());
        } else {
            text = text + (text.isEmpty() ? "" : "\n") + block + "\n";
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text);
    }
}

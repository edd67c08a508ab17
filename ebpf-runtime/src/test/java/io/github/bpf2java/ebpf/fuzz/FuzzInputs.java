package io.github.bpf2java.ebpf.fuzz;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.ParseBounds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the parser fuzz targets share: the bounds each input must keep, and the seed corpus, made from the objects
 * the build compiles ({@code src/test/bpf/*.c}, through {@link BpfFixtures}) rather than from checked-in binaries.
 *
 * <p>Jazzer reads a fuzz test's seeds from the class-path directory {@code <TestClass>Inputs/<method>/}. Those
 * directories are written into {@code target/test-classes} before the first input runs (a test's
 * {@code @BeforeAll}), so that a normal build replays every fixture through every target (regression mode) and a
 * fuzzing run ({@code JAZZER_FUZZ=1}, see {@code .ci/fuzz}) starts from them. Crash reproducers that are kept for
 * good live in {@code src/test/resources} under the same directory names and are replayed the same way.
 */
final class FuzzInputs {
    private static final String[] BYTE_ORDERS = {BpfFixtures.BPFEL, BpfFixtures.BPFEB};

    private FuzzInputs() {}

    /**
     * Runs one input through {@code parse}. The only acceptable failure is an {@link ObjectFormatException}; the input
     * must take less than {@link ParseBounds#MAX_TIME} of the thread's CPU time (CPU rather than wall time, so that a
     * loaded machine does not fail a fast input) and, when under {@link ParseBounds#MAX_INPUT} bytes, allocate less
     * than {@link ParseBounds#MAX_ALLOCATION}. A breach is an {@link AssertionError}, which Jazzer reports as a
     * finding with the input. An input over a bound is run a second time and judged by that run: the first input to
     * reach a class pays for loading and instrumenting it (Jazzer's agent does so on the calling thread), which is
     * not the parser's cost.
     */
    static void bounded(byte[] input, Runnable parse) {
        long[] cost = measure(parse);
        if (breach(input, cost) != null) {
            String breach = breach(input, measure(parse));
            if (breach != null) {
                throw new AssertionError(breach);
            }
        }
    }

    /** CPU nanoseconds and bytes allocated by one run. */
    private static long[] measure(Runnable parse) {
        long cpu = ParseBounds.cpuNanos();
        long allocated = ParseBounds.allocatedBytes();
        try {
            parse.run();
        } catch (ObjectFormatException expected) {
            // A typed rejection is a correct answer to malformed input.
        }
        return new long[] {ParseBounds.cpuNanos() - cpu, ParseBounds.allocatedBytes() - allocated};
    }

    private static String breach(byte[] input, long[] cost) {
        if (cost[0] > ParseBounds.MAX_TIME.toNanos()) {
            return "a " + input.length + "-byte input took " + cost[0] / 1_000_000 + " ms of CPU";
        }
        if (input.length < ParseBounds.MAX_INPUT && cost[1] >= ParseBounds.MAX_ALLOCATION) {
            return "a " + input.length + "-byte input allocated " + cost[1] + " bytes";
        }
        return null;
    }

    /** The compiled fixtures, each little-endian with debug info and big-endian stripped of it. */
    static List<byte[]> objects() {
        List<byte[]> out = new ArrayList<>();
        List<String> compilers = BpfFixtures.availableCompilers();
        String compiler = compilers.isEmpty() ? BpfFixtures.CLANG : compilers.get(0);
        for (String name : fixtureNames()) {
            for (String order : BYTE_ORDERS) {
                out.add(BpfFixtures.compile(name, compiler, order, order.equals(BpfFixtures.BPFEB)).bytes());
            }
        }
        return out;
    }

    private static List<String> fixtureNames() {
        try (Stream<Path> s = Files.list(BpfFixtures.sourceDir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes of section {@code name} of {@code object}, if it has that section. */
    static Optional<byte[]> section(byte[] object, String name) {
        ElfFile elf = ElfFile.parse(object);
        return elf.section(name).map(elf::contents);
    }

    /**
     * One input of the {@code .BTF.ext} target: the length of the BTF (4 bytes, big-endian), the BTF, then the
     * {@code .BTF.ext}; empty when the object lacks either.
     */
    static Optional<byte[]> btfAndExt(byte[] object) {
        Optional<byte[]> btf = section(object, ".BTF");
        Optional<byte[]> ext = section(object, ".BTF.ext");
        if (btf.isEmpty() || ext.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ByteBuffer.allocate(4 + btf.get().length + ext.get().length).order(ByteOrder.BIG_ENDIAN)
                .putInt(btf.get().length).put(btf.get()).put(ext.get()).array());
    }

    /**
     * Writes one seed per fixture, made by {@code seed}, into the class-path inputs directory of
     * {@code testClass}'s fuzz test {@code method}, where Jazzer looks for them.
     */
    static void writeSeeds(Class<?> testClass, String method, Function<byte[], Optional<byte[]>> seed) {
        Path dir = classPathRoot(testClass).resolve(testClass.getPackageName().replace('.', '/'))
                .resolve(testClass.getSimpleName() + "Inputs").resolve(method);
        try {
            Files.createDirectories(dir);
            int n = 0;
            for (byte[] object : objects()) {
                Optional<byte[]> bytes = seed.apply(object);
                if (bytes.isPresent()) {
                    Files.write(dir.resolve(String.format("fixture-%02d", n++)), bytes.get());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path classPathRoot(Class<?> testClass) {
        URL url = testClass.getProtectionDomain().getCodeSource().getLocation();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Objects made by the BPF static linker ({@code bpftool gen object}, libbpf's {@code bpf_linker}) load like the
 * compiler's: the linker resolves a program's call into another section by symbol, merges {@code .text}, data and
 * BTF, and writes a symbol table whose locals are not first.
 */
class StaticLinkingTest {
    private static final int XDP_PASS = 2;

    static List<String> compilers() {
        return BpfFixtures.installedCompilers();
    }

    @ParameterizedTest
    @MethodSource("compilers")
    @AlsoInGuestKernel
    void objectLinkedFromTwoSourcesLoadsAndCallsAcrossThem(String compiler) throws Exception {
        KernelSupport.assumeBpf();
        ObjectSpec spec = ObjectSpec.read("static_linked", Files.readAllBytes(link(compiler)));
        try (BpfObject object = BpfObject.load(spec)) {
            assertEquals(XDP_PASS, TestRuns.packetVerdict(object.program("linked_entry")));
            BpfMap results = object.map("results");
            assertEquals(42, lookup(results, 0), "scale(21), defined in the other source, through its static helper");
            assertEquals(1, lookup(results, 1), "the other source's global counted the call");
            assertEquals(1, object.variable("scale_calls").getLong());
            assertEquals(XDP_PASS, TestRuns.packetVerdict(object.program("linked_second")), "the second source's "
                    + "program, in the same section name, merged after the first's");
            assertEquals(2, object.variable("scale_calls").getLong());
        }
    }

    static List<String> fixtures() throws IOException {
        try (var sources = Files.list(BpfFixtures.sourceDir())) {
            return sources.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".c"))
                    .map(n -> n.substring(0, n.length() - 2))
                    .filter(n -> !BpfFixtures.isLinkInput(n))
                    .sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyFixtureRelinkedByBpftoolReadsAsTheSameObject(String fixture) throws Exception {
        Path bpftool = KernelSupport.assumeTool("bpftool");
        for (String compiler : BpfFixtures.installedCompilers()) {
            String target = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BpfFixtures.BPFEL
                    : BpfFixtures.BPFEB;
            Path object;
            try {
                object = BpfFixtures.compile(fixture, compiler, target, false).path();
            } catch (AssertionError | RuntimeException notForThisCompiler) {
                continue;
            }
            Path linked = Files.createTempFile(BpfFixtures.outputDir(), fixture + "-linked", ".o");
            try {
                Process process = new ProcessBuilder(bpftool.toString(), "gen", "object", linked.toString(),
                        object.toString()).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor() != 0) {
                    continue; // the linker refuses some inputs (e.g. no BTF); nothing to compare then
                }
                ObjectSpec original = ObjectSpec.read(fixture, Files.readAllBytes(object));
                ObjectSpec relinked = ObjectSpec.read(fixture, Files.readAllBytes(linked));
                assertEquals(names(original), names(relinked), fixture + " " + compiler + " " + output);
            } finally {
                Files.deleteIfExists(linked);
            }
        }
    }

    private static List<String> names(ObjectSpec spec) {
        List<String> names = new java.util.ArrayList<>();
        spec.programs().forEach(p -> names.add("program " + p.name() + " " + p.sectionName()));
        spec.maps().forEach(m -> names.add("map " + m.name()));
        names.sort(null);
        return names;
    }

    private static long lookup(BpfMap map, int key) {
        byte[] k = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, key).array();
        return ByteBuffer.wrap(map.lookup(k).orElseThrow()).order(ByteOrder.nativeOrder()).getLong();
    }

    /** {@code link_static_main.c} and {@code link_static_lib.c} compiled by {@code compiler}, linked by bpftool. */
    private static Path link(String compiler) throws IOException, InterruptedException {
        Path bpftool = KernelSupport.assumeTool("bpftool");
        String target = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BpfFixtures.BPFEL : BpfFixtures.BPFEB;
        Path main = BpfFixtures.compile("link_static_main", compiler, target, false).path();
        Path lib = BpfFixtures.compile("link_static_lib", compiler, target, false).path();
        Path linked = Files.createTempFile(BpfFixtures.outputDir(), "static_linked-" + compiler, ".o");
        Process process = new ProcessBuilder(bpftool.toString(), "gen", "object", linked.toString(), main.toString(),
                lib.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "bpftool gen object: " + output);
        linked.toFile().deleteOnExit();
        return linked;
    }
}

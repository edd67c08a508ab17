package io.github.bpf2java.maven.vmlinux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.KernelHeaders;
import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header written from BTF compiles cleanly on every installed clang and, compiled back to BTF, gives the types it
 * was written from: the kernel's own BTF (against bpftool's dump of it) and a fixture full of layouts C makes hard
 * (packed and over-aligned records, bit-fields, anonymous members, function pointers, enum64).
 */
class VmlinuxHeaderWriterTest {
    private static final Path KERNEL_BTF = Path.of("/sys/kernel/btf/vmlinux");
    private static final List<String> WARNINGS = List.of("-Wall", "-Wextra", "-Werror");

    @TempDir
    Path dir;

    /**
     * Both headers compiled with the same clang, the named types of both objects compared type by type. Where they
     * differ, ours must be the kernel's own type (bpftool writes the kernel's 1-byte {@code __packed} enums as
     * 4-byte ones, which moves every later member of {@code struct bio} and the structs that contain it); where ours
     * differs from the kernel, it must be what bpftool's gives too: what no C header can say (the compiler's own
     * {@code va_list}) or what clang records differently (a {@code const} on an array or an anonymous member).
     */
    @Test
    void kernelHeaderEqualsBpftoolsTypeByType() throws Exception {
        Path bpftoolHeader = dir.resolve("bpftool/vmlinux.h");
        KernelHeaders.dumpVmlinuxHeader(bpftoolHeader);
        Btf kernel = Btf.parse(Files.readAllBytes(KERNEL_BTF));
        long start = System.nanoTime();
        String header = VmlinuxHeaderWriter.write(kernel, KERNEL_BTF.toString());
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("vmlinux.h: %d types, %d bytes, written in %d ms%n", kernel.types().size() - 1,
                header.length(), millis);
        Path ours = Files.createDirectories(dir.resolve("bpf2java")).resolve("vmlinux.h");
        Files.writeString(ours, header);

        // Only names both headers define: bpftool may number duplicate names differently or leave one out.
        Set<String> inBoth = identifiers(Files.readString(bpftoolHeader));
        inBoth.retainAll(identifiers(header));
        String uses = TypeUses.source(kernel, "vmlinux.h", inBoth::contains);
        String clang = newestClang();
        // The two compiles take minutes each (14,000 globals, the kernel's types in DWARF and BTF): run them at once.
        CompletableFuture<Btf> bpftools = CompletableFuture.supplyAsync(() -> {
            try {
                return compiledBtf(bpftoolHeader.getParent(), uses, clang);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        Map<String, List<String>> mine = BtfTypeComparison.namedTypes(compiledBtf(ours.getParent(), uses, clang));
        Map<String, List<String>> theirs = BtfTypeComparison.namedTypes(bpftools.join());
        Map<String, List<String>> truth = BtfTypeComparison.namedTypes(kernel);

        List<String> wrong = new ArrayList<>();
        int differFromBpftool = 0;
        int differFromKernel = 0;
        Set<String> keys = new TreeSet<>(theirs.keySet());
        keys.addAll(mine.keySet());
        for (String key : keys) {
            List<String> m = mine.get(key);
            boolean likeBpftool = Objects.equals(m, theirs.get(key));
            boolean likeKernel = Objects.equals(m, truth.get(key));
            differFromBpftool += likeBpftool ? 0 : 1;
            differFromKernel += likeKernel ? 0 : 1;
            if (!likeBpftool && !likeKernel) {
                wrong.add(key + "\n  kernel  " + truth.get(key) + "\n  bpftool " + theirs.get(key) + "\n  ours    " + m);
            }
        }
        System.out.printf("compared %d named types (%s): %d differ from bpftool's, all equal to the kernel's BTF;"
                + " %d differ from the kernel's BTF as bpftool's do%n", keys.size(), clang, differFromBpftool,
                differFromKernel);
        assertTrue(keys.size() > 10_000, "too few types compared: " + keys.size());
        assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size() + " types differ both"
                + " from bpftool's and from the kernel's");
    }

    private static String newestClang() {
        List<Path> all = compilers().stream().filter(p -> p.getFileName().toString().startsWith("clang")).toList();
        assertFalse(all.isEmpty(), "no clang installed");
        // clang 15+ writes BTF_KIND_ENUM64, so 64-bit enumerators are compared too.
        return all.get(all.size() - 1).toString();
    }

    @Test
    void kernelHeaderCompilesWithoutWarningsOnEveryClang() throws Exception {
        assumeKernelBtf();
        Path header = dir.resolve("vmlinux.h");
        Files.writeString(header, VmlinuxHeaderWriter.write(Btf.parse(Files.readAllBytes(KERNEL_BTF)),
                KERNEL_BTF.toString()));
        Files.writeString(dir.resolve("use.c"), "#include \"vmlinux.h\"\nstruct task_struct task;\n");
        List<Path> compilers = compilers();
        assertFalse(compilers.isEmpty(), "no clang installed");
        for (Path clang : compilers) {
            for (String target : List.of("bpf", "bpfeb")) {
                List<String> command = new ArrayList<>(List.of(clang.toString(), "-target", target, "-g", "-O2",
                        "-c", "use.c", "-o", "use.o"));
                command.addAll(WARNINGS);
                ProcessRunner.Result result = new ProcessRunner().run(command, dir);
                assertTrue(result.succeeded() && result.output().isBlank(),
                        clang + " -target " + target + ":\n" + result.output());
            }
        }
    }

    @Test
    void trickyLayoutsSurviveTheRoundTrip() throws Exception {
        Path fixture = TestProject.FIXTURES.resolve("vmlinux/layouts.c");
        List<Path> compilers = compilers();
        for (int i = 0; i < compilers.size(); i++) {
            Path clang = compilers.get(i);
            Path work = Files.createDirectories(dir.resolve(i + "-" + clang.getFileName()));
            Files.copy(fixture, work.resolve("layouts.c"));
            Btf original = compile(work, "layouts.c", clang.toString());
            String header = VmlinuxHeaderWriter.write(original, "layouts.o");
            assertEquals(header, VmlinuxHeaderWriter.write(original, "layouts.o"), "the same BTF, the same text");
            Files.writeString(work.resolve("layouts.h"), header);
            Btf again = compiledBtf(work, TypeUses.source(original, "layouts.h", name -> true), clang.toString());
            assertEquals(List.of(), BtfTypeComparison.differences(original, again), clang + ":\n" + header);
        }
    }

    /** Every installed clang: {@code clang} and each {@code clang-NN}, and the Maven one when it was unpacked. */
    static List<Path> compilers() {
        List<Path> found = new ArrayList<>();
        ExecutableSearch search = ExecutableSearch.ofEnvironment();
        search.find("clang").ifPresent(found::add);
        found.addAll(search.findMatching(Pattern.compile("clang-\\d+")).stream()
                .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(6))))
                .toList());
        String extra = System.getProperty("ebpf.test.extraClang");
        if (extra != null && !extra.isBlank() && Files.isExecutable(Path.of(extra))) {
            found.add(Path.of(extra));
        }
        // The Maven clang (the plugin's default toolchain), where a build on this machine has unpacked it already.
        Path cache = Path.of(System.getProperty("user.home"), ".m2", "repository", ".cache", "bpf2java");
        if (Files.isDirectory(cache)) {
            try (var unpacked = Files.list(cache)) {
                unpacked.map(d -> d.resolve("bin").resolve("clang")).filter(Files::isExecutable).sorted()
                        .forEach(found::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private Btf compiledBtf(Path includeDir, String uses, String clang) throws Exception {
        Path work = Files.createTempDirectory(dir, "uses");
        Files.writeString(work.resolve("uses.c"), uses);
        return compile(work, "uses.c", clang, "-I", includeDir.toString());
    }

    private static Btf compile(Path work, String source, String clang, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(clang, "-target", "bpf", "-g", "-O2", "-c", source, "-o",
                source + ".o"));
        command.addAll(List.of(extra));
        command.addAll(WARNINGS);
        ProcessRunner.Result result = new ProcessRunner().run(command, work);
        if (!result.succeeded()) {
            fail(String.join(" ", command) + "\n" + result.output().lines().limit(40).reduce("", (a, b) -> a + b
                    + "\n"));
        }
        ObjectSpec spec = ObjectSpec.read(source, Files.readAllBytes(work.resolve(source + ".o")));
        return spec.btf().orElseThrow();
    }

    private static Set<String> identifiers(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("[A-Za-z_][A-Za-z_0-9]*").matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static void assumeKernelBtf() {
        if (!Files.isReadable(KERNEL_BTF)) {
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                fail("EBPF_REQUIRE_KERNEL=1 but the kernel exposes no BTF at " + KERNEL_BTF);
            }
            assumeTrue(false, "the kernel exposes no BTF at " + KERNEL_BTF);
        }
    }
}

package io.github.bpf2java.ebpf.testing;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;

/**
 * Compiles the C fixtures under {@code ebpf-runtime/src/test/bpf/} with a real clang, caching the objects under
 * {@code target/test-bpf/} by a digest of everything that goes into them (compiler version, target, flags, the
 * source and every header in {@code src/test/bpf/include}). No binary fixture is checked in.
 *
 * <pre>{@code
 * byte[] elf = BpfFixtures.compile("counter").bytes();
 * byte[] be = BpfFixtures.compile("counter", BpfFixtures.CLANG_19, "bpfeb", false).bytes();
 * }</pre>
 *
 * <p>When a tool is missing the calling test is skipped with the reason, unless the environment sets
 * {@code EBPF_REQUIRE_KERNEL=1}, which turns every such skip into a failure.
 */
public final class BpfFixtures {
    /** Debian's default {@code clang} (clang 14 on the reference machine). */
    public static final String CLANG = "clang";
    /** {@code clang-14}. */
    public static final String CLANG_14 = "clang-14";
    /** {@code clang-19}. */
    public static final String CLANG_19 = "clang-19";
    /**
     * The system property naming, comma-separated, the compilers tests try instead of {@link #COMPILERS}'s default:
     * {@code -Dbpf2java.test.compilers=clang-13,clang-15,clang-16} runs every compiler sweep with clangs CI does not
     * install.
     */
    public static final String COMPILERS_PROPERTY = "bpf2java.test.compilers";
    /** The compilers tests try, in order: clang 14 and 19, or those {@link #COMPILERS_PROPERTY} names. */
    public static final List<String> COMPILERS = compilers(System.getProperty(COMPILERS_PROPERTY, ""));
    /** Little-endian BPF. */
    public static final String BPFEL = "bpfel";
    /** Big-endian BPF. */
    public static final String BPFEB = "bpfeb";

    private static final String VMLINUX_INCLUDE = "#include \"vmlinux.h\"";

    private BpfFixtures() {}

    /** A compiled fixture object. */
    public record Fixture(String name, String compiler, String target, boolean stripped, Path path) {
        /** The object's bytes. */
        public byte[] bytes() {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A label for parameterized test names, e.g. {@code counter clang-19 bpfeb stripped}. */
        @Override
        public String toString() {
            return name + " " + compiler + " " + target + (stripped ? " stripped" : "");
        }
    }

    /**
     * Whether fixture {@code name} is one half of an object linked from several files ({@code link_*.c}): its externs
     * are for a static linker, so the loader refuses it on its own and per-fixture sweeps leave it out.
     */
    public static boolean isLinkInput(String name) {
        return name.startsWith("link_");
    }

    private static List<String> compilers(String property) {
        List<String> named = new ArrayList<>();
        for (String name : property.split(",")) {
            if (!name.isBlank()) {
                named.add(name.strip());
            }
        }
        return named.isEmpty() ? List.of(CLANG_14, CLANG_19) : List.copyOf(named);
    }

    /** The installed compilers, as a {@code @MethodSource}; skips (or fails) when there is none. */
    public static List<String> installedCompilers() {
        List<String> found = availableCompilers();
        KernelSupport.assume(!found.isEmpty(), "no clang is installed to compile the fixtures");
        return found;
    }

    /** {@code src/test/bpf/<name>.c} compiled by {@code compiler} for this host's byte order, and read. */
    public static ObjectSpec hostSpec(String name, String compiler) {
        String target = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BPFEL : BPFEB;
        return ObjectSpec.read(name, compile(name, compiler, target, false).bytes());
    }

    /** The module directory ({@code ebpf-runtime}). */
    public static Path moduleDir() {
        Path cwd = Path.of("").toAbsolutePath();
        if (Files.isDirectory(cwd.resolve("src/test/bpf"))) {
            return cwd;
        }
        String root = System.getenv("EBPF_PROJECT_ROOT");
        if (root != null && Files.isDirectory(Path.of(root, "ebpf-runtime/src/test/bpf"))) {
            return Path.of(root, "ebpf-runtime");
        }
        return cwd.resolve("ebpf-runtime");
    }

    /** The fixture sources, {@code src/test/bpf}. */
    public static Path sourceDir() {
        return moduleDir().resolve("src/test/bpf");
    }

    /** Where objects are cached, {@code target/test-bpf}. */
    public static Path outputDir() {
        return moduleDir().resolve("target/test-bpf");
    }

    /** The installed compilers among {@link #COMPILERS}. */
    public static List<String> availableCompilers() {
        List<String> out = new ArrayList<>();
        for (String c : COMPILERS) {
            if (onPath(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether {@code tool} is an executable on {@code PATH}. */
    public static boolean onPath(String tool) {
        return KernelSupport.findTool(tool).isPresent();
    }

    /** {@code src/test/bpf/<name>.c} compiled by the first available compiler for {@code bpfel}. */
    public static Fixture compile(String name) {
        List<String> compilers = availableCompilers();
        String compiler = compilers.isEmpty() ? (onPath(CLANG) ? CLANG : CLANG_14) : compilers.get(0);
        return compile(name, compiler, BPFEL, false);
    }

    /**
     * Compiles {@code src/test/bpf/<name>.c} with {@code -O2 -g} (cached).
     *
     * @param compiler   {@link #CLANG}, {@link #CLANG_14} or {@link #CLANG_19}
     * @param target     {@link #BPFEL} or {@link #BPFEB}
     * @param stripDebug whether to remove DWARF afterwards with {@code llvm-strip -g}
     */
    public static Fixture compile(String name, String compiler, String target, boolean stripDebug) {
        KernelSupport.assume(onPath(compiler), compiler + " is not installed; it compiles the BPF test fixtures");
        Path source = sourceDir().resolve(name + ".c");
        Assertions.assertTrue(Files.isRegularFile(source), "no fixture source " + source);
        try {
            String code = Files.readString(source);
            List<Path> includes = new ArrayList<>();
            includes.add(sourceDir().resolve("include"));
            includes.add(Path.of("/usr/include", arch() + "-linux-gnu"));
            if (code.contains(VMLINUX_INCLUDE)) {
                includes.add(0, vmlinuxHeaderDir());
            }
            List<String> command = new ArrayList<>(List.of(compiler, "-target", target, "-O2", "-g", "-Wall",
                    "-Wno-unused-function", "-c"));
            if (code.contains("bpf/bpf_tracing.h")) {
                // PT_REGS_* and BPF_KPROBE read registers by the traced architecture's names.
                command.add("-D__TARGET_ARCH_" + targetArch());
            }
            for (Path inc : includes) {
                command.add("-I" + inc);
            }
            String digest = digest(compilerVersion(compiler), String.join(" ", command), code,
                    headerDigest(sourceDir().resolve("include")), code.contains(VMLINUX_INCLUDE)
                            ? headerDigest(vmlinuxHeaderDir()) : "");
            Files.createDirectories(outputDir());
            String base = name + "-" + compiler + "-" + target + "-" + digest.substring(0, 16);
            Path object = outputDir().resolve(base + ".o");
            if (!Files.exists(object)) {
                Path tmp = Files.createTempFile(outputDir(), base, ".tmp");
                command.add(source.toString());
                command.add("-o");
                command.add(tmp.toString());
                run(command, "compiling fixture " + name);
                Files.move(tmp, object, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!stripDebug) {
                return new Fixture(name, compiler, target, false, object);
            }
            Path stripped = outputDir().resolve(base + "-stripped.o");
            if (!Files.exists(stripped)) {
                String strip = onPath("llvm-strip-19") ? "llvm-strip-19" : "llvm-strip";
                KernelSupport.assume(onPath(strip), "llvm-strip is not installed; it strips DWARF from fixtures");
                Path tmp = Files.createTempFile(outputDir(), base, ".tmp");
                run(List.of(strip, "-g", object.toString(), "-o", tmp.toString()), "stripping fixture " + name);
                Files.move(tmp, stripped, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return new Fixture(name, compiler, target, true, stripped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code fixture} rewritten by {@code llvm-objcopy} with {@code args} (e.g. {@code --remove-section .BTF.ext}),
     * cached next to it under {@code label}.
     */
    public static Fixture objcopy(Fixture fixture, String label, String... args) {
        String tool = onPath("llvm-objcopy-19") ? "llvm-objcopy-19" : "llvm-objcopy";
        KernelSupport.assume(onPath(tool), "llvm-objcopy is not installed; it rewrites fixtures");
        String file = fixture.path().getFileName().toString();
        Path out = fixture.path().resolveSibling(file.substring(0, file.length() - 2) + "-" + label + ".o");
        try {
            if (!Files.exists(out)) {
                Path tmp = Files.createTempFile(outputDir(), label, ".tmp");
                List<String> command = new ArrayList<>(List.of(tool));
                command.addAll(List.of(args));
                command.add(fixture.path().toString());
                command.add(tmp.toString());
                run(command, "rewriting fixture " + fixture.name());
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Fixture(fixture.name() + " " + label, fixture.compiler(), fixture.target(), fixture.stripped(),
                out);
    }

    /** The output of {@code llvm-readelf} with {@code args} on {@code fixture}, for cross-checks. */
    public static String readelf(Fixture fixture, String... args) {
        String tool = onPath("llvm-readelf-19") ? "llvm-readelf-19" : "llvm-readelf";
        KernelSupport.assume(onPath(tool), "llvm-readelf is not installed; it cross-checks the ELF reader");
        List<String> command = new ArrayList<>(List.of(tool));
        command.addAll(List.of(args));
        command.add(fixture.path().toString());
        return run(command, "reading fixture " + fixture.name());
    }

    /** Every combination of the available compilers and both targets, unstripped and stripped. */
    public static List<Fixture> allVariants(String name) {
        List<String> compilers = availableCompilers();
        KernelSupport.assume(!compilers.isEmpty(), "no clang (" + COMPILERS + ") is installed to compile BPF fixtures");
        List<Fixture> out = new ArrayList<>();
        for (String c : compilers) {
            for (String t : List.of(BPFEL, BPFEB)) {
                out.add(compile(name, c, t, false));
                out.add(compile(name, c, t, true));
            }
        }
        return out;
    }

    /**
     * A directory holding {@code vmlinux.h} for this kernel, generated once with
     * {@code bpftool btf dump file /sys/kernel/btf/vmlinux format c}.
     */
    public static Path vmlinuxHeaderDir() {
        Path dir = outputDir().resolve("include");
        Path header = dir.resolve("vmlinux.h");
        if (Files.exists(header)) {
            return dir;
        }
        KernelSupport.assume(onPath("bpftool"), "bpftool is not installed; it generates vmlinux.h for CO-RE fixtures");
        KernelSupport.assume(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")),
                "the kernel exposes no BTF at /sys/kernel/btf/vmlinux to generate vmlinux.h from");
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "vmlinux", ".tmp");
            ProcessBuilder pb = new ProcessBuilder("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux",
                    "format", "c").redirectOutput(tmp.toFile()).redirectError(ProcessBuilder.Redirect.PIPE);
            Process p = pb.start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                Assertions.fail("bpftool btf dump failed: " + err);
            }
            Files.move(tmp, header, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String arch() {
        String a = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> a;
        };
    }

    /** The {@code __TARGET_ARCH_*} suffix of this machine, for {@code bpf_tracing.h}. */
    private static String targetArch() {
        return switch (arch()) {
            case "x86_64" -> "x86";
            case "aarch64" -> "arm64";
            default -> arch();
        };
    }

    private static String compilerVersion(String compiler) {
        return run(List.of(compiler, "--version"), "asking " + compiler + " for its version");
    }

    private static String run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail(what + " timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                Assertions.fail(what + " failed (exit " + p.exitValue() + "): " + String.join(" ", command) + "\n"
                        + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String headerDigest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".h")).sorted().toList();
        }
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            sb.append(dir.relativize(f)).append('=').append(digest(Files.readString(f, StandardCharsets.ISO_8859_1)));
        }
        return sb.toString();
    }

    private static String digest(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                md.update(part.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

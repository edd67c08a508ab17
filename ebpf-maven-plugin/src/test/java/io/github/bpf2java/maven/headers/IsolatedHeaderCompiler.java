package io.github.bpf2java.maven.headers;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.maven.TestProject;
import io.github.bpf2java.maven.toolchain.ClangVersion;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Compiles the header fixtures ({@code src/test/bpf/headers}) with the plugin's headers ALONE: clang runs with
 * {@code -nostdinc}, its own resource headers, a copy of {@code /usr/include} made of symbolic links to every entry
 * but {@code bpf/} (so libbpf's headers cannot be found even when installed), the multiarch directory, and the
 * extracted bundled headers.
 */
final class IsolatedHeaderCompiler implements AutoCloseable {
    static final Path FIXTURES = TestProject.FIXTURES.resolve("headers");
    private static final Path SYSTEM_INCLUDE = Path.of("/usr/include");

    private final Path root;
    private final Path systemCopy;
    private final Path bundled;
    private final ProcessRunner runner = new ProcessRunner();

    /**
     * Prepares the include directories in a new temporary directory, removed by {@link #close()} (not in a JUnit
     * {@code @TempDir}, which warns about every symbolic link it deletes).
     */
    IsolatedHeaderCompiler() throws IOException {
        root = Files.createTempDirectory("bpf2java-headers");
        Path scratch = root;
        systemCopy = Files.createDirectories(scratch.resolve("usr-include-without-bpf"));
        if (Files.isDirectory(SYSTEM_INCLUDE)) {
            try (Stream<Path> entries = Files.list(SYSTEM_INCLUDE)) {
                for (Path entry : entries.filter(e -> !e.getFileName().toString().equals("bpf")).toList()) {
                    Files.createSymbolicLink(systemCopy.resolve(entry.getFileName().toString()), entry);
                }
            }
        }
        bundled = BundledHeaders.packaged().extractTo(scratch.resolve("bundled"));
    }

    /** Deletes the temporary directory; the links go, never what they point to. */
    @Override
    public void close() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The clangs to test with: {@code clang} and every {@code clang-NN} on the PATH (at least one, or skip). */
    static List<Path> installedClangs() {
        ExecutableSearch search = ExecutableSearch.ofEnvironment();
        List<Path> clangs = new ArrayList<>();
        search.find("clang").ifPresent(clangs::add);
        search.findMatching(java.util.regex.Pattern.compile("clang-\\d+")).forEach(clangs::add);
        List<Path> distinct = new ArrayList<>();
        java.util.Set<Path> seen = new java.util.HashSet<>();
        for (Path clang : clangs) {
            try {
                if (seen.add(clang.toRealPath()) && isSupported(clang)) {
                    distinct.add(clang);
                }
            } catch (IOException e) {
                // A dangling link is no compiler.
            }
        }
        if (distinct.isEmpty()) {
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                fail("EBPF_REQUIRE_KERNEL=1 but no clang 14 or newer is on the PATH");
            }
            assumeTrue(false, "no clang 14 or newer on the PATH");
        }
        return distinct;
    }

    /**
     * Whether {@code clang} is one the plugin supports, 14 or newer: the fixtures use what clang 14 added to BPF
     * (the {@code btf_type_tag} and {@code btf_decl_tag} attributes), which an older clang ignores with a warning.
     */
    private static boolean isSupported(Path clang) throws IOException {
        ProcessRunner.Result version = new ProcessRunner().run(List.of(clang.toString(), "--version"),
                Path.of("").toAbsolutePath());
        return version.succeeded() && ClangVersion.parse(version.output()).map(v -> v.major() >= 14).orElse(false);
    }

    /** The result of one compile: the object (when it worked) and everything clang printed. */
    record Compiled(Optional<Path> object, String diagnostics) {}

    /**
     * Compiles fixture {@code name} for clang target {@code target} ({@code bpfel}/{@code bpfeb}), with
     * {@code -D__TARGET_ARCH_<arch>} when {@code arch} is given, {@code -Wall}, into {@code output}.
     */
    Compiled compile(Path clang, Path source, String target, Optional<String> arch, List<Path> includes, Path output)
            throws IOException {
        ProcessRunner.Result resource = runner.run(List.of(clang.toString(), "-print-resource-dir"),
                source.getParent());
        if (!resource.succeeded()) {
            fail(clang + " -print-resource-dir failed: " + resource.output());
        }
        List<String> command = new ArrayList<>(List.of(clang.toString(), "-O2", "-g", "-Wall", "-target", target,
                "-mcpu=v3", "-nostdinc", "-isystem", Path.of(resource.output().strip(), "include").toString()));
        arch.ifPresent(a -> command.add("-D__TARGET_ARCH_" + a));
        includes.forEach(i -> command.add("-I" + i));
        command.addAll(List.of("-idirafter", bundled.toString(), "-isystem", systemCopy.toString()));
        try (Stream<Path> multiarch = Files.list(systemCopy)) {
            // <asm/types.h> lives in the multiarch directory of the host (e.g. x86_64-linux-gnu).
            multiarch.filter(p -> p.getFileName().toString().endsWith("-linux-gnu")
                    && p.getFileName().toString().startsWith(hostTripletPrefix()))
                    .forEach(p -> command.addAll(List.of("-isystem", p.toString())));
        }
        command.addAll(List.of("-c", source.toString(), "-o", output.toString()));
        Files.createDirectories(output.getParent());
        ProcessRunner.Result result = runner.run(command, source.getParent());
        return new Compiled(result.succeeded() ? Optional.of(output) : Optional.empty(), result.output().strip());
    }

    /**
     * Compiles {@code source} the ordinary way, with the system's headers (libbpf's {@code bpf/} included) and not
     * the plugin's: the reference the plugin's headers are compared with.
     */
    Compiled compileWithSystemHeaders(Path clang, Path source, String target, Optional<String> arch,
            List<Path> includes, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(clang.toString(), "-O2", "-g", "-Wall", "-target", target,
                "-mcpu=v3"));
        arch.ifPresent(a -> command.add("-D__TARGET_ARCH_" + a));
        includes.forEach(i -> command.add("-I" + i));
        try (Stream<Path> multiarch = Files.list(SYSTEM_INCLUDE)) {
            multiarch.filter(p -> p.getFileName().toString().endsWith("-linux-gnu")
                    && p.getFileName().toString().startsWith(hostTripletPrefix()))
                    .forEach(p -> command.add("-I" + p));
        }
        command.addAll(List.of("-c", source.toString(), "-o", output.toString()));
        Files.createDirectories(output.getParent());
        ProcessRunner.Result result = runner.run(command, source.getParent());
        return new Compiled(result.succeeded() ? Optional.of(output) : Optional.empty(), result.output().strip());
    }

    private static String hostTripletPrefix() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch64";
            case "s390x" -> "s390x";
            case "ppc64le" -> "powerpc64le";
            case "riscv64" -> "riscv64";
            case "loongarch64" -> "loongarch64";
            default -> System.getProperty("os.arch");
        };
    }

    /** The {@code __TARGET_ARCH_} name of this machine, if the headers know it. */
    static Optional<String> hostArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> Optional.of("x86");
            case "aarch64" -> Optional.of("arm64");
            case "s390x" -> Optional.of("s390");
            case "ppc64le", "ppc64" -> Optional.of("powerpc");
            case "riscv64" -> Optional.of("riscv");
            case "loongarch64" -> Optional.of("loongarch");
            default -> Optional.empty();
        };
    }
}

package io.github.bpf2java.maven.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.toolchain.ClangLocator;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Compiles small C sources with the installed clang, for BTF and objects the tests can read. */
final class CFixtures {
    private CFixtures() {}

    /**
     * Compiles {@code source} ({@code clang -target bpf -O2 -c}, plus {@code -g} when {@code withBtf}) to
     * {@code <dir>/<name>.o}.
     */
    static Path compile(Path dir, String name, String source, boolean withBtf, String... flags)
            throws IOException, EbpfBuildException {
        Files.createDirectories(dir);
        Path c = Files.writeString(dir.resolve(name + ".c"), source);
        Path object = dir.resolve(name + ".o");
        Path clang = new ClangLocator(ExecutableSearch.ofEnvironment()).locate(Optional.empty(), dir);
        List<String> command = new ArrayList<>(List.of(clang.toString(), "-target", "bpf", "-O2", "-c"));
        if (withBtf) {
            command.add("-g");
        }
        command.addAll(List.of(flags));
        command.addAll(List.of(c.toString(), "-o", object.toString()));
        ProcessRunner.Result result = new ProcessRunner().run(command, dir);
        assertTrue(result.succeeded(), result.output());
        return object;
    }

    /** BTF describing a kernel whose {@code struct task_struct} is {@code { int pid; char comm[16]; }}. */
    static Path kernelObject(Path dir, String name) throws IOException, EbpfBuildException {
        return compile(dir, name, """
                struct task_struct { int pid; char comm[16]; };
                struct task_struct *current_task;
                """, true);
    }
}

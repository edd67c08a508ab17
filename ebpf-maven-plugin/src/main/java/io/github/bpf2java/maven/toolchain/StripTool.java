package io.github.bpf2java.maven.toolchain;

import java.nio.file.Path;
import java.util.List;

/**
 * The tool that removes DWARF from a compiled object while keeping {@code .BTF} and {@code .BTF.ext}: llvm-strip
 * ({@code -g}) or llvm-objcopy ({@code --strip-debug}).
 *
 * @param executable  the tool as found
 * @param objcopy     whether it is llvm-objcopy rather than llvm-strip
 */
public record StripTool(Path executable, boolean objcopy) {

    /** The command that writes a copy of {@code input} without debug sections to {@code output}. */
    public List<String> command(Path input, Path output) {
        return objcopy
                ? List.of(executable.toString(), "--strip-debug", input.toString(), output.toString())
                : List.of(executable.toString(), "-g", input.toString(), "-o", output.toString());
    }
}

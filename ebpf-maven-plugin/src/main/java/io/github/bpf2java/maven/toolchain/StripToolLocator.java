package io.github.bpf2java.maven.toolchain;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the llvm-strip (or llvm-objcopy) that belongs to the clang in use: first llvm-strip, then llvm-objcopy beside
 * clang's real executable (e.g. {@code /usr/lib/llvm-19/bin}, or the Maven clang's {@code bin}), then
 * {@code llvm-strip-<major>} on {@code PATH}, then plain {@code llvm-strip}; the same for llvm-objcopy after that.
 */
public final class StripToolLocator {
    private final ExecutableSearch search;

    public StripToolLocator(ExecutableSearch search) {
        this.search = search;
    }

    /**
     * The strip tool for {@code clang} (its real path) of major version {@code major}.
     *
     * @throws EbpfBuildException listing what was tried
     */
    public StripTool locate(Path clangRealPath, int major) throws EbpfBuildException {
        Set<String> tried = new LinkedHashSet<>();
        Path parent = clangRealPath.getParent();
        if (parent != null) {
            // The tools installed with clang first, so that a clang that comes with its own (the Maven clang has
            // llvm-objcopy only) never mixes with whatever LLVM is on PATH.
            for (String tool : List.of("llvm-strip", "llvm-objcopy")) {
                Path sibling = parent.resolve(tool);
                tried.add(sibling.toString());
                if (ExecutableSearch.isExecutable(sibling)) {
                    return new StripTool(sibling, tool.equals("llvm-objcopy"));
                }
            }
        }
        for (String tool : List.of("llvm-strip", "llvm-objcopy")) {
            for (String name : List.of(tool + "-" + major, tool)) {
                tried.add(name);
                Optional<Path> found = search.find(name);
                if (found.isPresent()) {
                    return new StripTool(found.get(), tool.equals("llvm-objcopy"));
                }
            }
        }
        List<String> dirs = new ArrayList<>();
        search.directories().forEach(d -> dirs.add(d.toString()));
        throw new EbpfBuildException("Cannot find llvm-strip or llvm-objcopy to remove DWARF from the eBPF objects;"
                + " tried " + String.join(", ", tried) + " (PATH: " + String.join(", ", dirs) + ").\n"
                + "  Fix: install LLVM (e.g. 'apt-get install llvm'), or set <strip>false</strip> (-Debpf.strip=false)"
                + " to keep the debug information in the objects.");
    }
}

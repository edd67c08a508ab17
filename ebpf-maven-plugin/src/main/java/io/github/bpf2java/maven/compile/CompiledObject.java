package io.github.bpf2java.maven.compile;

import java.nio.file.Path;
import java.util.List;

/**
 * A successfully compiled (and stripped) object, still in the build's scratch directory.
 *
 * @param task         what was compiled
 * @param object       the object file
 * @param dependencies every file clang read for it (the source, headers), from {@code -MD}
 * @param diagnostics  warnings clang printed, empty when none
 */
public record CompiledObject(CompileTask task, Path object, List<Path> dependencies, String diagnostics) {

    public CompiledObject {
        dependencies = List.copyOf(dependencies);
    }
}

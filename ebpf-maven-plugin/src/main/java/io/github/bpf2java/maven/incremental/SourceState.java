package io.github.bpf2java.maven.incremental;

import java.nio.file.Path;
import java.util.List;

/**
 * What the last successful build recorded about one source.
 *
 * @param relativePath the source, relative to the source directory
 * @param inputs       the digest over every file it was built from (see {@link InputDigests})
 * @param dependencies those files: the source and every header clang read, sorted
 * @param outputs      the files produced for it: objects and the generated class
 */
public record SourceState(String relativePath, Digest inputs, List<Path> dependencies, List<Path> outputs) {

    public SourceState {
        dependencies = List.copyOf(dependencies);
        outputs = List.copyOf(outputs);
    }
}

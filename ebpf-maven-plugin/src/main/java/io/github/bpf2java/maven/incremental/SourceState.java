package io.github.bpf2java.maven.incremental;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the last successful build recorded about one source.
 *
 * @param relativePath the source, relative to the source directory
 * @param dependencies every file it was built from (the source and every header clang read) with its digest
 * @param outputs      the files produced for it: objects and the generated class
 */
public record SourceState(String relativePath, Map<Path, Digest> dependencies, List<Path> outputs) {

    public SourceState {
        dependencies = new TreeMap<>(dependencies);
        outputs = List.copyOf(outputs);
    }

    /** Records {@code files} with their current digests. */
    public static SourceState of(String relativePath, List<Path> files, List<Path> outputs, FileDigester digester)
            throws IOException {
        Map<Path, Digest> dependencies = new TreeMap<>();
        for (Path file : files) {
            Optional<Digest> digest = digester.digest(file);
            if (digest.isPresent()) {
                dependencies.put(file, digest.get());
            }
        }
        return new SourceState(relativePath, dependencies, outputs);
    }

    @Override
    public Map<Path, Digest> dependencies() {
        return Collections.unmodifiableMap(dependencies);
    }

    /** Whether every dependency still has the recorded digest (a missing file counts as changed). */
    public boolean unchanged(FileDigester digester) throws IOException {
        for (Map.Entry<Path, Digest> dependency : dependencies.entrySet()) {
            Optional<Digest> now = digester.digest(dependency.getKey());
            // Compares the hex strings: a record's equals would bootstrap java.lang.runtime.ObjectMethods, which
            // costs more than the whole up-to-date check in a fresh class loader.
            if (now.isEmpty() || !now.get().hex().equals(dependency.getValue().hex())) {
                return false;
            }
        }
        return true;
    }
}

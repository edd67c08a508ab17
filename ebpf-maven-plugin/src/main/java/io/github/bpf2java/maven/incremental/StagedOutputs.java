package io.github.bpf2java.maven.incremental;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Outputs compiled and generated but not yet in place.
 *
 * @param scratch the scratch directory holding them, deleted once they are moved
 * @param built   the new state of each rebuilt source, by relative path
 * @param files   each staged file, by its final location
 */
public record StagedOutputs(Optional<Path> scratch, Map<String, SourceState> built, Map<Path, Path> files) {

    public StagedOutputs {
        built = new TreeMap<>(built);
        files = new TreeMap<>(files);
    }

    /** Nothing staged (only deletions to do). */
    public static StagedOutputs none() {
        return new StagedOutputs(Optional.empty(), Map.of(), Map.of());
    }
}

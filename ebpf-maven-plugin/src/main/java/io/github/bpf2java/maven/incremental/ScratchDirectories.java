package io.github.bpf2java.maven.incremental;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The {@code work-*} directories under the cache where a build stages its outputs. */
public final class ScratchDirectories {
    private static final String PREFIX = "work-";

    private ScratchDirectories() {}

    /** A new, unique scratch directory path under {@code cache} (not yet created). */
    public static Path newIn(Path cache) {
        return cache.resolve(PREFIX + Long.toHexString(System.nanoTime()));
    }

    /** Deletes the scratch directories of builds that failed or were killed. */
    public static void deleteLeftovers(Path cache) throws IOException {
        if (!Files.isDirectory(cache)) {
            return;
        }
        try (Stream<Path> entries = Files.list(cache)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                deleteTree(entry);
            }
        }
    }

    /** Deletes {@code root} and everything below it, if it exists. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

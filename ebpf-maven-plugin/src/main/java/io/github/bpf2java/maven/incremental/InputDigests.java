package io.github.bpf2java.maven.incremental;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Combines the digests of a set of files (path and content) into one; a missing file counts as such. */
public final class InputDigests {

    private InputDigests() {}

    /** The digest over {@code files}, in sorted order, each as path and content digest. */
    public static Digest of(Collection<Path> files, FileDigester digester) throws IOException {
        Digest.Builder builder = new Digest.Builder();
        for (Path file : files.stream().sorted().toList()) {
            Optional<Digest> digest = digester.digest(file);
            builder.add(file.toString()).add(digest.map(Digest::hex).orElse("<missing>"));
        }
        return builder.build();
    }

    /** The sorted, duplicate-free form in which dependencies are recorded. */
    public static List<Path> normalize(Collection<Path> files) {
        return files.stream().distinct().sorted().toList();
    }
}

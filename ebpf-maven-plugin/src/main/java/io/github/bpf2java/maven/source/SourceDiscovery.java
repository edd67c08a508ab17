package io.github.bpf2java.maven.source;

import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.naming.JavaNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds the C sources to compile: regular files below the source directory that match an include and no exclude
 * pattern, sorted by relative path so everything downstream is deterministic.
 */
public final class SourceDiscovery {
    private final List<GlobPattern> includes;
    private final List<GlobPattern> excludes;

    public SourceDiscovery(List<String> includes, List<String> excludes) {
        this.includes = (includes.isEmpty() ? List.of("**/*.c") : includes).stream().map(GlobPattern::of).toList();
        this.excludes = excludes.stream().map(GlobPattern::of).toList();
    }

    /**
     * The sources below {@code directory}; empty when it does not exist.
     *
     * @throws EbpfBuildException when two files would generate the same class
     */
    public List<BpfSource> discover(Path directory) throws EbpfBuildException, IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<BpfSource> sources = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.filter(Files::isRegularFile).forEach(file -> {
                String relative = directory.relativize(file).toString().replace('\\', '/');
                if (includes.stream().anyMatch(p -> p.matches(relative))
                        && excludes.stream().noneMatch(p -> p.matches(relative))) {
                    String fileName = file.getFileName().toString();
                    int dot = fileName.lastIndexOf('.');
                    String base = dot > 0 ? fileName.substring(0, dot) : fileName;
                    sources.add(new BpfSource(file.toAbsolutePath(), relative, base, JavaNames.objectClassName(base)));
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        sources.sort(Comparator.comparing(BpfSource::relativePath));
        checkUnique(sources);
        return List.copyOf(sources);
    }

    private static void checkUnique(List<BpfSource> sources) throws EbpfBuildException {
        Map<String, BpfSource> byClass = new HashMap<>();
        Map<String, BpfSource> byObject = new HashMap<>();
        for (BpfSource source : sources) {
            BpfSource other = byClass.putIfAbsent(source.className(), source);
            if (other != null) {
                throw new EbpfBuildException("eBPF sources " + other.relativePath() + " and " + source.relativePath()
                        + " would both generate the class " + source.className()
                        + ". Rename one of them, or exclude one with <excludes>.");
            }
            other = byObject.putIfAbsent(source.baseName(), source);
            if (other != null) {
                throw new EbpfBuildException("eBPF sources " + other.relativePath() + " and " + source.relativePath()
                        + " would both produce the object " + source.baseName()
                        + "_<target>.o. Rename one of them, or exclude one with <excludes>.");
            }
        }
    }
}

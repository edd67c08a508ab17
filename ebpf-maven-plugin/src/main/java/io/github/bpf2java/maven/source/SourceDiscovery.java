package io.github.bpf2java.maven.source;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.naming.JavaNames;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds the C sources to compile: regular files below the source directory that match an include and no exclude
 * pattern, sorted by relative path so everything downstream is deterministic.
 *
 * <p>Symbolic links are followed, to files and to directories, as Maven's own source scanning does: a directory of
 * shared sources linked into the source directory is compiled like one copied there. A link that leads back to a
 * directory being walked (a loop) is not followed, and a link matching the patterns that leads nowhere (missing
 * target, or a loop of links) is skipped; both with a warning, so that a source never disappears silently.
 */
public final class SourceDiscovery {
    private final List<GlobPattern> includes;
    private final List<GlobPattern> excludes;

    public SourceDiscovery(List<String> includes, List<String> excludes) {
        this.includes = (includes.isEmpty() ? List.of("**/*.c") : includes).stream().map(GlobPattern::of).toList();
        this.excludes = excludes.stream().map(GlobPattern::of).toList();
    }

    /**
     * The sources below {@code directory}; empty when it does not exist. Whether their names clash is not checked
     * here: a source linked into an {@code <objects>} entry generates no class of its own, so only the build units
     * can tell ({@link #requireDistinctNames}).
     *
     * @param log where skipped links are reported
     */
    public List<BpfSource> discover(Path directory, BuildLog log) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<BpfSource> sources = new ArrayList<>();
        Files.walkFileTree(directory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        String relative = relative(directory, file);
                        if (!selected(relative)) {
                            return FileVisitResult.CONTINUE;
                        }
                        if (attributes.isRegularFile()) {
                            sources.add(source(file, relative));
                        } else if (attributes.isSymbolicLink()) {
                            // With FOLLOW_LINKS, a link is reported as a link only when it could not be followed.
                            log.warn("Skipping eBPF source " + relative + ": " + brokenLink(file));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            log.warn("Not following the symbolic link " + relative(directory, file) + " in "
                                    + directory + ": it leads back to a directory that contains it (a loop)");
                            return FileVisitResult.CONTINUE;
                        }
                        throw e;
                    }
                });
        sources.sort(Comparator.comparing(BpfSource::relativePath));
        return List.copyOf(sources);
    }

    private boolean selected(String relative) {
        return includes.stream().anyMatch(p -> p.matches(relative))
                && excludes.stream().noneMatch(p -> p.matches(relative));
    }

    private static String relative(Path directory, Path file) {
        return directory.relativize(file).toString().replace('\\', '/');
    }

    /**
     * The source's names. The object is named as libbpf names it, the file name up to its first dot
     * ({@code runqlat.bpf.c} → {@code runqlat}), so the kernel shows its data maps as {@code runqlat.rodata}, not
     * {@code runqlat..rodata}. The class keeps every part but the extension, as bpftool's skeleton
     * ({@code runqlat_bpf}) does: {@code RunqlatBpf}, distinct from a {@code runqlat.c}'s {@code Runqlat}.
     */
    private static BpfSource source(Path file, String relative) {
        String fileName = file.getFileName().toString();
        int extension = fileName.lastIndexOf('.');
        String stem = extension > 0 ? fileName.substring(0, extension) : fileName;
        int firstDot = stem.indexOf('.');
        String objectName = firstDot > 0 ? stem.substring(0, firstDot) : stem;
        return new BpfSource(file.toAbsolutePath(), relative, objectName, JavaNames.objectClassName(stem));
    }

    /** Why a symbolic link could not be followed, for the warning: a loop of links, or a missing target. */
    private static String brokenLink(Path link) {
        String target = "?";
        try {
            target = Files.readSymbolicLink(link).toString();
            Set<Path> seen = new HashSet<>();
            Path current = link;
            while (Files.isSymbolicLink(current)) {
                if (!seen.add(current.toAbsolutePath().normalize())) {
                    return "the symbolic link (to " + target + ") is part of a loop of links";
                }
                current = current.resolveSibling(Files.readSymbolicLink(current));
            }
        } catch (IOException e) {
            // An unreadable link: say where it points, as far as known.
        }
        return "the symbolic link points to " + target + ", which does not exist";
    }

    /**
     * Fails when two of {@code units} (the sources built on their own, and linked objects) would generate the same
     * class or the same object files.
     *
     * @throws EbpfBuildException naming both, and how to fix it
     */
    public static void requireDistinctNames(List<BpfSource> units) throws EbpfBuildException {
        Map<String, BpfSource> byClass = new HashMap<>();
        Map<String, BpfSource> byObject = new HashMap<>();
        for (BpfSource source : units) {
            // Keyed without case: Standalone.java and StandAlone.java cannot both exist on macOS's and Windows'
            // default file systems, so a project that builds on Linux would not build there.
            BpfSource other = byClass.putIfAbsent(source.className().toLowerCase(Locale.ROOT), source);
            if (other != null) {
                throw new EbpfBuildException("eBPF sources " + other.relativePath() + " and " + source.relativePath()
                        + " would both generate the class " + source.className()
                        + (other.className().equals(source.className()) ? ""
                                : " (as " + other.className() + " and " + source.className() + ", names that differ"
                                        + " only in case, which case-insensitive file systems such as macOS's and"
                                        + " Windows' default ones take for one file)")
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

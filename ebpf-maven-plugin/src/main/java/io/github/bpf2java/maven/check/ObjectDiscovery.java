package io.github.bpf2java.maven.check;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.source.GlobPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and reads the objects {@code ebpf:generate} put in its resource output directory
 * ({@code <package path>/<base>_<target>.o}), filtered by include and exclude patterns over their paths below it.
 */
public final class ObjectDiscovery {
    private final List<GlobPattern> includes;
    private final List<GlobPattern> excludes;

    /**
     * @param includes patterns of the objects to check, e.g. <code>**&#47;*_bpfel.o</code>; empty means every
     *     {@code .o}
     * @param excludes patterns of objects not to check
     */
    public ObjectDiscovery(List<String> includes, List<String> excludes) {
        this.includes = (includes.isEmpty() ? List.of("**/*.o") : includes).stream().map(GlobPattern::of).toList();
        this.excludes = excludes.stream().map(GlobPattern::of).toList();
    }

    /**
     * The objects below {@code directory}, sorted by path; none when the directory does not exist.
     *
     * @throws EbpfBuildException when an object cannot be read or parsed
     */
    public List<BuiltObject> discover(Path directory) throws EbpfBuildException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".o"))
                    .filter(f -> selected(relativeName(directory, f))).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new EbpfBuildException("Cannot list the eBPF objects in " + directory + ": " + e.getMessage(), e);
        }
        List<BuiltObject> objects = new ArrayList<>();
        for (Path file : files) {
            String name = relativeName(directory, file);
            String base = file.getFileName().toString();
            try {
                objects.add(new BuiltObject(name, ObjectSpec.read(base.substring(0, base.length() - 2),
                        Files.readAllBytes(file))));
            } catch (IOException e) {
                throw new EbpfBuildException("Cannot read eBPF object " + file + ": " + e.getMessage(), e);
            } catch (BpfException e) {
                throw new EbpfBuildException("eBPF object " + file + " cannot be parsed: " + e.getMessage()
                        + ". Rebuild it with ebpf:generate (e.g. mvn clean verify).", e);
            }
        }
        return objects;
    }

    private boolean selected(String name) {
        return includes.stream().anyMatch(p -> p.matches(name)) && excludes.stream().noneMatch(p -> p.matches(name));
    }

    private static String relativeName(Path directory, Path file) {
        Path relative = directory.relativize(file);
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}

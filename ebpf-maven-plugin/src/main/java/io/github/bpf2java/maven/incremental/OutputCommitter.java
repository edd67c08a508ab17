package io.github.bpf2java.maven.incremental;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Puts staged outputs into place and removes obsolete ones. Before touching any output it rewrites the state as
 * {@link BuildState#INCOMPLETE}, listing old and new outputs, so a build killed in the middle makes the next one
 * rebuild everything and delete whatever this one may have left.
 */
public final class OutputCommitter {
    private final Path stateFile;
    private final ResourceCopies copies;

    /**
     * @param copies where another build step copies outputs to; a copy goes when its output does
     */
    public OutputCommitter(Path stateFile, ResourceCopies copies) {
        this.stateFile = stateFile;
        this.copies = copies;
    }

    /**
     * Where Maven's resources step copies the objects: from the resource output directory into the classes
     * directory, which it never cleans. An object deleted here must go there too, or a deleted source's object
     * stays in the jar. Directories a deletion empties go too, up to these roots: after a package change the old
     * package's empty directories would otherwise stay, and land in the jar as entries a clean build lacks.
     *
     * @param resources the directory the objects are written to
     * @param classes   the directory they are copied to, or null when nothing copies them
     * @param sources   the directory the Java sources are generated into
     */
    public record ResourceCopies(Path resources, Path classes, Path sources) {
        /**
         * Deletes {@code output} and its copy, when it has one, and the directories that leaves empty. A generated
         * Java source takes its compiled classes along (its own and its nested ones'): they are this build's
         * output as much as the source, and the compiler, which would remove them later, leaves their package
         * directory behind.
         */
        public void delete(Path output) throws IOException {
            deleteAndPrune(output);
            if (classes != null && output.startsWith(resources)) {
                deleteAndPrune(classes.resolve(resources.relativize(output)));
            }
            String name = output.getFileName().toString();
            if (classes != null && sources != null && output.startsWith(sources) && name.endsWith(".java")) {
                Path compiled = classes.resolve(sources.relativize(output)).getParent();
                String stem = name.substring(0, name.length() - ".java".length());
                if (compiled != null && Files.isDirectory(compiled)) {
                    List<Path> classFiles = new ArrayList<>();
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(compiled,
                            f -> f.getFileName().toString().equals(stem + ".class")
                                    || f.getFileName().toString().startsWith(stem + "$"))) {
                        entries.forEach(classFiles::add);
                    }
                    for (Path classFile : classFiles) {
                        deleteAndPrune(classFile);
                    }
                }
            }
        }

        private void deleteAndPrune(Path file) throws IOException {
            Files.deleteIfExists(file);
            Path root = file.startsWith(resources) ? resources : classes != null && file.startsWith(classes) ? classes
                    : sources != null && file.startsWith(sources) ? sources : null;
            for (Path dir = file.getParent(); root != null && dir != null && dir.startsWith(root) && !dir.equals(root);
                    dir = dir.getParent()) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                    if (entries.iterator().hasNext()) {
                        return;
                    }
                } catch (NoSuchFileException gone) {
                    continue;
                }
                Files.deleteIfExists(dir);
            }
        }
    }

    /**
     * Moves {@code staged} into place; an output whose bytes did not change keeps its file (and time).
     *
     * @param previous          the state before this build
     * @param sameConfiguration whether the configuration is unchanged (else every old output is obsolete)
     * @param removed           sources that no longer exist
     */
    public void commit(BuildState previous, boolean sameConfiguration, StagedOutputs staged,
            Collection<String> removed) throws IOException {
        Map<String, SourceState> built = staged.built();
        Map<String, SourceState> transitional = new TreeMap<>(previous.sources());
        built.forEach((name, state) -> transitional.merge(name, state, (old, neu) -> {
            List<Path> union = new ArrayList<>(old.outputs());
            neu.outputs().stream().filter(p -> !union.contains(p)).forEach(union::add);
            return new SourceState(name, neu.dependencies(), union);
        }));
        new BuildState(BuildState.INCOMPLETE, previous.toolVersions(), Map.of(), transitional).write(stateFile);

        Set<Path> produced = new HashSet<>();
        built.values().forEach(s -> produced.addAll(s.outputs()));
        for (SourceState old : previous.sources().values()) {
            if (removed.contains(old.relativePath()) || !sameConfiguration
                    || built.containsKey(old.relativePath())) {
                for (Path output : old.outputs()) {
                    if (!produced.contains(output)) {
                        copies.delete(output);
                    }
                }
            }
        }
        for (Map.Entry<Path, Path> file : staged.files().entrySet()) {
            Path target = file.getKey();
            if (Files.isRegularFile(target) && Files.mismatch(file.getValue(), target) == -1) {
                // The same bytes as before (a changed comment or header that changes nothing compiled): left as
                // it is, so its time says unchanged and javac and the resources copy have nothing to redo.
                continue;
            }
            Files.createDirectories(target.getParent());
            Files.move(file.getValue(), target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        if (staged.scratch().isPresent()) {
            ScratchDirectories.deleteTree(staged.scratch().get());
        }
    }
}

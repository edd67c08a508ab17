package io.github.bpf2java.maven.toolchain;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Looks for executables in the directories of a {@code PATH} value, first directory first. */
public final class ExecutableSearch {
    private final List<Path> directories;

    public ExecutableSearch(String pathVariable) {
        List<Path> dirs = new ArrayList<>();
        if (pathVariable != null) {
            for (String entry : pathVariable.split(File.pathSeparator)) {
                if (entry.isEmpty()) {
                    continue;
                }
                try {
                    dirs.add(Path.of(entry));
                } catch (InvalidPathException e) {
                    // An unusable PATH entry cannot hold a tool; skip it like a shell would.
                }
            }
        }
        this.directories = List.copyOf(dirs);
    }

    /** A search over this process's {@code PATH}. */
    public static ExecutableSearch ofEnvironment() {
        return new ExecutableSearch(System.getenv("PATH"));
    }

    /** The searched directories, for error messages. */
    public List<Path> directories() {
        return directories;
    }

    /** The first executable file called {@code name}. */
    public Optional<Path> find(String name) {
        for (Path dir : directories) {
            Path candidate = dir.resolve(name);
            if (isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Every executable whose name matches {@code namePattern}, in PATH order, the first of each name only. */
    public List<Path> findMatching(Pattern namePattern) {
        List<Path> found = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    String name = entry.getFileName().toString();
                    if (namePattern.matcher(name).matches() && !seen.contains(name) && isExecutable(entry)) {
                        seen.add(name);
                        found.add(entry);
                    }
                }
            } catch (IOException e) {
                // An unreadable directory cannot hold a usable tool.
            }
        }
        return found;
    }

    static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}

package io.github.bpf2java.maven.toolchain;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds the clang to use. A configured value containing a {@code /} is a path (relative to the project directory);
 * any other configured value is a name looked up on {@code PATH}. Without one: {@code clang} on {@code PATH}, then
 * the versioned {@code clang-NN} on {@code PATH}, newest first.
 */
public final class ClangLocator {
    private static final Pattern VERSIONED = Pattern.compile("clang-(\\d+)");

    private final ExecutableSearch search;

    public ClangLocator(ExecutableSearch search) {
        this.search = search;
    }

    /**
     * The clang executable.
     *
     * @param configured  the {@code clang} parameter, empty for the default search
     * @param projectDirectory what a relative path is relative to
     * @throws EbpfBuildException saying what was searched and how to fix it
     */
    public Path locate(Optional<String> configured, Path projectDirectory) throws EbpfBuildException {
        if (configured.isPresent() && !configured.get().isBlank()) {
            String value = configured.get().trim();
            if (value.contains("/")) {
                Path path = projectDirectory.resolve(value);
                if (ExecutableSearch.isExecutable(path)) {
                    return path;
                }
                throw notFound("the configured clang " + path + " is not an executable file", List.of(), "");
            }
            Optional<Path> found = search.find(value);
            if (found.isPresent()) {
                return found.get();
            }
            // Say which clangs there are: the configured one is often a version that is not installed.
            List<String> installed = new ArrayList<>();
            search.find("clang").ifPresent(p -> installed.add("clang"));
            versionedNewestFirst().stream().map(p -> p.getFileName().toString()).distinct().forEach(installed::add);
            throw notFound("no executable '" + value + "' (the configured <clang>)", search.directories(),
                    installed.isEmpty() ? "" : "; there are " + String.join(", ", installed));
        }
        Optional<Path> plain = search.find("clang");
        if (plain.isPresent()) {
            return plain.get();
        }
        List<Path> versioned = versionedNewestFirst();
        if (!versioned.isEmpty()) {
            return versioned.get(0);
        }
        throw notFound("no executable 'clang' or 'clang-NN'", search.directories(), "");
    }

    /** The {@code clang-NN} executables on the search path, the newest version first. */
    private List<Path> versionedNewestFirst() {
        List<Path> versioned = new ArrayList<>(search.findMatching(VERSIONED));
        versioned.sort(Comparator.comparingInt(ClangLocator::majorOf).reversed());
        return versioned;
    }

    private static int majorOf(Path versioned) {
        Matcher m = VERSIONED.matcher(versioned.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** @param found what the search did find instead, to follow the directories; empty for nothing */
    private static EbpfBuildException notFound(String what, List<Path> searched, String found) {
        StringBuilder message = new StringBuilder("Cannot find clang to compile the eBPF sources: ").append(what);
        if (!searched.isEmpty()) {
            message.append(" in the PATH directories ")
                    .append(searched.stream().map(Path::toString).collect(Collectors.joining(", ")));
        } else if (!what.contains("configured")) {
            message.append(" (PATH is empty)");
        }
        message.append(found);
        message.append(".\n  Fix: install clang (e.g. 'apt-get install clang'), or point the plugin at it with")
                .append(" -Debpf.clang=/path/to/clang or <clang>/path/to/clang</clang>.");
        return new EbpfBuildException(message.toString());
    }
}

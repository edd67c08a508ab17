package io.github.bpf2java.maven.incremental;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the last build left for the next one, in {@code target/ebpf-cache/state}: the configuration, the tools'
 * versions, a stat cache, and per source its dependencies (with digests) and outputs. A line-based text file; a file
 * that cannot be read as one is treated as absent (a full rebuild), never as an error. Nothing in it needs hashing to
 * be checked, so an up-to-date build computes no digest at all.
 *
 * @param configuration every parameter and tool that affects the outputs, as one canonical text; {@link #INCOMPLETE}
 *                      while a build is moving outputs into place
 * @param toolVersions  {@code --version} output by tool identity key
 * @param statCache     size and time → digest, by absolute path
 * @param sources       by relative path
 */
public record BuildState(
        String configuration,
        Map<String, String> toolVersions,
        Map<Path, FileDigester.Stat> statCache,
        Map<String, SourceState> sources) {

    /** The configuration of a build that did not finish: nothing it lists counts as up to date. */
    public static final String INCOMPLETE = "<incomplete>";

    private static final String HEADER = "bpf2java-build-state 1";

    public BuildState {
        toolVersions = Map.copyOf(toolVersions);
        statCache = Map.copyOf(statCache);
        sources = Map.copyOf(sources);
    }

    /** The state of a project never built. */
    public static BuildState empty() {
        return new BuildState(INCOMPLETE, Map.of(), Map.of(), Map.of());
    }

    /** Reads the state file; {@link #empty()} when it is missing or unreadable. */
    public static BuildState read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return empty();
        } catch (IOException e) {
            return empty();
        }
        try {
            return parse(lines).orElseGet(BuildState::empty);
        } catch (RuntimeException e) {
            // A damaged file (killed writer, hand edits) only costs a full rebuild.
            return empty();
        }
    }

    private static Optional<BuildState> parse(List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return Optional.empty();
        }
        String config = INCOMPLETE;
        Map<String, String> tools = new LinkedHashMap<>();
        Map<Path, FileDigester.Stat> stats = new LinkedHashMap<>();
        Map<String, SourceState> sources = new LinkedHashMap<>();
        String source = null;
        Map<Path, Digest> deps = new TreeMap<>();
        List<Path> outputs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "config" -> config = unescape(f[1]);
                case "tool" -> tools.put(f[1], new String(Base64.getDecoder().decode(f[2]), StandardCharsets.UTF_8));
                case "stat" -> stats.put(Path.of(unescape(f[4])),
                        new FileDigester.Stat(Long.parseLong(f[1]), Long.parseLong(f[2]), new Digest(f[3])));
                case "source" -> {
                    if (source != null) {
                        sources.put(source, new SourceState(source, deps, outputs));
                    }
                    source = unescape(f[1]);
                    deps = new TreeMap<>();
                    outputs = new ArrayList<>();
                }
                case "dep" -> deps.put(Path.of(unescape(f[2])), new Digest(f[1]));
                case "output" -> outputs.add(Path.of(unescape(f[1])));
                case "end" -> {
                    if (source != null) {
                        sources.put(source, new SourceState(source, deps, outputs));
                    }
                    return Optional.of(new BuildState(config, tools, stats, sources));
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        // No "end" line: the writer did not finish.
        return Optional.empty();
    }

    /** Writes the state file atomically (a temp file moved over the old one). */
    public void write(Path file) throws IOException {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        out.append("config\t").append(escape(configuration)).append('\n');
        new TreeMap<>(toolVersions).forEach((key, version) -> out.append("tool\t").append(key).append('\t')
                .append(Base64.getEncoder().encodeToString(version.getBytes(StandardCharsets.UTF_8))).append('\n'));
        new TreeMap<>(statCache).forEach((path, stat) -> out.append("stat\t").append(stat.size()).append('\t')
                .append(stat.modifiedNanos()).append('\t').append(stat.digest().hex()).append('\t')
                .append(escape(path.toString())).append('\n'));
        new TreeMap<>(sources).forEach((name, state) -> {
            out.append("source\t").append(escape(name)).append('\n');
            state.dependencies().forEach((path, digest) -> out.append("dep\t").append(digest.hex()).append('\t')
                    .append(escape(path.toString())).append('\n'));
            state.outputs().forEach(o -> out.append("output\t").append(escape(o.toString())).append('\n'));
        });
        out.append("end\n");
        Files.createDirectories(file.getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, out, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A field on one line: backslash, tab and newline escaped (paths may contain any of them). */
    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Every output any source of this state produced. */
    public List<Path> allOutputs() {
        List<Path> all = new ArrayList<>();
        new TreeMap<>(sources).values().forEach(s -> all.addAll(s.outputs()));
        return all;
    }
}

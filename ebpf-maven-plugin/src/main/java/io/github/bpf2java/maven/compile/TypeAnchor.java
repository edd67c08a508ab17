package io.github.bpf2java.maven.compile;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.maven.elf.ElfSectionTable;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the types named in {@code <types>} that a source defines, but that its object's BTF lacks, into the BTF,
 * without a change to the source. clang writes only the types that globals, maps and function signatures reach;
 * a {@code struct event} used only as a local variable or through {@code bpf_ringbuf_reserve()} is left out.
 *
 * <p>Two clang runs, only for an object that lacks a named type. First a syntax check of a wrapper that includes the
 * source and then, one per line, a declaration of each missing name as each kind ({@code struct N}, {@code union N},
 * {@code enum N}, the typedef {@code N}), each in a function of its own so that no probe declares a tag for the next:
 * a line clang finds no error on tells that the source defines the name as that kind. Then the wrapper is compiled
 * instead of the source, with one unused static function whose parameters point to the found types: clang then
 * writes their full definitions into the BTF. The function is in {@code .text} and nothing calls it, so loaders
 * (this runtime's, libbpf) load no code of it, and it adds no map, variable or program.
 *
 * <p>Wrappers live in a directory of the build's own cache, one per source and target, at a path that does not
 * change between builds: the path is recorded in the object, which stays the same bytes build after build.
 */
public final class TypeAnchor {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern ERROR = Pattern.compile("(?m)^(?:.*: )?(?:fatal )?error: ");
    // The kinds in the order the generator looks a name up in, so the anchored kind is the one it finds.
    private static final List<String> KINDS = List.of("struct ", "union ", "enum ", "");

    private final List<String> names;
    private final Path directory;
    private final CompilerSettings settings;
    private final ProcessRunner runner;

    /**
     * @param names     the names of {@code <types>}
     * @param directory where wrappers are written, below the build's cache
     */
    public TypeAnchor(List<String> names, Path directory, CompilerSettings settings, ProcessRunner runner) {
        this.names = List.copyOf(names);
        this.directory = directory;
        this.settings = settings;
        this.runner = runner;
    }

    /** A found type, as C spells it: {@code struct event}, {@code enum color}, {@code pair_t}. */
    public record CType(String name, String spelling) {}

    /**
     * The names that are not a struct, union, enum or typedef in {@code object}'s BTF. An object without readable
     * BTF counts as having them all: the build reports that object's problem elsewhere, not here.
     */
    public List<String> missingFrom(Path object) throws IOException {
        if (names.isEmpty()) {
            return List.of();
        }
        Set<String> present = new TreeSet<>();
        try {
            ElfSectionTable elf = ElfSectionTable.read(Files.readAllBytes(object));
            Optional<ElfSectionTable.Section> section = elf.find(".BTF");
            if (section.isEmpty()) {
                return List.of();
            }
            for (BtfType type : Btf.parse(elf.contents(section.get()), elf.order()).types()) {
                if (type instanceof BtfType.Struct || type instanceof BtfType.Union || type instanceof BtfType.Enum
                        || type instanceof BtfType.Typedef) {
                    present.add(type.name());
                }
            }
        } catch (ElfSectionTable.MalformedElfException | ObjectFormatException e) {
            return List.of();
        }
        return names.stream().filter(n -> !present.contains(n)).toList();
    }

    /**
     * Which of {@code missing} the source of {@code task} defines, and as what, from one syntax check with the flags
     * and precompiled header its compile used. Names that are not C identifiers are never found.
     */
    public List<CType> definedIn(CompileTask task, List<String> flags, Optional<Path> pch, List<String> missing)
            throws IOException {
        List<String> probed = missing.stream().filter(n -> IDENTIFIER.matcher(n).matches()).toList();
        if (probed.isEmpty()) {
            return List.of();
        }
        // Line 1 includes the source; probe i (name i / 4, kind i % 4) is on line i + 2.
        StringBuilder text = new StringBuilder(include(task));
        for (int i = 0; i < probed.size() * KINDS.size(); i++) {
            text.append("static void __bpf2java_probe_").append(i).append("(void) { ")
                    .append(KINDS.get(i % KINDS.size())).append(probed.get(i / KINDS.size()))
                    .append(" __bpf2java_t; }\n");
        }
        Path probe = write(task, ".probe.c", text.toString());
        ProcessRunner.Result result;
        try {
            List<String> command = new ArrayList<>(flags);
            pch.ifPresent(p -> command.addAll(List.of("-include-pch", p.toString())));
            // -w: a warning that the user's -Werror makes an error must not hide a defined type.
            command.addAll(List.of("-fsyntax-only", "-w", "-ferror-limit=0", settings.relativeIfInside(probe)));
            result = runner.run(command, settings.projectDirectory());
        } finally {
            Files.deleteIfExists(probe);
        }
        Set<Integer> failedLines = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^(?:.*/)?" + Pattern.quote(probe.getFileName().toString())
                + ":(\\d+):\\d+: error:").matcher(result.output());
        int probeErrors = 0;
        while (m.find()) {
            failedLines.add(Integer.parseInt(m.group(1)));
            probeErrors++;
        }
        // An error anywhere else (in the source, a PCH that does not fit, a fatal one) leaves the probes' verdicts
        // unknown: better no type found, and the build's message, than a type clang was never asked about.
        long allErrors = ERROR.matcher(result.output()).results().count();
        if (allErrors != probeErrors || failedLines.contains(1)) {
            return List.of();
        }
        Map<String, CType> found = new LinkedHashMap<>();
        for (int i = 0; i < probed.size() * KINDS.size(); i++) {
            String name = probed.get(i / KINDS.size());
            if (!failedLines.contains(i + 2) && !found.containsKey(name)) {
                found.put(name, new CType(name, KINDS.get(i % KINDS.size()) + name));
            }
        }
        return List.copyOf(found.values());
    }

    /**
     * Writes the wrapper that compiles the source of {@code task} with {@code types} in its BTF; the caller compiles
     * it in place of the source and then {@link #delete(Path) deletes} it.
     */
    public Path anchorFor(CompileTask task, List<CType> types) throws IOException {
        StringBuilder text = new StringBuilder(include(task));
        // Named for the source: a linked object's members each have one, and function names must differ there.
        text.append("__attribute__((used)) static void __bpf2java_types_")
                .append(task.source().relativePath().replaceAll("[^A-Za-z0-9_]", "_")).append('(');
        for (int i = 0; i < types.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(types.get(i).spelling()).append(" *t").append(i);
        }
        text.append(") {}\n");
        return write(task, "", text.toString());
    }

    /** Removes a wrapper {@link #anchorFor} wrote. */
    public void delete(Path wrapper) throws IOException {
        Files.deleteIfExists(wrapper);
    }

    /**
     * The wrapper's first line. The source by absolute path: its own quoted includes are still looked up next to
     * it, and clang's diagnostics and the BTF line information keep its name and line numbers.
     */
    private static String include(CompileTask task) {
        String path = task.source().file().toAbsolutePath().normalize().toString();
        return "#include \"" + path.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
    }

    /** {@code <directory>/<target>/<source's relative path><suffix>}: one per source and target, build after build. */
    private Path write(CompileTask task, String suffix, String text) throws IOException {
        Path file = directory.resolve(task.target().targetName()).resolve(task.source().relativePath() + suffix);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}

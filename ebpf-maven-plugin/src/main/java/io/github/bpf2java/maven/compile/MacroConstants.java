package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.headers.BundledHeaders;
import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The integer {@code #define}s of a C source, which clang does not put into BTF: the source is preprocessed with
 * {@code clang -dD -E} (with the flags of its first target), which prints each {@code #define} where it occurs,
 * between line markers naming the file. Macros defined in the source file itself are kept, and those of the project's
 * own headers it includes ({@code execsnoop.h} beside {@code execsnoop.c}: a {@code .h} file in the source directory or
 * below); those of other headers (system and kernel headers, include directories outside the source directory,
 * {@code vmlinux*.h}, libbpf's headers wherever they are) and of the command line are not. A later {@code #undef}
 * removes one. A macro becomes a constant when its replacement is an integer literal: decimal, hexadecimal, octal or
 * binary, with {@code u}/{@code l} suffixes, optionally negated and in parentheses ({@code (-12)},
 * {@code 0x1fUL}). Expressions ({@code (1 << 3)}), strings, characters, floating point and function-like macros are
 * left out.
 */
public final class MacroConstants {
    private static final Pattern LINE_MARKER = Pattern.compile("^# \\d+ \"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern DEFINE = Pattern.compile("^#define ([A-Za-z_][A-Za-z0-9_]*)(?:[ \\t]+(.*))?$");
    private static final Pattern UNDEF = Pattern.compile("^#undef ([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern LITERAL = Pattern.compile(
            "(-)?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
    /**
     * Headers in the source directory that are not the project's own: a copy of the kernel's types ({@code
     * vmlinux.h}, libbpf-tools' {@code vmlinux_601.h}) would add thousands of constants nobody asked for.
     */
    private static final Pattern KERNEL_TYPES = Pattern.compile("vmlinux.*\\.h");
    /** An include guard's name, as headers spell them: {@code __EXECSNOOP_H}, {@code BOOTSTRAP_H_}, {@code maps_h}. */
    private static final Pattern INCLUDE_GUARD = Pattern.compile("(?i)_*[a-z0-9_]*_H_*");

    private final CompilerSettings settings;
    private final Path sourceDirectory;
    private final ProcessRunner runner;

    /** @param sourceDirectory the directory of the sources, whose headers' defines count as the sources' own */
    public MacroConstants(CompilerSettings settings, Path sourceDirectory, ProcessRunner runner) {
        this.settings = settings;
        this.sourceDirectory = sourceDirectory.toAbsolutePath().normalize();
        this.runner = runner;
    }

    /**
     * The integer constants {@code source} and the project headers it includes define, in the order the
     * preprocessor meets them (a header's where it is included).
     *
     * @param dependencies the files the source's compilation read (its {@code -MD} list): when neither the source nor
     *                     a project header among them says {@code define}, nothing is preprocessed
     * @param scratch      a directory for the preprocessed text
     * @throws IOException when clang cannot be run or its output read; a preprocessing failure (which the compile
     *                     reports better) gives no constants instead
     */
    public List<DefinedConstant> read(BpfSource source, Target target, List<Path> dependencies, Path scratch)
            throws IOException {
        // A source with no #define of its own or in its headers needs no preprocessing (which reads every header
        // again, vmlinux.h included). Joining continued lines first keeps a "#def\<newline>ine" honest.
        List<Path> texts = new ArrayList<>(List.of(source.file()));
        dependencies.stream().filter(this::isProjectHeader).forEach(texts::add);
        boolean defines = false;
        for (Path file : texts) {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            defines |= text.replace("\\\n", "").replace("\\\r\n", "").contains("define");
        }
        if (!defines) {
            return List.of();
        }
        Files.createDirectories(scratch);
        Path output = Files.createTempFile(scratch, source.baseName(), ".i");
        try {
            String file = settings.relativeIfInside(source.file());
            List<String> command = new ArrayList<>(settings.flags(target));
            command.addAll(List.of("-dD", "-E", file, "-o", output.toString()));
            ProcessRunner.Result result = runner.run(command, settings.projectDirectory());
            if (!result.succeeded()) {
                return List.of();
            }
            try (BufferedReader reader = Files.newBufferedReader(output, StandardCharsets.ISO_8859_1)) {
                return parse(reader, marked -> marked.equals(file) ? Optional.of(source.relativePath())
                        : projectHeader(settings.projectDirectory().resolve(marked)));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** {@code file} relative to the source directory, when it is one of the project's own headers. */
    private Optional<String> projectHeader(Path file) {
        if (!isProjectHeader(file)) {
            return Optional.empty();
        }
        Path relative = sourceDirectory.relativize(file.toAbsolutePath().normalize());
        return Optional.of(relative.toString().replace(File.separatorChar, '/'));
    }

    /**
     * Whether {@code file} is a header of the project: a {@code .h} file in the source directory or below, not a
     * copy of the kernel's types ({@code vmlinux*.h}) nor of libbpf's headers (in a {@code bpf} directory, as
     * {@code #include <bpf/bpf_helpers.h>} finds them, or named like one).
     */
    private boolean isProjectHeader(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!absolute.startsWith(sourceDirectory) || absolute.equals(sourceDirectory)) {
            return false;
        }
        String name = absolute.getFileName().toString();
        if (!name.endsWith(".h") || KERNEL_TYPES.matcher(name).matches() || BundledHeaders.NAMES.contains(name)) {
            return false;
        }
        Path directories = sourceDirectory.relativize(absolute).getParent();
        for (Path directory : directories == null ? List.<Path>of() : directories) {
            if (directory.toString().equals("bpf")) {
                return false;
            }
        }
        return true;
    }

    /**
     * The integer constants in clang's {@code -dD -E} output defined in the files {@code counted} names: it gives
     * the name to record for a file as the line markers spell it, or nothing for a file whose defines do not count.
     */
    static List<DefinedConstant> parse(BufferedReader preprocessed, Function<String, Optional<String>> counted)
            throws IOException {
        Map<String, DefinedConstant> defined = new LinkedHashMap<>();
        Map<String, Optional<String>> names = new HashMap<>();
        Optional<String> current = Optional.empty();
        String line;
        while ((line = preprocessed.readLine()) != null) {
            if (!line.startsWith("#")) {
                continue;
            }
            Matcher marker = LINE_MARKER.matcher(line);
            if (marker.find()) {
                current = names.computeIfAbsent(marker.group(1).replace("\\\\", "\\").replace("\\\"", "\""),
                        counted);
                continue;
            }
            if (current.isEmpty()) {
                continue;
            }
            Matcher define = DEFINE.matcher(line);
            if (define.matches()) {
                String name = define.group(1);
                String text = define.group(2) == null ? "" : define.group(2).strip();
                String file = current.get();
                defined.remove(name);
                if (file.endsWith(".h") && INCLUDE_GUARD.matcher(name).matches()) {
                    continue; // #define EXECSNOOP_H 1 guards the header: no constant of the program's
                }
                integer(text).ifPresent(v -> defined.put(name, new DefinedConstant(name, v,
                        v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE && fitsIntAsWritten(text), text, file)));
                continue;
            }
            Matcher undef = UNDEF.matcher(line);
            if (undef.find()) {
                defined.remove(undef.group(1));
            }
        }
        return List.copyOf(defined.values());
    }

    /** The value of an integer literal, parentheses and a minus sign allowed; empty for anything else. */
    static Optional<Long> integer(String text) {
        String t = text.strip();
        while (t.startsWith("(") && t.endsWith(")")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        Matcher m = LITERAL.matcher(t.replace(" ", ""));
        if (!m.matches()) {
            return Optional.empty();
        }
        String digits = m.group(2);
        BigInteger value;
        String lower = digits.toLowerCase(Locale.ROOT);
        if (lower.startsWith("0x")) {
            value = new BigInteger(digits.substring(2), 16);
        } else if (lower.startsWith("0b")) {
            value = new BigInteger(digits.substring(2), 2);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            value = new BigInteger(digits.substring(1), 8);
        } else {
            value = new BigInteger(digits);
        }
        if (value.compareTo(TWO_TO_64) >= 0) {
            return Optional.empty();
        }
        long bits = value.longValue();
        return Optional.of(m.group(1) != null ? -bits : bits);
    }

    /** Whether a literal within int range is meant as one: not suffixed long, not an unsigned 32-bit pattern. */
    private static boolean fitsIntAsWritten(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return !lower.contains("l");
    }
}

package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.source.BpfSource;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The integer {@code #define}s of a C source, which clang does not put into BTF: the source is preprocessed with
 * {@code clang -dD -E} (with the flags of its first target), which prints each {@code #define} where it occurs,
 * between line markers naming the file. Macros defined in the source file itself are kept, those of headers and of
 * the command line are not; a later {@code #undef} removes one. A macro becomes a constant when its replacement is
 * an integer literal: decimal, hexadecimal, octal or binary, with {@code u}/{@code l} suffixes, optionally negated
 * and in parentheses ({@code (-12)}, {@code 0x1fUL}). Expressions ({@code (1 << 3)}), strings, characters,
 * floating point and function-like macros are left out.
 */
public final class MacroConstants {
    private static final Pattern LINE_MARKER = Pattern.compile("^# \\d+ \"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern DEFINE = Pattern.compile("^#define ([A-Za-z_][A-Za-z0-9_]*)(?:[ \\t]+(.*))?$");
    private static final Pattern UNDEF = Pattern.compile("^#undef ([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern LITERAL = Pattern.compile(
            "(-)?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?");
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final CompilerSettings settings;
    private final ProcessRunner runner;

    public MacroConstants(CompilerSettings settings, ProcessRunner runner) {
        this.settings = settings;
        this.runner = runner;
    }

    /**
     * The integer constants {@code source} defines, in the order of the source.
     *
     * @param scratch a directory for the preprocessed text
     * @throws IOException when clang cannot be run or its output read; a preprocessing failure (which the compile
     *                     reports better) gives no constants instead
     */
    public List<DefinedConstant> read(BpfSource source, Target target, Path scratch) throws IOException {
        // Only the source's own #defines count: a source that has none needs no preprocessing (which reads every
        // header again, vmlinux.h included). Joining continued lines first keeps a "#def\<newline>ine" honest.
        String text = Files.readString(source.file(), StandardCharsets.ISO_8859_1);
        if (!text.replace("\\\n", "").replace("\\\r\n", "").contains("define")) {
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
                return parse(reader, file);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The integer constants defined in {@code file} in clang's {@code -dD -E} output. */
    static List<DefinedConstant> parse(BufferedReader preprocessed, String file) throws IOException {
        Map<String, DefinedConstant> defined = new LinkedHashMap<>();
        String current = "";
        String line;
        while ((line = preprocessed.readLine()) != null) {
            if (!line.startsWith("#")) {
                continue;
            }
            Matcher marker = LINE_MARKER.matcher(line);
            if (marker.find()) {
                current = marker.group(1).replace("\\\\", "\\").replace("\\\"", "\"");
                continue;
            }
            if (!current.equals(file)) {
                continue;
            }
            Matcher define = DEFINE.matcher(line);
            if (define.matches()) {
                String name = define.group(1);
                String text = define.group(2) == null ? "" : define.group(2).strip();
                defined.remove(name);
                integer(text).ifPresent(v -> defined.put(name, new DefinedConstant(name, v,
                        v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE && fitsIntAsWritten(text), text)));
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

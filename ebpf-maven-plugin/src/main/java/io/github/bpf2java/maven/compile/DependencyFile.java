package io.github.bpf2java.maven.compile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the Make-style dependency file clang writes with {@code -MD -MF}: {@code target: dep dep \} lines, with
 * {@code \ } for a space in a name, {@code \#} for {@code #} and {@code $$} for {@code $}.
 */
public final class DependencyFile {

    private DependencyFile() {}

    /**
     * The files the target depends on, in order of first appearance, relative ones resolved against
     * {@code workingDirectory} (where clang ran) and normalized.
     */
    public static List<Path> parse(String content, Path workingDirectory) {
        List<String> tokens = tokens(content);
        Set<Path> files = new LinkedHashSet<>();
        boolean afterColon = false;
        for (String token : tokens) {
            if (!afterColon) {
                if (token.endsWith(":")) {
                    afterColon = true;
                }
                continue;
            }
            files.add(workingDirectory.resolve(token).normalize());
        }
        return new ArrayList<>(files);
    }

    private static List<String> tokens(String content) {
        List<String> tokens = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            char next = i + 1 < content.length() ? content.charAt(i + 1) : '\0';
            if (c == '\\' && (next == '\n' || next == '\r')) {
                i++;
                if (next == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n') {
                    i++;
                }
                flush(current, tokens);
            } else if (c == '\\' && (next == ' ' || next == '#' || next == '\\')) {
                current.append(next);
                i++;
            } else if (c == '$' && next == '$') {
                current.append('$');
                i++;
            } else if (Character.isWhitespace(c)) {
                flush(current, tokens);
            } else {
                current.append(c);
            }
        }
        flush(current, tokens);
        return tokens;
    }

    private static void flush(StringBuilder current, List<String> tokens) {
        if (current.length() > 0) {
            tokens.add(current.toString());
            current.setLength(0);
        }
    }
}

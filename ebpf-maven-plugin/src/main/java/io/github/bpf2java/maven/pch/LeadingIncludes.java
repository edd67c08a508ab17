package io.github.bpf2java.maven.pch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code #include} directives a C file starts with, before anything else (blank lines and comments are
 * skipped; any other line, a {@code #define} included, ends the list). Only these can be precompiled without
 * changing what the source means.
 */
public final class LeadingIncludes {
    private static final Pattern INCLUDE = Pattern.compile("#\\s*include\\s*([<\"][^>\"]+[>\"])\\s*");

    private LeadingIncludes() {}

    /** The normalized directives, e.g. {@code #include "vmlinux.h"}, {@code #include <bpf/bpf_helpers.h>}. */
    public static List<String> of(String source) {
        List<String> includes = new ArrayList<>();
        boolean inComment = false;
        for (String rawLine : source.split("\r?\n", -1)) {
            String line = rawLine.strip();
            if (inComment) {
                int end = line.indexOf("*/");
                if (end < 0) {
                    continue;
                }
                line = line.substring(end + 2).strip();
                inComment = false;
            }
            while (line.startsWith("/*")) {
                int end = line.indexOf("*/", 2);
                if (end < 0) {
                    inComment = true;
                    line = "";
                    break;
                }
                line = line.substring(end + 2).strip();
            }
            int lineComment = line.indexOf("//");
            if (lineComment >= 0) {
                line = line.substring(0, lineComment).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            Matcher m = INCLUDE.matcher(line);
            if (!m.matches()) {
                break;
            }
            includes.add("#include " + m.group(1));
        }
        return includes;
    }
}

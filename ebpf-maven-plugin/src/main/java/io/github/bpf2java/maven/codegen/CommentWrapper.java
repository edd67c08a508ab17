package io.github.bpf2java.maven.codegen;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wraps the Javadoc lines of generated source at a column limit (JavaPoet wraps code, not comments), breaking at
 * spaces and keeping each line's {@code * } prefix. Code lines are left alone. Deterministic.
 */
final class CommentWrapper {
    private static final Pattern JAVADOC_LINE = Pattern.compile("^(\\s*\\* )(.*)$");

    private CommentWrapper() {}

    static String wrap(String source, int width) {
        StringBuilder out = new StringBuilder(source.length() + 256);
        boolean inPre = false;
        for (String line : source.split("\n", -1)) {
            Matcher m = JAVADOC_LINE.matcher(line);
            if (line.contains("<pre>")) {
                inPre = true;
            }
            if (!inPre && m.matches() && line.length() > width) {
                String prefix = m.group(1);
                String rest = m.group(2);
                while (prefix.length() + rest.length() > width) {
                    int limit = width - prefix.length();
                    int cut = rest.lastIndexOf(' ', limit);
                    if (cut <= 0) {
                        cut = rest.indexOf(' ', limit);
                        if (cut < 0) {
                            break;
                        }
                    }
                    out.append(prefix).append(rest, 0, cut).append('\n');
                    rest = rest.substring(cut + 1);
                }
                out.append(prefix).append(rest).append('\n');
            } else {
                out.append(line).append('\n');
            }
            if (line.contains("</pre>")) {
                inPre = false;
            }
        }
        out.setLength(out.length() - 1);
        return out.toString();
    }
}

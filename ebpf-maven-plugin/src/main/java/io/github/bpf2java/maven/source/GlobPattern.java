package io.github.bpf2java.maven.source;

import java.util.regex.Pattern;

/**
 * A Maven/Ant style include or exclude pattern over {@code /}-separated relative paths: {@code *} matches within one
 * directory, {@code **} across directories and {@code **}{@code /} also matches no directory at all, so
 * {@code **}{@code /*.c} matches {@code a.c} as well as {@code net/a.c}.
 */
public record GlobPattern(String glob, Pattern regex) {

    /** The pattern for {@code glob}. */
    public static GlobPattern of(String glob) {
        String g = glob.replace('\\', '/').trim();
        if (g.endsWith("/")) {
            g = g + "**";
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                boolean slash = i + 2 < g.length() && g.charAt(i + 2) == '/';
                re.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new GlobPattern(glob, Pattern.compile(re.toString()));
    }

    /** Whether {@code relativePath} ({@code /}-separated) matches. */
    public boolean matches(String relativePath) {
        return regex.matcher(relativePath).matches();
    }
}

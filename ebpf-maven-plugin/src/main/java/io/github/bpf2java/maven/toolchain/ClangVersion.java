package io.github.bpf2java.maven.toolchain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version clang reports in the first line of {@code clang --version}, e.g.
 * {@code Debian clang version 19.1.7 (3~deb12u1)}.
 *
 * @param major       19
 * @param minor       1
 * @param patch       7
 * @param versionLine the whole first line, part of the build's digest
 */
public record ClangVersion(int major, int minor, int patch, String versionLine) {
    private static final Pattern VERSION = Pattern.compile("clang version (\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** Reads the version from {@code clang --version}'s output; empty when it does not look like clang. */
    public static Optional<ClangVersion> parse(String versionOutput) {
        String firstLine = versionOutput.lines().findFirst().orElse("").trim();
        Matcher m = VERSION.matcher(firstLine);
        if (!m.find()) {
            return Optional.empty();
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return Optional.of(new ClangVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch,
                firstLine));
    }

    /** {@code 19.1.7}. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}

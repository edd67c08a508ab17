package io.github.bpf2java.maven.headers;

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
 * Explains a failed compile in which another copy of one of the plugin's headers, usually libbpf's from a
 * {@code libbpf-dev} package, was found before the plugin's own and lacks names the source uses.
 *
 * <p>With {@code <bundledHeaders>fallback</bundledHeaders>} (the default) the plugin's headers come after the system's
 * include directories, so an installed libbpf wins. An older one (Debian 12 ships libbpf 1.1) lacks newer macros such
 * as {@code BPF_UPROBE}, and clang then reports something unrelated ("parameter 'probe' was not declared"), because an
 * unknown macro reads as a function declaration. This class finds the names the plugin's copy declares, the other copy
 * does not and the source uses, so the build can say which header was used and how to get the plugin's.
 */
public final class ShadowedHeaders {
    private static final Pattern DEFINE = Pattern.compile("(?m)^\\s*#\\s*define\\s+([A-Za-z_]\\w*)");
    // bpf_helper_defs.h declares helpers as function pointers: "static long (* const bpf_name)(...)".
    private static final Pattern HELPER = Pattern.compile("\\(\\s*\\*\\s*(?:const\\s+)?([A-Za-z_]\\w*)\\s*\\)");
    // usdt.bpf.h and bpf_tracing.h define functions: "static __always_inline long bpf_usdt_arg_size(...)", a
    // declaration beginning its line with its return type, the name right before its parenthesis (not a helper's
    // "long (* const name)").
    private static final Pattern FUNCTION = Pattern.compile("(?m)^(?!\\s*#)[A-Za-z_][\\w \\t*]*?\\b([A-Za-z_]\\w*)\\(");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_]\\w*");
    private static final Pattern VERSION = Pattern.compile("#define\\s+LIBBPF_(MAJOR|MINOR)_VERSION\\s+(\\d+)");

    private ShadowedHeaders() {}

    /**
     * Headers found before the plugin's that lack names a source uses.
     *
     * @param headers     which headers, where from and what they lack: "bpf/bpf_tracing.h came from ... (libbpf
     *                    1.1), which lacks BPF_UPROBE"
     * @param explanation that, the source, and the fix, for a failed build
     */
    public record Shadowing(String headers, String explanation) {}

    /**
     * What to tell the user, if anything.
     *
     * @param included          the headers the source included, as clang's dependency output lists them
     * @param bundledDirectory  the include directory holding the plugin's {@code bpf/} headers
     * @param source            the source that failed to compile
     * @param sourceDisplayName the source as the build names it
     * @return each shadowing header, the names it lacks and the fix; empty when no header the source took from
     *     elsewhere lacks a name the source uses
     */
    public static Optional<Shadowing> find(List<Path> included, Path bundledDirectory, Path source,
            String sourceDisplayName) throws IOException {
        Set<String> used = identifiers(Files.readString(source, StandardCharsets.UTF_8));
        Map<Path, Set<String>> lacking = new LinkedHashMap<>();
        Path bundled = bundledDirectory.toAbsolutePath().normalize();
        for (Path header : included) {
            Path file = header.toAbsolutePath().normalize();
            Path parent = file.getParent();
            if (file.startsWith(bundled) || parent == null || parent.getFileName() == null
                    || !parent.getFileName().toString().equals("bpf")
                    || !BundledHeaders.NAMES.contains(file.getFileName().toString())) {
                continue;
            }
            Path ours = bundled.resolve("bpf").resolve(file.getFileName().toString());
            if (!Files.isRegularFile(ours) || !Files.isRegularFile(file)) {
                continue;
            }
            Set<String> missing = declared(Files.readString(ours, StandardCharsets.UTF_8));
            missing.removeAll(declared(Files.readString(file, StandardCharsets.UTF_8)));
            missing.retainAll(used);
            if (!missing.isEmpty()) {
                lacking.put(file, missing);
            }
        }
        if (lacking.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Path, Set<String>> entry : lacking.entrySet()) {
            Path file = entry.getKey();
            parts.add("bpf/" + file.getFileName() + " came from " + file + version(file.getParent()) + ", which lacks "
                    + String.join(", ", entry.getValue()));
        }
        String headers = String.join("; ", parts);
        return Optional.of(new Shadowing(headers, headers + ", used by " + sourceDisplayName + ". The plugin's own headers"
                + " have them, but <bundledHeaders>fallback</bundledHeaders> (the default) searches them after the"
                + " system's include directories. Set <bundledHeaders>always</bundledHeaders> to use the plugin's"
                + " headers, or install a newer libbpf's headers."));
    }

    /** The macros, helper functions and functions a header declares. */
    static Set<String> declared(String header) {
        Set<String> names = new TreeSet<>();
        for (Pattern pattern : List.of(DEFINE, HELPER, FUNCTION)) {
            Matcher m = pattern.matcher(header);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Set<String> identifiers(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    /** " (libbpf 1.1)" when the directory has libbpf's version header, else nothing. */
    private static String version(Path directory) throws IOException {
        Path header = directory.resolve("libbpf_version.h");
        if (!Files.isRegularFile(header)) {
            return "";
        }
        Matcher m = VERSION.matcher(Files.readString(header, StandardCharsets.UTF_8));
        String major = null;
        String minor = null;
        while (m.find()) {
            if (m.group(1).equals("MAJOR")) {
                major = m.group(2);
            } else {
                minor = m.group(2);
            }
        }
        return major == null || minor == null ? "" : " (libbpf " + major + "." + minor + ")";
    }
}

package io.github.bpf2java.maven.compile;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Explains a source that defines a type its {@code vmlinux.h} defines too, which clang reports as a bare
 * redefinition: a type of the user's own whose name the kernel uses as well ({@code struct key}), or a source written
 * against an older kernel's header, which lacked the type (libbpf-bootstrap's newest {@code bootstrap.bpf.c} defines
 * {@code struct bpf_iter_num} beside its dated {@code vmlinux.h}).
 */
final class KernelTypeRedefinition {
    private static final Pattern REDEFINITION = Pattern.compile("error: redefinition of '([A-Za-z_][A-Za-z0-9_]*)'");
    private static final Pattern IN_VMLINUX = Pattern.compile("(?m)vmlinux[^/\\s]*\\.h:\\d+:\\d+: note: previous "
            + "definition is here");

    private KernelTypeRedefinition() {}

    /** The hint for a failed compile whose clang output is {@code output}, or empty if it is not this failure. */
    static Optional<String> explain(String output) {
        if (!IN_VMLINUX.matcher(output).find()) {
            return Optional.empty();
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = REDEFINITION.matcher(output);
        while (m.find()) {
            names.add(m.group(1));
        }
        if (names.isEmpty()) {
            return Optional.empty();
        }
        boolean one = names.size() == 1;
        return Optional.of("the source defines " + String.join(", ", names) + ", which vmlinux.h defines too."
                + " If " + (one ? "it is a type" : "they are types") + " of your own, give " + (one ? "it" : "them")
                + " a name the kernel does not use (struct key is the kernel's, struct syscall_key is free)."
                + " If the source was written for an older kernel's vmlinux.h that lacked " + (one ? "it" : "them")
                + ", put that vmlinux.h beside the source (a vmlinux.h beside a source is used for that source, and"
                + " the written one for the others), or remove the source's copies.");
    }
}

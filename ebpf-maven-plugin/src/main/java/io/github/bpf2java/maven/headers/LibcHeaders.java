package io.github.bpf2java.maven.headers;

import java.util.Optional;

/**
 * Explains the failure of a source that reached the C library's headers. Some UAPI headers include them
 * ({@code linux/icmp.h} and {@code linux/if.h} through {@code sys/socket.h}, for one); glibc's {@code gnu/stubs.h}
 * then asks for the stubs of a word size it picks from the target's macros, and for BPF, which defines none of
 * them, that is {@code gnu/stubs-32.h}, which only a 32-bit (multilib) C library installs.
 */
public final class LibcHeaders {
    /** The part of clang's diagnostic that names the missing header. */
    static final String MISSING_STUBS = "'gnu/stubs-32.h' file not found";

    private LibcHeaders() {}

    /** The hint for a failed compile whose clang output is {@code output}, or empty if it is not this failure. */
    public static Optional<String> explain(String output) {
        if (!output.contains(MISSING_STUBS)) {
            return Optional.empty();
        }
        return Optional.of("a header the source includes pulls in the C library's headers (the \"In file included "
                + "from\" lines above show through which), and they have nothing for the BPF target. Include "
                + "vmlinux.h for the kernel's types instead (the plugin writes it when a source includes it), or "
                + "declare the few structs and constants the program needs; installing gcc-multilib (which has "
                + "gnu/stubs-32.h) also lets these headers through.");
    }
}

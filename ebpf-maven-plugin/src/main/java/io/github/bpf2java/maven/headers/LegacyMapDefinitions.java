package io.github.bpf2java.maven.headers;

import java.util.Optional;

/**
 * Explains the failure of a source with legacy map definitions, {@code struct bpf_map_def SEC("maps") name = {...}}:
 * libbpf 1.0 removed the struct from its headers, and the plugin's follow them, so clang only says the variable's
 * type is incomplete. The runtime still loads such maps; {@link CompatibilityHeaders}' {@code bpf2java/legacy_maps.h}
 * declares the struct.
 */
public final class LegacyMapDefinitions {
    /** The part of clang's diagnostic that names the missing struct. */
    static final String INCOMPLETE_TYPE = "incomplete type 'struct bpf_map_def'";

    private LegacyMapDefinitions() {}

    /** The hint for a failed compile whose clang output is {@code output}, or empty if it is not this failure. */
    public static Optional<String> explain(String output) {
        if (!output.contains(INCOMPLETE_TYPE)) {
            return Optional.empty();
        }
        return Optional.of("struct bpf_map_def, of legacy SEC(\"maps\") map definitions, is not declared: libbpf 1.0"
                + " removed it from its headers, and the plugin's bpf/ headers do not have it either. The runtime"
                + " still loads such maps. Fix without editing the C: add <cflag>-include</cflag><cflag>"
                + "bpf2java/legacy_maps.h</cflag> to <cflags> (a header the plugin ships that declares the struct);"
                + " or #include <bpf2java/legacy_maps.h> before the definitions; or rewrite them as BTF-defined maps,"
                + " struct { __uint(type, ...); ... } name SEC(\".maps\").");
    }
}

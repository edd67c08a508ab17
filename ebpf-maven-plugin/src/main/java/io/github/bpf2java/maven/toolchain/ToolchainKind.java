package io.github.bpf2java.maven.toolchain;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.util.Locale;

/** The {@code toolchain} parameter: where clang comes from. */
public enum ToolchainKind {
    /** The Maven clang, unless a {@code <clang>} is configured or the host has no Maven clang: then the system's. */
    AUTO,
    /** clang from {@code PATH} or the configured {@code <clang>}. */
    SYSTEM,
    /** clang fetched from Maven Central as an artifact and unpacked into a cache once. */
    MAVEN;

    /** Reads the parameter; blank means {@link #AUTO}. */
    public static ToolchainKind parse(String value) throws EbpfBuildException {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "auto" -> AUTO;
            case "system" -> SYSTEM;
            case "maven" -> MAVEN;
            default -> throw new EbpfBuildException("Unknown <toolchain> (ebpf.toolchain) '" + value
                    + "'. Allowed values: auto, system, maven");
        };
    }

    /** The parameter value, e.g. {@code maven}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}

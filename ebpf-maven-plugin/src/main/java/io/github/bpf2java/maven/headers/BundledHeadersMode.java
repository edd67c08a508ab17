package io.github.bpf2java.maven.headers;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.util.Locale;

/** The {@code bundledHeaders} parameter: when the plugin's own {@code bpf/*.h} headers are on clang's path. */
public enum BundledHeadersMode {
    /** After the system's include directories: a source gets libbpf's headers when installed, ours when not. */
    FALLBACK,
    /** Before the system's include directories (after the user's {@code -I}): always ours. */
    ALWAYS,
    /** Not at all: {@code <bpf/...>} must come from the system or the user's include directories. */
    NEVER;

    /** The parameter value, e.g. {@code fallback}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the parameter; blank means {@link #FALLBACK}.
     *
     * @throws EbpfBuildException for any other value, naming the allowed ones
     */
    public static BundledHeadersMode parse(String value) throws EbpfBuildException {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.isEmpty()) {
            return FALLBACK;
        }
        for (BundledHeadersMode mode : values()) {
            if (mode.value().equals(v)) {
                return mode;
            }
        }
        throw new EbpfBuildException("Unknown <bundledHeaders> (ebpf.bundledHeaders) '" + value
                + "'. Allowed values: fallback (libbpf's headers when installed, else the plugin's), always (the"
                + " plugin's), never.");
    }
}

package io.github.bpf2java.maven.pch;

import java.nio.file.Path;
import java.util.Locale;

/** The {@code precompiledHeader} parameter: {@code auto}, {@code none}, or a header the user names. */
public sealed interface PrecompiledHeaderMode {

    /** The parameter value this mode stands for, e.g. {@code auto}. */
    String value();

    /** Precompile the leading {@code #include} lines that at least two sources share. */
    record Auto() implements PrecompiledHeaderMode {
        @Override
        public String value() {
            return "auto";
        }
    }

    /** Never use a precompiled header. */
    record None() implements PrecompiledHeaderMode {
        @Override
        public String value() {
            return "none";
        }
    }

    /** Precompile this header and pass it to every source, as if each began by including it. */
    record Header(Path file) implements PrecompiledHeaderMode {
        @Override
        public String value() {
            return file.toString();
        }
    }

    /** Reads the parameter; anything but {@code auto}/{@code none} is a header path relative to the project. */
    static PrecompiledHeaderMode parse(String value, Path projectDirectory) {
        String v = value == null ? "" : value.trim();
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "", "auto" -> new Auto();
            case "none", "false", "off" -> new None();
            default -> new Header(projectDirectory.resolve(v).normalize());
        };
    }
}

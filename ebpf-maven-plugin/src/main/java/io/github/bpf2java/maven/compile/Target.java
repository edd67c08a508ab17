package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an object is compiled for: a byte order only ({@code bpfel}, {@code bpfeb}), or a host architecture, which
 * also defines {@code __TARGET_ARCH_<arch>} so that libbpf's {@code PT_REGS_*} macros know the register layout.
 * The name is the suffix of the object file, {@code <base>_<name>.o}; the runtime's {@code EmbeddedObject} knows the
 * same names.
 */
public enum Target {
    BPFEL("bpfel", "bpfel", null),
    BPFEB("bpfeb", "bpfeb", null),
    AMD64("amd64", "bpfel", "x86"),
    X86("x86", "bpfel", "x86"),
    ARM64("arm64", "bpfel", "arm64"),
    ARM("arm", "bpfel", "arm"),
    S390X("s390x", "bpfeb", "s390"),
    RISCV64("riscv64", "bpfel", "riscv"),
    PPC64LE("ppc64le", "bpfel", "powerpc"),
    PPC64("ppc64", "bpfeb", "powerpc"),
    LOONGARCH64("loongarch64", "bpfel", "loongarch"),
    MIPS("mips", "bpfeb", "mips"),
    MIPSLE("mipsle", "bpfel", "mips"),
    MIPS64("mips64", "bpfeb", "mips"),
    MIPS64LE("mips64le", "bpfel", "mips"),
    SPARC64("sparc64", "bpfeb", "sparc");

    private final String targetName;
    private final String clangTarget;
    private final String arch;

    Target(String targetName, String clangTarget, String arch) {
        this.targetName = targetName;
        this.clangTarget = clangTarget;
        this.arch = arch;
    }

    /** The name users write in {@code <targets>} and the object file suffix. */
    public String targetName() {
        return targetName;
    }

    /** The value of clang's {@code -target}. */
    public String clangTarget() {
        return clangTarget;
    }

    /** The {@code __TARGET_ARCH_} suffix, empty for the byte-order-only targets. */
    public Optional<String> arch() {
        return Optional.ofNullable(arch);
    }

    /** The byte order of objects compiled for this target. */
    public ByteOrder byteOrder() {
        return clangTarget.equals("bpfel") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    /** The clang arguments that select this target. */
    public List<String> clangArguments() {
        List<String> args = new ArrayList<>(List.of("-target", clangTarget));
        arch().ifPresent(a -> args.add("-D__TARGET_ARCH_" + a));
        return args;
    }

    /**
     * The architecture target of a JVM's {@code os.arch} ({@code amd64}, {@code x86_64}, {@code aarch64}, ...), as
     * the runtime's {@code EmbeddedObject} maps them; empty for an architecture without a target.
     */
    public static Optional<Target> forOsArch(String osArch) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (arch) {
            case "amd64", "x86_64" -> AMD64;
            case "x86", "i386", "i486", "i586", "i686" -> X86;
            case "aarch64", "arm64" -> ARM64;
            case "arm", "arm32" -> ARM;
            case "s390x" -> S390X;
            case "riscv64" -> RISCV64;
            case "ppc64le" -> PPC64LE;
            case "ppc64" -> PPC64;
            case "loongarch64" -> LOONGARCH64;
            case "mips" -> MIPS;
            case "mipsel", "mipsle" -> MIPSLE;
            case "mips64" -> MIPS64;
            case "mips64el", "mips64le" -> MIPS64LE;
            case "sparcv9", "sparc64" -> SPARC64;
            default -> null;
        });
    }

    /** Every target name, in declaration order, for messages. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(Target::targetName).collect(Collectors.joining(", "));
    }

    /**
     * The target a name means: a target's own name, or bpf2go's two shorthands, {@code bpf} (the byte order of the
     * machine that builds) and {@code native} (its architecture).
     */
    private static Target named(String name, String asWritten, String where) throws EbpfBuildException {
        if (name.equals("bpf")) {
            return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? BPFEL : BPFEB;
        }
        if (name.equals("native")) {
            String arch = System.getProperty("os.arch", "");
            return forOsArch(arch).orElseThrow(() -> new EbpfBuildException("eBPF target 'native' in " + where
                    + ": no architecture target for this machine (os.arch " + arch + "). Allowed values: "
                    + allowedNames()));
        }
        for (Target target : values()) {
            if (target.targetName.equals(name)) {
                return target;
            }
        }
        throw new EbpfBuildException("Unknown eBPF target '" + asWritten + "' in " + where + ". Allowed values: "
                + allowedNames() + "; or, as bpf2go has them, bpf (this machine's byte order) and native (its"
                + " architecture)");
    }

    /**
     * Parses the {@code targets} parameter: names separated by commas or given as list items, case-insensitive,
     * duplicates dropped, order kept.
     *
     * @throws EbpfBuildException naming the unknown value and listing the allowed ones
     */
    public static List<Target> parseAll(List<String> names) throws EbpfBuildException {
        return parseAll(names, "<targets> (ebpf.targets)");
    }

    /**
     * As {@link #parseAll(List)}, for the setting {@code where} says (in messages), e.g.
     * {@code <sourceTarget> for pattern 'kprobe_*.c'}.
     */
    public static List<Target> parseAll(List<String> names, String where) throws EbpfBuildException {
        Set<Target> targets = new LinkedHashSet<>();
        for (String item : names) {
            for (String raw : item.split(",")) {
                String name = raw.trim().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                targets.add(named(name, raw.trim(), where));
            }
        }
        if (targets.isEmpty()) {
            throw new EbpfBuildException(where + " is empty. Allowed values: " + allowedNames());
        }
        return List.copyOf(targets);
    }
}

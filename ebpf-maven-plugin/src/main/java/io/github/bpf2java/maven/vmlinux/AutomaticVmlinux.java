package io.github.bpf2java.maven.vmlinux;

import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import io.github.bpf2java.maven.compile.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code vmlinux.h} of {@code ebpf:generate}: when a source includes {@code vmlinux.h} and no include directory
 * has one, the build writes it from BTF (see {@link VmlinuxSettings}) and puts its directory on the include path.
 *
 * <p>A header describes one kernel, of one architecture. With BTF files given per architecture, the header on the
 * include path only dispatches on the {@code __TARGET_ARCH_<arch>} macro each architecture target defines, to a
 * header written from that architecture's BTF; byte-order targets ({@code bpfel}, {@code bpfeb}) and the rest get
 * the default one. An architecture target without its own BTF is warned about: its objects would see this
 * machine's kernel types.
 */
public final class AutomaticVmlinux {
    private static final Pattern INCLUDES_VMLINUX =
            Pattern.compile("^\\s*#\\s*include\\s*[<\"]vmlinux\\.h[>\"]", Pattern.MULTILINE);
    private static final String HEADER = "vmlinux.h";

    private final VmlinuxSettings settings;
    private final BuildLog log;

    public AutomaticVmlinux(VmlinuxSettings settings, BuildLog log) {
        this.settings = settings;
        this.log = log;
    }

    /**
     * The directory to add to the include path, after writing or refreshing the headers in it; empty when no source
     * includes {@code vmlinux.h}, one is already on the include path, or every source that includes it has one beside
     * it.
     *
     * @param sources            the C files being built
     * @param includeDirectories the include path as configured (plus the source directories, searched for quoted
     *                           includes)
     */
    public Optional<Path> provide(Collection<Path> sources, List<Path> includeDirectories, List<Target> targets)
            throws EbpfBuildException, IOException {
        List<Path> including = new ArrayList<>();
        for (Path source : sources) {
            if (INCLUDES_VMLINUX.matcher(Files.readString(source, StandardCharsets.ISO_8859_1)).find()) {
                including.add(source);
            }
        }
        if (including.isEmpty()) {
            return Optional.empty();
        }
        for (Path dir : includeDirectories) {
            if (Files.isRegularFile(dir.resolve(HEADER))) {
                log.debug("Using " + dir.resolve(HEADER) + " for the sources that include vmlinux.h");
                return Optional.empty();
            }
        }
        // A source with a vmlinux.h beside it gets that one (a quoted include looks next to the source first); the
        // others still need the written one: a header of another kernel kept for one old source is not theirs.
        including.removeIf(source -> Files.isRegularFile(source.resolveSibling(HEADER)));
        if (including.isEmpty()) {
            return Optional.empty();
        }
        Path defaultBtf = settings.btfFile().orElse(VmlinuxHeaderFile.KERNEL_BTF);
        Map<String, Path> byArch = new TreeMap<>();
        for (Map.Entry<String, Path> e : settings.btfsByArch().entrySet()) {
            byArch.put(archOf(e.getKey()), e.getValue());
        }
        warnAboutForeignTargets(targets, byArch, defaultBtf);
        Path dir = settings.directory();
        if (byArch.isEmpty()) {
            report(defaultBtf, VmlinuxHeaderFile.update(defaultBtf, dir.resolve(HEADER)), dir.resolve(HEADER));
            return Optional.of(dir);
        }
        StringBuilder dispatcher = new StringBuilder("/* vmlinux.h written by bpf2java: the header of the kernel"
                + " each target's architecture runs. Do not edit. */\n");
        String keyword = "#if";
        for (Map.Entry<String, Path> e : byArch.entrySet()) {
            Path header = dir.resolve(e.getKey()).resolve(HEADER);
            report(e.getValue(), VmlinuxHeaderFile.update(e.getValue(), header), header);
            dispatcher.append(keyword).append(" defined(__TARGET_ARCH_").append(e.getKey()).append(")\n#include \"")
                    .append(e.getKey()).append('/').append(HEADER).append("\"\n");
            keyword = "#elif";
        }
        Path fallback = dir.resolve("default").resolve(HEADER);
        report(defaultBtf, VmlinuxHeaderFile.update(defaultBtf, fallback), fallback);
        dispatcher.append("#else\n#include \"default/").append(HEADER).append("\"\n#endif\n");
        Path top = dir.resolve(HEADER);
        if (!Files.isRegularFile(top) || !Files.readString(top).equals(dispatcher.toString())) {
            Files.writeString(top, dispatcher.toString());
        }
        return Optional.of(dir);
    }

    /** The directories {@code -I}, {@code -isystem}, {@code -idirafter} and {@code -iquote} flags add. */
    public static List<Path> includeDirectoriesIn(List<String> flags, Path base) {
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            String flag = flags.get(i).trim();
            for (String option : List.of("-idirafter", "-isystem", "-iquote", "-I")) {
                if (flag.startsWith(option)) {
                    String dir = flag.length() > option.length() ? flag.substring(option.length())
                            : i + 1 < flags.size() ? flags.get(++i).trim() : "";
                    if (!dir.isEmpty()) {
                        dirs.add(base.resolve(dir));
                    }
                    break;
                }
            }
        }
        return dirs;
    }

    private void report(Path btf, VmlinuxHeaderFile.Outcome outcome, Path header) {
        if (outcome == VmlinuxHeaderFile.Outcome.WRITTEN) {
            log.info("Wrote " + header + " from the BTF of " + btf);
        } else {
            log.debug(header + " is up to date with " + btf);
        }
    }

    private void warnAboutForeignTargets(List<Target> targets, Map<String, Path> byArch, Path defaultBtf) {
        Optional<String> host = hostArch();
        Set<String> warned = new TreeSet<>();
        for (Target target : targets) {
            Optional<String> arch = target.arch();
            if (arch.isEmpty() || byArch.containsKey(arch.get()) || settings.btfFile().isPresent()
                    || arch.equals(host) || !warned.add(arch.get())) {
                continue;
            }
            log.warn("Target " + target.targetName() + " compiles against a vmlinux.h written from " + defaultBtf
                    + ", the BTF of this " + host.orElse(System.getProperty("os.arch")) + " machine's kernel: "
                    + arch.get() + " kernels have other types and offsets for architecture-specific structs such"
                    + " as pt_regs.\n  Fix: give that architecture's kernel BTF, e.g. from BTFHub:"
                    + " <vmlinuxBtfs><vmlinuxBtf>" + target.targetName() + "=path/to/" + arch.get()
                    + ".btf</vmlinuxBtf></vmlinuxBtfs> (ebpf.vmlinux.btfs).");
        }
    }

    /**
     * The kernel's name for an architecture given as a target name ({@code amd64}) or as the kernel's own
     * ({@code x86}).
     */
    static String archOf(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        for (Target t : Target.values()) {
            if (t.targetName().equals(lower) && t.arch().isPresent()) {
                return t.arch().get();
            }
        }
        return lower;
    }

    /** This machine's architecture as the kernel names it, if it is one a target names. */
    static Optional<String> hostArch() {
        String os = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (os) {
            case "amd64", "x86_64", "x86", "i386", "i686" -> "x86";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            case "s390x" -> "s390";
            case "riscv64" -> "riscv";
            case "ppc64", "ppc64le" -> "powerpc";
            case "loongarch64" -> "loongarch";
            case "mips", "mipsel", "mips64", "mips64el" -> "mips";
            case "sparcv9", "sparc64" -> "sparc";
            default -> null;
        });
    }
}

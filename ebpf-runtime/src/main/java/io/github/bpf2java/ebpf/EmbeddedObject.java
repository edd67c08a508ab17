package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the BPF object the build plugin packaged beside a generated class ({@code <base>_<target>.o} in the class's
 * package) for the host this JVM runs on: the object built for this architecture ({@code amd64}, {@code arm64},
 * ...) when there is one, else the one for this byte order ({@code bpfel} or {@code bpfeb}).
 */
public final class EmbeddedObject {
    /** Architecture targets by the {@code os.arch} values that mean them. */
    private static final Map<String, Set<String>> ARCHITECTURES = Map.ofEntries(
            Map.entry("amd64", Set.of("amd64", "x86_64")),
            Map.entry("x86", Set.of("x86", "i386", "i486", "i586", "i686")),
            Map.entry("arm64", Set.of("aarch64", "arm64")),
            Map.entry("arm", Set.of("arm", "arm32")),
            Map.entry("s390x", Set.of("s390x")),
            Map.entry("riscv64", Set.of("riscv64")),
            Map.entry("ppc64le", Set.of("ppc64le")),
            Map.entry("ppc64", Set.of("ppc64")),
            Map.entry("loongarch64", Set.of("loongarch64")),
            Map.entry("mips", Set.of("mips")),
            Map.entry("mipsle", Set.of("mipsel", "mipsle")),
            Map.entry("mips64", Set.of("mips64")),
            Map.entry("mips64le", Set.of("mips64el", "mips64le")),
            Map.entry("sparc64", Set.of("sparcv9", "sparc64")));

    private EmbeddedObject() {}

    /**
     * Reads and parses the object for this host, opening it with {@code resources}: the generated class passes
     * {@code Owner.class::getResourceAsStream}, which opens the resource from the class's own module. So an
     * application in a named module need not open its package to this runtime.
     *
     * @param owner     the generated class; the objects are resources of its package
     * @param resources opens a resource of {@code owner}'s package by its name; null when there is none
     * @param baseName  the object's name, which starts its resources' names: the C file's name up to its first dot,
     *                  as libbpf names objects ({@code runqlat.bpf.c} → {@code runqlat})
     * @param targets   the targets the object was built for, as the plugin's {@code targets}
     * @throws BpfException naming the targets present when none fits this host, or when the resource is missing
     */
    public static ObjectSpec read(Class<?> owner, Function<String, InputStream> resources, String baseName,
            String... targets) {
        String arch = System.getProperty("os.arch", "");
        String target = select(List.of(targets), arch, ByteOrder.nativeOrder()).orElseThrow(() -> new BpfException(
                "None of the targets " + baseName + " was built for (" + String.join(", ", targets)
                        + ") runs on this host (os.arch " + arch + ", " + ByteOrder.nativeOrder() + ")",
                "add bpfel/bpfeb or this architecture to the ebpf-maven-plugin's <targets>", null));
        String resource = baseName + "_" + target + ".o";
        byte[] bytes;
        try (InputStream in = resources.apply(resource)) {
            if (in == null) {
                throw missing(owner, resource);
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("Cannot read the BPF object " + resource + " beside " + owner.getName(), e);
        }
        return ObjectSpec.read(baseName, bytes);
    }

    /**
     * As {@link #read(Class, Function, String, String...)}, opening the resource from this runtime's module: what
     * classes generated before that method call. In a named module, that finds the object only when the module
     * opens the class's package to {@code io.github.bpf2java.ebpf}.
     */
    public static ObjectSpec read(Class<?> owner, String baseName, String... targets) {
        return read(owner, owner::getResourceAsStream, baseName, targets);
    }

    private static BpfException missing(Class<?> owner, String resource) {
        Module module = owner.getModule();
        String packageName = owner.getPackageName();
        if (module.isNamed() && !module.isOpen(packageName, EmbeddedObject.class.getModule())) {
            return new BpfException("The BPF object " + resource + " beside " + owner.getName() + " cannot be read "
                    + "by this runtime: module " + module.getName() + " does not open package " + packageName
                    + " to it", "rebuild with this version of the ebpf-maven-plugin, whose generated classes open "
                            + "their objects themselves, or add 'opens " + packageName + " to "
                            + EmbeddedObject.class.getModule().getName() + ";' to module-info.java", null);
        }
        return new BpfException("The BPF object " + resource + " is not on the class path beside "
                + owner.getName(), "package the ebpf-maven-plugin's resource output directory with the class", null);
    }

    /**
     * Picks the target for a host: an architecture target naming {@code osArch}, else the byte-order target for
     * {@code order}.
     *
     * @return empty when none of {@code targets} fits
     */
    public static Optional<String> select(List<String> targets, String osArch, ByteOrder order) {
        String arch = osArch.toLowerCase(Locale.ROOT);
        for (String target : targets) {
            if (ARCHITECTURES.getOrDefault(target, Set.of()).contains(arch)) {
                return Optional.of(target);
            }
        }
        String byteOrderTarget = order == ByteOrder.LITTLE_ENDIAN ? "bpfel" : "bpfeb";
        return targets.contains(byteOrderTarget) ? Optional.of(byteOrderTarget) : Optional.empty();
    }

    /** Every target name this class knows, architectures and byte orders. */
    public static List<String> knownTargets() {
        List<String> all = new ArrayList<>(List.of("bpfel", "bpfeb"));
        ARCHITECTURES.keySet().stream().sorted().forEach(all::add);
        return all;
    }
}

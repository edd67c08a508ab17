package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.core.TargetTypes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The BTF CO-RE relocates against, read lazily and kept for the life of the process: the running kernel's
 * ({@code vmlinux}, then its modules' split BTF under {@code /sys/kernel/btf} when vmlinux lacks a type) or a BTF
 * file, once per path. Kernel BTF does not change while the system runs, and a file given for another kernel is
 * read-only input; parsing either again for every object would cost tens of milliseconds each time.
 */
final class CoreTargets {
    private static final Path MODULE_DIR = KernelBtf.VMLINUX.getParent();
    private static final Map<Path, TargetTypes> FILES = new ConcurrentHashMap<>();

    private CoreTargets() {}

    /** The types to relocate against under {@code settings}. */
    static TargetTypes of(CoreSettings settings) {
        return settings.targetFile().map(CoreTargets::file).orElseGet(CoreTargets::kernel);
    }

    private static TargetTypes file(Path path) {
        return FILES.computeIfAbsent(path.toAbsolutePath().normalize(), p -> {
            try {
                return TargetTypes.of(Btf.parse(Files.readAllBytes(p)));
            } catch (IOException e) {
                throw new BpfException("cannot read the BTF file " + p + " to relocate CO-RE against: " + e,
                        "give an existing BTF file (e.g. /sys/kernel/btf/vmlinux of the target kernel, or one from "
                                + "BTFHub) with LoadOptions.builder().kernelBtf(path) or -D"
                                + CoreSettings.KERNEL_BTF_PROPERTY + "=path", e);
            } catch (ObjectFormatException e) {
                throw new BpfException(p + " is not a BTF file: " + e.getMessage(), "give raw BTF as "
                        + "/sys/kernel/btf/vmlinux holds it (an ELF file's .BTF can be extracted with "
                        + "bpftool btf dump file <elf> format raw)", e);
            }
        });
    }

    private static volatile TargetTypes kernel;

    /** The running kernel's types, read on first use; a kernel without BTF fails each time, saying so. */
    private static TargetTypes kernel() {
        TargetTypes k = kernel;
        if (k == null) {
            synchronized (CoreTargets.class) {
                k = kernel;
                if (k == null) {
                    k = TargetTypes.withModules(KernelBtf.vmlinux(), CoreTargets::modules);
                    kernel = k;
                }
            }
        }
        return k;
    }

    /** Every module's split BTF, in name order, for types vmlinux lacks. */
    private static List<Btf> modules() {
        List<Path> paths = new ArrayList<>();
        if (Files.isDirectory(MODULE_DIR)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(MODULE_DIR)) {
                dir.forEach(paths::add);
            } catch (IOException e) {
                return List.of();
            }
        }
        paths.sort(null);
        List<Btf> out = new ArrayList<>();
        for (Path module : paths) {
            if (module.equals(KernelBtf.VMLINUX) || !Files.isRegularFile(module)) {
                continue;
            }
            try {
                out.add(Btf.parseSplit(Files.readAllBytes(module), KernelBtf.vmlinux()));
            } catch (IOException | ObjectFormatException e) {
                // A module unloaded while we list, or BTF we cannot read: relocate without it.
            }
        }
        return out;
    }
}

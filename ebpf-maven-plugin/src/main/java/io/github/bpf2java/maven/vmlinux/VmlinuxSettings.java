package io.github.bpf2java.maven.vmlinux;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where {@code ebpf:generate} takes the BTF for a {@code vmlinux.h} it writes itself, and where it puts it.
 *
 * @param btfFile      the BTF of the kernel the programs target; empty for the running kernel's
 *                     ({@code /sys/kernel/btf/vmlinux})
 * @param btfsByArch   BTF files for architecture targets, by the kernel's architecture name ({@code x86},
 *                     {@code arm64}, {@code s390}, ...): an object compiled for that target includes a header from
 *                     its own kernel's types
 * @param directory    where the written headers go (put on the include path), e.g. {@code target/ebpf/vmlinux}
 */
public record VmlinuxSettings(Optional<Path> btfFile, Map<String, Path> btfsByArch, Path directory) {
    public VmlinuxSettings {
        btfsByArch = Map.copyOf(new TreeMap<>(btfsByArch));
    }

    /** The running kernel's BTF for every target, headers in {@code directory}. */
    public static VmlinuxSettings runningKernel(Path directory) {
        return new VmlinuxSettings(Optional.empty(), Map.of(), directory);
    }
}

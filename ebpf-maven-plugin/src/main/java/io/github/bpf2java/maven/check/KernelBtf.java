package io.github.bpf2java.maven.check;

import java.nio.file.Path;

/**
 * One kernel's BTF to check against: a raw BTF file (as {@code /sys/kernel/btf/vmlinux} or a BTFHub {@code .btf}
 * file) or an ELF file with a {@code .BTF} section. Read only when its turn comes, so a directory of thousands of
 * kernels never sits in memory at once.
 *
 * @param file the file
 * @param name how reports name it: the path as configured, or the configured directory plus the path below it
 */
public record KernelBtf(Path file, String name) {}

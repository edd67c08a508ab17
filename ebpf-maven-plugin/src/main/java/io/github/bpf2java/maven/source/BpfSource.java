package io.github.bpf2java.maven.source;

import java.nio.file.Path;

/**
 * One eBPF C source file found in the source directory.
 *
 * @param file         the absolute path
 * @param relativePath the path below the source directory, with {@code /} separators, e.g. {@code net/xdp_drop.c}
 * @param baseName     the object's name: the file name up to its first dot, as libbpf names objects
 *                     ({@code runqlat.bpf.c} → {@code runqlat}); it names the object files
 *                     {@code <baseName>_<target>.o} and the loaded object (its data maps' kernel names start with it)
 * @param className    the simple name of the Java class generated for it, from the whole file name without its
 *                     extension, e.g. {@code XdpDrop}, {@code RunqlatBpf}
 */
public record BpfSource(Path file, String relativePath, String baseName, String className) {}

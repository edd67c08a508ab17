package io.github.bpf2java.maven.source;

import java.nio.file.Path;

/**
 * One eBPF C source file found in the source directory.
 *
 * @param file         the absolute path
 * @param relativePath the path below the source directory, with {@code /} separators, e.g. {@code net/xdp_drop.c}
 * @param baseName     the file name without {@code .c}, used for the object files {@code <baseName>_<target>.o}
 * @param className    the simple name of the Java class generated for it, e.g. {@code XdpDrop}
 */
public record BpfSource(Path file, String relativePath, String baseName, String className) {}

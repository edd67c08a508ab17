package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.source.BpfSource;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One clang run: a source for a target, optionally with a precompiled header of its leading includes.
 *
 * @param source            the C file
 * @param target            what it is compiled for
 * @param precompiledHeader the PCH to pass with {@code -include-pch}, built with the same flags for this target
 */
public record CompileTask(BpfSource source, Target target, Optional<Path> precompiledHeader) {

    /** The object's file name, {@code <base>_<target>.o}. */
    public String objectFileName() {
        return source.baseName() + "_" + target.targetName() + ".o";
    }

    /** For logs: {@code net/xdp.c (bpfel)}. */
    public String describe() {
        return source.relativePath() + " (" + target.targetName() + ")";
    }
}

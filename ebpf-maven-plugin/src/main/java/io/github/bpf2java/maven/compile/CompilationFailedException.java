package io.github.bpf2java.maven.compile;

import io.github.bpf2java.maven.build.EbpfBuildException;

/** clang (or the strip tool) rejected one or more sources; the message carries their diagnostics. */
public final class CompilationFailedException extends EbpfBuildException {
    private static final long serialVersionUID = 1L;

    public CompilationFailedException(String message) {
        super(message);
    }
}

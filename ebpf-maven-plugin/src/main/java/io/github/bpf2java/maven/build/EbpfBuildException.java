package io.github.bpf2java.maven.build;

/**
 * The build cannot go on for a reason the user can fix: a compile error in their C code, a parameter with a value
 * that is not allowed, a tool that cannot be found. The message says what is wrong and, where known, how to fix it.
 */
public class EbpfBuildException extends Exception {
    private static final long serialVersionUID = 1L;

    public EbpfBuildException(String message) {
        super(message);
    }

    public EbpfBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}

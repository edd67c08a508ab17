package io.github.bpf2java.ebpf.error;

import java.util.Optional;

/**
 * Base of every error the runtime reports. Each subclass carries the context a user needs to act (which object,
 * program or map, the errno, the verifier log) and, where the fix is known, a hint.
 */
public class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String hint;

    public BpfException(String message) {
        this(message, null, null);
    }

    public BpfException(String message, Throwable cause) {
        this(message, null, cause);
    }

    public BpfException(String message, String hint, Throwable cause) {
        super(hint == null ? message : message + "\n  hint: " + hint, cause);
        this.hint = hint;
    }

    /**
     * The known fix for this error, if there is one. {@link #getMessage()} ends with it already (a line
     * {@code "  hint: ..."}), so a log of the message alone shows it; this is for code that wants it apart.
     */
    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }
}

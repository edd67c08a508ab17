package io.github.bpf2java.ebpf.error;

/**
 * The target is taken or already there ({@code EBUSY} or {@code EEXIST}): a hook that already has a program, a
 * pin path that exists, a map key inserted with {@code BPF_NOEXIST} that is present.
 */
public class BusyException extends KernelException {
    private static final long serialVersionUID = 1L;

    public BusyException(String operation, int errno, String subject, String hint) {
        super(operation, errno, subject, hint);
    }

    /** @param message the complete first line */
    public BusyException(String message, String operation, int errno, String subject, String hint) {
        super(message, operation, errno, subject, hint, null);
    }
}

package io.github.bpf2java.ebpf.error;

/**
 * The running kernel does not support what was asked: a map or program type, an attach type, a flag or a command
 * it does not know ({@code EOPNOTSUPP}, the kernel-internal {@code ENOTSUPP} = 524, or {@code EINVAL} where the
 * type is known to be newer than the kernel). The message names the feature and the kernel release.
 */
public class NotSupportedException extends KernelException {
    private static final long serialVersionUID = 1L;

    public NotSupportedException(String operation, int errno, String subject, String hint) {
        super(operation, errno, subject, hint);
    }

    /** @param message the complete first line, naming the feature and the kernel release */
    public NotSupportedException(String message, String operation, int errno, String subject, String hint) {
        super(message, operation, errno, subject, hint, null);
    }
}

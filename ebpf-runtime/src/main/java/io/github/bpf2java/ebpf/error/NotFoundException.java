package io.github.bpf2java.ebpf.error;

/**
 * What was named does not exist ({@code ENOENT}): a map key, an object id, a pinned path, a tracepoint, a BTF
 * object. The hint says where to look for the names that do exist when that is known.
 */
public class NotFoundException extends KernelException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String operation, int errno, String subject, String hint) {
        super(operation, errno, subject, hint);
    }

    /** @param message the complete first line */
    public NotFoundException(String message, String operation, int errno, String subject, String hint) {
        super(message, operation, errno, subject, hint, null);
    }
}

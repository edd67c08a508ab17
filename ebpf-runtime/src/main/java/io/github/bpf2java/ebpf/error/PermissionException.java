package io.github.bpf2java.ebpf.error;

/**
 * The kernel refused for lack of privilege ({@code EPERM} or {@code EACCES} outside the verifier). The hint says
 * which capabilities are needed and what the relevant sysctl ({@code kernel.unprivileged_bpf_disabled} or
 * {@code kernel.perf_event_paranoid}) is set to on this machine.
 */
public class PermissionException extends KernelException {
    private static final long serialVersionUID = 1L;

    public PermissionException(String operation, int errno, String subject, String hint) {
        super(operation, errno, subject, hint);
    }

    /** @param message the complete first line */
    public PermissionException(String message, String operation, int errno, String subject, String hint) {
        super(message, operation, errno, subject, hint, null);
    }
}

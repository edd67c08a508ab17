package io.github.bpf2java.ebpf.error;


/**
 * The kernel rejected BTF type information ({@code BPF_BTF_LOAD}). Carries the kernel's BTF log, which names the
 * offending type; the message shows its last lines and {@link #log()} all of it.
 */
public class BtfLoadException extends KernelException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN_LINES = 3;

    private final String log;

    /**
     * @param subject what the BTF belongs to, e.g. {@code BTF of object 'counter'}
     * @param errno   the errno of the failed load
     * @param log     the kernel's BTF log, possibly empty
     */
    public BtfLoadException(String subject, int errno, String log) {
        super(message(subject, errno, log), "BPF_BTF_LOAD", errno, subject,
                "the kernel's whole BTF log is in BtfLoadException.log()", null);
        this.log = log;
    }

    /** The kernel's BTF log. */
    public String log() {
        return log;
    }

    private static String message(String subject, int errno, String log) {
        StringBuilder sb = new StringBuilder(subject).append(" was rejected by the kernel: ")
                .append(Errno.describe(errno));
        for (String line : VerifierException.errorLines(log, SHOWN_LINES)) {
            sb.append("\n  | ").append(line);
        }
        return sb.toString();
    }
}

package io.github.bpf2java.ebpf.error;


/**
 * The kernel refused an operation: a {@code bpf(2)}, {@code perf_event_open(2)}, {@code ioctl(2)}, mount or file
 * access failed with an errno. The message says which operation, on which object, the errno by name and number,
 * and (in {@link #hint()}) how to fix it when that is known.
 *
 * <p>Subclasses single out the failures a caller handles differently: {@link PermissionException},
 * {@link NotSupportedException}, {@link VerifierException}, {@link BtfLoadException}, {@link NotFoundException}
 * and {@link BusyException}.
 */
public class KernelException extends BpfException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String subject;

    /**
     * @param operation what was attempted, e.g. {@code BPF_MAP_CREATE}
     * @param errno     the positive errno the kernel returned
     * @param subject   what it concerned, e.g. {@code map 'counts'}; empty when nothing in particular
     * @param hint      how to fix it, or {@code null}
     */
    public KernelException(String operation, int errno, String subject, String hint) {
        this(describe(operation, errno, subject), operation, errno, subject, hint, null);
    }

    /**
     * A failure whose message says more than the errno alone, e.g. what the kernel version lacks.
     *
     * @param message the complete first line of the message
     */
    public KernelException(String message, String operation, int errno, String subject, String hint,
            Throwable cause) {
        super(message, hint, cause);
        this.operation = operation;
        this.errno = errno;
        this.subject = subject == null ? "" : subject;
    }

    /** The standard first line: {@code BPF_MAP_CREATE for map 'counts' failed: EPERM (1, Operation not permitted)}. */
    public static String describe(String operation, int errno, String subject) {
        String on = subject == null || subject.isEmpty() ? "" : " for " + subject;
        return operation + on + " failed: " + Errno.describe(errno);
    }

    /** What was attempted, e.g. {@code BPF_PROG_LOAD}. */
    public String operation() {
        return operation;
    }

    /** The errno number the kernel returned (positive). */
    public int errno() {
        return errno;
    }

    /** The symbolic errno, e.g. {@code EPERM}, or {@code errno 1234} for numbers this runtime does not know. */
    public String errnoName() {
        return Errno.nameOf(errno);
    }

    /** The object the operation concerned, e.g. {@code map 'counts'}; empty when none in particular. */
    public String subject() {
        return subject;
    }
}

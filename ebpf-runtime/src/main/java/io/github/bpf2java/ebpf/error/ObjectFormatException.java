package io.github.bpf2java.ebpf.error;

/**
 * The bytes given as a BPF object are not a well-formed ELF/BTF file: truncated, with offsets outside the file,
 * with loops in the type graph, or otherwise not what a BPF compiler produces. The message names the object, the
 * structure and the offset at fault.
 */
public class ObjectFormatException extends BpfException {
    private static final long serialVersionUID = 1L;

    public ObjectFormatException(String message) {
        super(message);
    }

    public ObjectFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    /** With {@code hint}, the known fix, when there is one. */
    public ObjectFormatException(String message, String hint, Throwable cause) {
        super(message, hint, cause);
    }
}

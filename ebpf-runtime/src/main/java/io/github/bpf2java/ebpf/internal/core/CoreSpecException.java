package io.github.bpf2java.ebpf.internal.core;

/**
 * A CO-RE relocation that cannot be applied at all, not even by poisoning: a malformed access string, candidates that
 * disagree, or an instruction that does not hold what the compiler's record says. The loader turns it into a
 * {@link io.github.bpf2java.ebpf.error.BpfException} naming the program; the build-time check reports it.
 */
public final class CoreSpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CoreSpecException(String message) {
        super(message);
    }
}

package io.github.bpf2java.ebpf.error;

/**
 * The verifier rejected a program at an instruction the CO-RE relocator poisoned: the program accesses a field,
 * type or enumerator the kernel's BTF does not have (or not in a compatible form), and nothing guarded the access.
 * Says which relocation it was, in C terms, instead of the kernel's {@code invalid func unknown#195896080}.
 */
public class CoreRelocationException extends VerifierException {
    private static final long serialVersionUID = 1L;

    private final int instruction;
    private final String relocationKind;
    private final String accessString;
    private final String localType;
    private final String reason;

    /**
     * @param programName    the rejected program
     * @param errno          the errno of the failed load
     * @param log            the verifier log
     * @param truncated      whether the log was cut short
     * @param instruction    the poisoned instruction the verifier reached
     * @param relocationKind the relocation's kind, e.g. {@code FIELD_BYTE_OFFSET}
     * @param accessString   the access in C terms, e.g. {@code task_struct.pid}
     * @param localType      the object's type the access starts from, e.g. {@code struct task_struct___v1}
     * @param reason         why the kernel's BTF cannot satisfy it
     * @param target         which BTF the relocation was resolved against, for the message
     */
    public CoreRelocationException(String programName, int errno, String log, boolean truncated, int instruction,
            String relocationKind, String accessString, String localType, String reason, String target) {
        super("program '" + programName + "' was rejected by the verifier at instruction " + instruction
                + ": CO-RE relocation " + relocationKind + " of " + accessString + " (local type " + localType
                + ") cannot be satisfied by " + target + ": " + reason, programName, errno, log, truncated,
                "guard the access with bpf_core_field_exists(), bpf_core_type_exists() or "
                        + "bpf_core_enum_value_exists() so the verifier drops it on kernels without it, or add a "
                        + "___flavor of the type that matches this kernel; CoreCheck.check(object, btf) lists every "
                        + "such relocation for a kernel's BTF without loading");
        this.instruction = instruction;
        this.relocationKind = relocationKind;
        this.accessString = accessString;
        this.localType = localType;
        this.reason = reason;
    }

    /** The poisoned instruction the verifier reached, counted in the program as loaded. */
    public int instruction() {
        return instruction;
    }

    /** The relocation's kind, as {@code io.github.bpf2java.ebpf.spec.CoreRelocationKind} names it. */
    public String relocationKind() {
        return relocationKind;
    }

    /** The access in C terms, e.g. {@code task_struct.pid}. */
    public String accessString() {
        return accessString;
    }

    /** The object's type the access starts from. */
    public String localType() {
        return localType;
    }

    /** Why the kernel's BTF cannot satisfy the relocation. */
    public String reason() {
        return reason;
    }
}

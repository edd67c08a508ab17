package io.github.bpf2java.ebpf.core;

import io.github.bpf2java.ebpf.spec.CoreRelocationKind;

/**
 * A CO-RE relocation a target kernel's BTF cannot satisfy: the loader would poison the instruction (so the program
 * fails verification if the instruction is reachable) or refuse the object outright.
 *
 * @param program      the program whose code holds the relocation
 * @param instruction  the instruction's index in the program as loaded (its subprograms appended after it)
 * @param kind         the relocation kind
 * @param accessString the access as C writes it, e.g. {@code task_struct.pid}, or the raw access string when the
 *                     object's BTF could not be read that far
 * @param localType    the object's type the access starts from, e.g. {@code struct task_struct___v1}
 * @param reason       why the target cannot satisfy it
 */
public record CoreFailure(String program, int instruction, CoreRelocationKind kind, String accessString,
        String localType, String reason) {

    /** One line for a log or an error: program, instruction, kind, access, local type and reason. */
    public String describe() {
        return "program '" + program + "' instruction " + instruction + ": " + kind + " of " + accessString
                + " (local type " + localType + "): " + reason;
    }
}

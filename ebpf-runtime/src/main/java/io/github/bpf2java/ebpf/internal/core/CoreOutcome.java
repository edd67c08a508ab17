package io.github.bpf2java.ebpf.internal.core;

import io.github.bpf2java.ebpf.spec.CoreRelocationKind;

/**
 * What happened to one CO-RE relocation.
 *
 * @param instruction  the patched instruction, counted as the caller counts (the linked program's index at load)
 * @param kind         the relocation kind
 * @param accessString the access as C writes it, e.g. {@code task_struct.pid}
 * @param localType    the object's type the access starts from, e.g. {@code struct task_struct___v1}
 * @param poisoned     whether the target could not satisfy it and the instruction became a call of
 *                     {@link CoreRelocator#POISON_HELPER}, which the verifier refuses if it can reach it
 * @param value        the value written into the instruction (when not poisoned)
 * @param reason       why it was poisoned, or the empty string
 */
public record CoreOutcome(int instruction, CoreRelocationKind kind, String accessString, String localType,
        boolean poisoned, long value, String reason) {}

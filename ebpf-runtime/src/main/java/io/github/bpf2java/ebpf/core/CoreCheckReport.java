package io.github.bpf2java.ebpf.core;

import java.util.List;

/**
 * The result of {@link CoreCheck#check}: how many relocations were resolved and which could not be.
 *
 * @param relocations the number of relocations resolved, counted per program (a subprogram's count once for each
 *                    program that calls it)
 * @param failures    the relocations the target cannot satisfy, in program and instruction order
 * @param guarded     relocations the target cannot satisfy either, in programs that ask whether the same type or
 *                    field exists ({@code bpf_core_field_exists}, {@code bpf_core_type_exists}, ...): the
 *                    libbpf-tools way to read a field that a kernel renamed, through the type's flavors
 *                    ({@code task_struct___o}), in a branch the verifier drops as dead where the check says no. Not
 *                    failures: the check cannot tell which branch runs, the verifier can
 */
public record CoreCheckReport(int relocations, List<CoreFailure> failures, List<CoreFailure> guarded) {

    public CoreCheckReport {
        failures = List.copyOf(failures);
        guarded = List.copyOf(guarded);
    }

    /** Whether every relocation was satisfied, or left unsatisfied only behind an existence check. */
    public boolean ok() {
        return failures.isEmpty();
    }
}

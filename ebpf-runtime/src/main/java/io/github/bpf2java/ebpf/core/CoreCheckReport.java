package io.github.bpf2java.ebpf.core;

import java.util.List;

/**
 * The result of {@link CoreCheck#check}: how many relocations were resolved and which could not be.
 *
 * @param relocations the number of relocations resolved, counted per program (a subprogram's count once for each
 *                    program that calls it)
 * @param failures    the relocations the target cannot satisfy, in program and instruction order
 * @param guarded     relocations the target cannot satisfy either, but in code that cannot run on it: behind a
 *                    CO-RE check the target answers no ({@code if (bpf_core_field_exists(t->__state))}, the
 *                    libbpf-tools way to read a field a kernel renamed), which the verifier drops as dead code.
 *                    Found by following the relocated constants through the function's branches; not failures
 */
public record CoreCheckReport(int relocations, List<CoreFailure> failures, List<CoreFailure> guarded) {

    public CoreCheckReport {
        failures = List.copyOf(failures);
        guarded = List.copyOf(guarded);
    }

    /** Whether every relocation was satisfied, or left unsatisfied only in code that cannot run. */
    public boolean ok() {
        return failures.isEmpty();
    }
}

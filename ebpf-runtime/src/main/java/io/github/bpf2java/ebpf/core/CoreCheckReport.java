package io.github.bpf2java.ebpf.core;

import java.util.List;

/**
 * The result of {@link CoreCheck#check}: how many relocations were resolved and which could not be.
 *
 * @param relocations the number of relocations resolved, counted per program (a subprogram's count once for each
 *                    program that calls it)
 * @param failures    the relocations the target cannot satisfy, in program and instruction order
 */
public record CoreCheckReport(int relocations, List<CoreFailure> failures) {

    public CoreCheckReport {
        failures = List.copyOf(failures);
    }

    /** Whether every relocation was satisfied. */
    public boolean ok() {
        return failures.isEmpty();
    }
}

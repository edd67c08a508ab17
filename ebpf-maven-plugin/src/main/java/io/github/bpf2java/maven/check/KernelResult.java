package io.github.bpf2java.maven.check;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking every applicable object against one kernel.
 *
 * @param kernel      the kernel's BTF
 * @param objects     how many objects were checked (those compiled for the kernel's byte order)
 * @param relocations how many CO-RE relocations those objects have
 * @param failures    the relocations the kernel cannot satisfy
 * @param guarded     how many more it cannot satisfy in code that cannot run on it, behind a CO-RE existence check
 *                    it answers no (the verifier drops that code; not failures)
 * @param unreadable  why the kernel's BTF could not be used, if it could not (nothing was checked then)
 */
public record KernelResult(KernelBtf kernel, int objects, int relocations, List<RelocationFailure> failures,
        int guarded, Optional<String> unreadable) {

    public KernelResult {
        failures = List.copyOf(failures);
    }

    static KernelResult unreadable(KernelBtf kernel, String problem) {
        return new KernelResult(kernel, 0, 0, List.of(), 0, Optional.of(problem));
    }

    /** Whether the BTF was read and every relocation is satisfied. */
    public boolean ok() {
        return unreadable.isEmpty() && failures.isEmpty();
    }
}

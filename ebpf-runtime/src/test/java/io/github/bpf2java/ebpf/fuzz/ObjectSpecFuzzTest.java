package io.github.bpf2java.ebpf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the object-spec builder, {@link ObjectSpec#read}: ELF, BTF, {@code .BTF.ext}, maps, variables, programs
 * and relocations together, as the loader and the build plugin read an object.
 */
class ObjectSpecFuzzTest {
    @BeforeAll
    static void seeds() {
        FuzzInputs.writeSeeds(ObjectSpecFuzzTest.class, "readsAnyObjectWithinBounds", Optional::of);
    }

    @FuzzTest(maxDuration = "10s")
    void readsAnyObjectWithinBounds(byte[] input) {
        FuzzInputs.bounded(input, () -> ObjectSpec.read("fuzzed.o", input));
    }
}

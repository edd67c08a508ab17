package io.github.bpf2java.ebpf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.ParseBounds;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes what the build plugin's generator does after reading an object: every BTF type described, resolved, sized
 * and aligned, and the BTF encoded back ({@link ParseBounds#walkLikeTheGenerator}).
 */
class TypeWalkFuzzTest {
    @BeforeAll
    static void seeds() {
        FuzzInputs.writeSeeds(TypeWalkFuzzTest.class, "walksEveryTypeWithinBounds", Optional::of);
    }

    @FuzzTest(maxDuration = "10s")
    void walksEveryTypeWithinBounds(byte[] input) {
        FuzzInputs.bounded(input, () -> ParseBounds.walkLikeTheGenerator(ObjectSpec.read("fuzzed.o", input)));
    }
}

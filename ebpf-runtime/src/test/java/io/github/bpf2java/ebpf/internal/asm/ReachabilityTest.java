package io.github.bpf2java.ebpf.internal.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.ebpf.testing.Asm;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Reachability} on hand-written instructions: a branch on a known constant goes one way, as after a CO-RE
 * existence check; anything it cannot know goes both ways.
 */
class ReachabilityTest {
    // BPF_JMP32 | BPF_JEQ | BPF_K, BPF_ALU | BPF_MOV | BPF_K, BPF_ALU64 | BPF_LSH | BPF_K, BPF_JMP | BPF_JNE | BPF_X.
    private static final int JEQ32 = 0x16;
    private static final int MOV32 = 0xb4;
    private static final int LSH64 = 0x67;
    private static final int JNE_REG = 0x5d;

    /** {@code r1 = exists; if r1 == 0 goto +2; r0 = 2; exit; r0 = 3; exit}. */
    private static Asm guarded(int exists) {
        return new Asm().mov(1, exists).jumpIfEqual(1, 0, 2).mov(0, 2).exit().mov(0, 3).exit();
    }

    @Test
    void aBranchOnAConstantGoesOneWay() {
        assertEquals(slots(0, 1, 2, 3), reachable(guarded(1)), "the field exists: the fallback is dead");
        assertEquals(slots(0, 1, 4, 5), reachable(guarded(0)), "it does not: the read is dead");
    }

    @Test
    void anUnknownValueOrACallGoesBothWays() {
        Asm loaded = new Asm().loadDouble(1, 10, -8).jumpIfEqual(1, 0, 2).mov(0, 2).exit().mov(0, 3).exit();
        assertEquals(slots(0, 1, 2, 3, 4, 5), reachable(loaded));
        Asm called = new Asm().mov(1, 1).call(8).jumpIfEqual(1, 0, 2).mov(0, 2).exit().mov(0, 3).exit();
        assertEquals(slots(0, 1, 2, 3, 4, 5, 6), reachable(called), "a call clobbers r1");
        Asm kept = new Asm().mov(6, 1).call(8).jumpIfEqual(6, 0, 2).mov(0, 2).exit().mov(0, 3).exit();
        assertEquals(slots(0, 1, 2, 3, 4), reachable(kept), "but not r6");
    }

    @Test
    void valuesFollowMovesArithmeticAndThirtyTwoBitCompares() {
        // r1 = 1; r2 = r1; r2 <<= 32; w3 = 0; if r2 != r3 goto +2 (taken: 1 << 32 != 0); r0 = 0; exit; r0 = 1; exit
        Asm wide = new Asm().mov(1, 1).movReg(2, 1).instruction(LSH64, 2, 0, 0, 32).instruction(MOV32, 3, 0, 0, 0)
                .instruction(JNE_REG, 2, 3, 2, 0).mov(0, 0).exit().mov(0, 1).exit();
        assertEquals(slots(0, 1, 2, 3, 4, 7, 8), reachable(wide));
        // The same value compared in 32 bits is 0: if w2 == 0 goto +2 is taken.
        Asm narrow = new Asm().mov(2, 1).instruction(LSH64, 2, 0, 0, 32).instruction(JEQ32, 2, 0, 2, 0)
                .mov(0, 0).exit().mov(0, 1).exit();
        assertEquals(slots(0, 1, 2, 5, 6), reachable(narrow));
    }

    @Test
    void pathsThatDisagreeAboutARegisterForgetIt() {
        // if r1 == 0 goto +2 (r1 unknown); r2 = 1; goto +1; r2 = 0; if r2 == 0 goto +1; exit; exit
        Asm merge = new Asm().jumpIfEqual(1, 0, 2).mov(2, 1).instruction(0x05, 0, 0, 1, 0).mov(2, 0)
                .jumpIfEqual(2, 0, 1).exit().exit();
        assertEquals(slots(0, 1, 2, 3, 4, 5, 6), reachable(merge));
    }

    @Test
    void aJumpOutOfTheFunctionMakesEverythingReachable() {
        Asm outside = new Asm().mov(0, 0).instruction(0x05, 0, 0, 40, 0).mov(0, 1).exit();
        assertEquals(slots(0, 1, 2, 3), reachable(outside));
    }

    private static BitSet reachable(Asm asm) {
        return Reachability.reachable(Instructions.copyOf(asm.bytes(), ByteOrder.nativeOrder()));
    }

    private static BitSet slots(int... indexes) {
        BitSet set = new BitSet();
        IntStream.of(indexes).forEach(set::set);
        return set;
    }
}

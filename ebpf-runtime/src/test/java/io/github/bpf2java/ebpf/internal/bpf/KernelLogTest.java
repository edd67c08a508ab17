package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelLogTest {

    @Test
    void aLogOfStatisticsAloneVerifiedNothing() {
        assertTrue(KernelLog.verifiedNothing("processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 "
                + "peak_states 0 mark_read 0\n"));
        assertTrue(KernelLog.verifiedNothing("\nprocessed 0 insns (limit 1000000)\nverification time 3 usec\n"
                + "stack depth 0\n"));
    }

    @Test
    void aFindingOrProcessedInstructionsIsTheVerifiers() {
        assertFalse(KernelLog.verifiedNothing(""), "an empty log says nothing");
        assertFalse(KernelLog.verifiedNothing("0: R1=ctx() R10=fp0\n0: (b7) r0 = 0\nR0 !read_ok\n"
                + "processed 1 insns (limit 1000000)\n"));
        assertFalse(KernelLog.verifiedNothing("attach_btf_id 123 is not a function\n"
                + "processed 0 insns (limit 1000000)\n"), "a reason given before the statistics");
    }
}

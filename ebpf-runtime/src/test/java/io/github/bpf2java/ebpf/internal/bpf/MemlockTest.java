package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import org.junit.jupiter.api.Test;

class MemlockTest {
    @Test
    void raisesTheLimitOnlyWhereTheKernelChargesIt() {
        Memlock.Outcome outcome = Memlock.ensureSufficient();
        boolean charged = !KernelVersion.running().atLeast(KernelVersion.of(5, 11));
        assertEquals(charged, outcome.needed(), outcome.detail());
        if (!charged) {
            assertTrue(outcome.detail().contains("memory cgroup"), outcome.detail());
        }
        assertSame(outcome, Memlock.ensureSufficient(), "decided once per process");
    }
}

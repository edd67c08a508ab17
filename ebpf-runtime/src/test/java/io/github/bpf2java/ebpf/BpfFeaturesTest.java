package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import org.junit.jupiter.api.Test;

/** {@link BpfFeatures} asks the running kernel by loading a trivial program. */
class BpfFeaturesTest {

    @Test
    void typesEveryBpfKernelHasLoadAndTypesNeedingATargetDoNot() {
        KernelSupport.assumeBpf();
        assertTrue(BpfFeatures.supports(ProgramType.SOCKET_FILTER));
        assertTrue(BpfFeatures.supports(ProgramType.XDP));
        assertTrue(BpfFeatures.supports(ProgramType.SCHED_CLS));
        // fentry/fexit cannot load without an attach target: documented as false.
        assertFalse(BpfFeatures.supports(ProgramType.TRACING));
        assertTrue(BpfFeatures.supports(ProgramType.XDP), "cached answer stays the same");
    }
}

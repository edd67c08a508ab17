package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link BpfFeatures} asks the running kernel. The test kernels (the build machine's, newer than 6.9, and the guest's
 * 6.1) have every feature asked about here except where noted, so each answer is known.
 */
@AlsoInGuestKernel
class BpfFeaturesTest {
    /** {@code BPF_FUNC_map_lookup_elem}. */
    private static final int MAP_LOOKUP_ELEM = 1;
    /** {@code BPF_FUNC_skb_load_bytes}: for socket buffers only. */
    private static final int SKB_LOAD_BYTES = 26;
    /** {@code BPF_FUNC_ringbuf_output} (Linux 5.8). */
    private static final int RINGBUF_OUTPUT = 130;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    @Test
    void typesEveryBpfKernelHasLoadAndTypesNeedingATargetDoNot() {
        assertTrue(BpfFeatures.supports(ProgramType.SOCKET_FILTER));
        assertTrue(BpfFeatures.supports(ProgramType.XDP));
        assertTrue(BpfFeatures.supports(ProgramType.SCHED_CLS));
        // Types the kernel takes only with an expected attach type or flag the probe gives.
        assertTrue(BpfFeatures.supports(ProgramType.CGROUP_SOCK_ADDR));
        assertTrue(BpfFeatures.supports(ProgramType.SK_LOOKUP));
        assertTrue(BpfFeatures.supports(ProgramType.SYSCALL));
        // fentry/fexit cannot load without an attach target: documented as false.
        assertFalse(BpfFeatures.supports(ProgramType.TRACING));
        assertTrue(BpfFeatures.supports(ProgramType.XDP), "cached answer stays the same");
    }

    @Test
    void mapTypesAreCreatedOnceAndClosed() {
        List<String> before = OpenDescriptors.kernelObjects();
        for (MapType type : List.of(MapType.HASH, MapType.ARRAY, MapType.LPM_TRIE, MapType.ARRAY_OF_MAPS,
                MapType.STACK_TRACE, MapType.CGROUP_STORAGE, MapType.QUEUE, MapType.SK_STORAGE, MapType.TASK_STORAGE,
                MapType.RINGBUF, MapType.BLOOM_FILTER, MapType.USER_RINGBUF, MapType.STRUCT_OPS,
                MapType.PERF_EVENT_ARRAY, MapType.DEVMAP_HASH)) {
            assertTrue(BpfFeatures.supports(type), type + " exists on every test kernel");
        }
        assertFalse(BpfFeatures.supports(MapType.UNSPEC));
        assertEquals(before, OpenDescriptors.kernelObjects(), "every probe closed what it opened");
    }

    @Test
    void helpersAreKnownPerProgramType() {
        assertTrue(BpfFeatures.supportsHelper(ProgramType.XDP, MAP_LOOKUP_ELEM));
        assertTrue(BpfFeatures.supportsHelper(ProgramType.KPROBE, RINGBUF_OUTPUT));
        assertTrue(BpfFeatures.supportsHelper(ProgramType.SCHED_CLS, SKB_LOAD_BYTES));
        assertFalse(BpfFeatures.supportsHelper(ProgramType.KPROBE, SKB_LOAD_BYTES), "socket buffers only");
        assertFalse(BpfFeatures.supportsHelper(ProgramType.XDP, 100_000), "no such helper");
    }

    @Test
    void attachTypesAreKnownWhereTheKernelChecksThemAtLoad() {
        assertTrue(BpfFeatures.supports(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT));
        assertTrue(BpfFeatures.supports(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_EGRESS));
        assertFalse(BpfFeatures.supports(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET4_CONNECT), "not for skb");
        assertEquals(KernelVersion.running().compareTo(KernelVersion.of(6, 7)) >= 0,
                BpfFeatures.supports(ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_UNIX_CONNECT),
                "Unix socket addresses came with Linux 6.7");
        assertThrows(IllegalArgumentException.class, () -> BpfFeatures.supports(ProgramType.XDP, AttachType.XDP));
    }

    @Test
    void everyKernelCapabilityOfTheTestKernelsIsFound() {
        List<String> before = OpenDescriptors.kernelObjects();
        for (BpfFeatures.Feature feature : BpfFeatures.Feature.values()) {
            if (feature == BpfFeatures.Feature.UPROBE_MULTI_LINK) {
                assertEquals(KernelVersion.running().compareTo(KernelVersion.of(6, 6)) >= 0,
                        BpfFeatures.supports(feature), "uprobe.multi links came with Linux 6.6");
            } else if (feature == BpfFeatures.Feature.ISA_V4) {
                assertEquals(KernelVersion.running().compareTo(KernelVersion.of(6, 6)) >= 0,
                        BpfFeatures.supports(feature), "instruction set v4 came with Linux 6.6");
            } else {
                assertTrue(BpfFeatures.supports(feature), feature + " is in Linux 6.1");
            }
        }
        assertEquals(before, OpenDescriptors.kernelObjects(), "every probe closed what it opened");
    }
}

package io.github.bpf2java.ebpf.attach;

/**
 * The generalized hardware perf events ({@code enum perf_hw_id} of {@code linux/perf_event.h}); ordinal = id.
 * Virtual machines often have no hardware counters: attaching then fails with a {@code NotSupportedException}.
 */
public enum HardwareEvent {
    /** {@code PERF_COUNT_HW_CPU_CYCLES}. */
    CPU_CYCLES,
    /** {@code PERF_COUNT_HW_INSTRUCTIONS}. */
    INSTRUCTIONS,
    /** {@code PERF_COUNT_HW_CACHE_REFERENCES}. */
    CACHE_REFERENCES,
    /** {@code PERF_COUNT_HW_CACHE_MISSES}. */
    CACHE_MISSES,
    /** {@code PERF_COUNT_HW_BRANCH_INSTRUCTIONS}. */
    BRANCH_INSTRUCTIONS,
    /** {@code PERF_COUNT_HW_BRANCH_MISSES}. */
    BRANCH_MISSES,
    /** {@code PERF_COUNT_HW_BUS_CYCLES}. */
    BUS_CYCLES,
    /** {@code PERF_COUNT_HW_STALLED_CYCLES_FRONTEND}. */
    STALLED_CYCLES_FRONTEND,
    /** {@code PERF_COUNT_HW_STALLED_CYCLES_BACKEND}. */
    STALLED_CYCLES_BACKEND,
    /** {@code PERF_COUNT_HW_REF_CPU_CYCLES}. */
    REF_CPU_CYCLES;

    /** The {@code config} value. */
    public long config() {
        return ordinal();
    }
}

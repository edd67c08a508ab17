package io.github.bpf2java.ebpf.attach;

/** The kernel's software perf events ({@code enum perf_sw_ids} of {@code linux/perf_event.h}); ordinal = id. */
public enum SoftwareEvent {
    /** {@code PERF_COUNT_SW_CPU_CLOCK}: a high-resolution timer per CPU; the usual profiling clock. */
    CPU_CLOCK,
    /** {@code PERF_COUNT_SW_TASK_CLOCK}: time the task runs. */
    TASK_CLOCK,
    /** {@code PERF_COUNT_SW_PAGE_FAULTS}. */
    PAGE_FAULTS,
    /** {@code PERF_COUNT_SW_CONTEXT_SWITCHES}. */
    CONTEXT_SWITCHES,
    /** {@code PERF_COUNT_SW_CPU_MIGRATIONS}. */
    CPU_MIGRATIONS,
    /** {@code PERF_COUNT_SW_PAGE_FAULTS_MIN}. */
    PAGE_FAULTS_MIN,
    /** {@code PERF_COUNT_SW_PAGE_FAULTS_MAJ}. */
    PAGE_FAULTS_MAJ,
    /** {@code PERF_COUNT_SW_ALIGNMENT_FAULTS}. */
    ALIGNMENT_FAULTS,
    /** {@code PERF_COUNT_SW_EMULATION_FAULTS}. */
    EMULATION_FAULTS,
    /** {@code PERF_COUNT_SW_DUMMY}. */
    DUMMY,
    /** {@code PERF_COUNT_SW_BPF_OUTPUT}. */
    BPF_OUTPUT,
    /** {@code PERF_COUNT_SW_CGROUP_SWITCHES}. */
    CGROUP_SWITCHES;

    /** The {@code config} value. */
    public long config() {
        return ordinal();
    }
}

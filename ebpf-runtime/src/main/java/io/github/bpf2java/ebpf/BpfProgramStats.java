package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import java.time.Duration;

/**
 * How often a program ran and for how long. The kernel counts only while run-time statistics are enabled
 * ({@link BpfStats#enable()}, or {@code sysctl kernel.bpf_stats_enabled=1}); otherwise the numbers stay where they
 * were (0 for a program that never ran with statistics on).
 *
 * @param runCount        {@code run_cnt}: the runs counted
 * @param runTimeNs       {@code run_time_ns}: their total time in nanoseconds
 * @param recursionMisses {@code recursion_misses}: runs the kernel skipped because the program was already
 *                        running on that CPU
 */
public record BpfProgramStats(long runCount, long runTimeNs, long recursionMisses) {

    static BpfProgramStats of(ProgramInfo info) {
        return new BpfProgramStats(info.runCount(), info.runTimeNs(), info.recursionMisses());
    }

    /** The total run time. */
    public Duration runTime() {
        return Duration.ofNanos(runTimeNs);
    }

    /** The mean time of one run in nanoseconds; 0 when nothing was counted. */
    public long meanRunTimeNs() {
        return runCount == 0 ? 0 : runTimeNs / runCount;
    }
}

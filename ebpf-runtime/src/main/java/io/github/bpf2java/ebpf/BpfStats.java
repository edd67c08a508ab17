package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.internal.bpf.ProgramStats;
import io.github.bpf2java.ebpf.internal.syscall.Fd;

/**
 * Run-time statistics of every BPF program on the host, on while this is open ({@code BPF_ENABLE_STATS} with
 * {@code BPF_STATS_RUN_TIME}). While on, the kernel counts each program's runs and run time
 * ({@link BpfProgram#stats()}); this costs a little on every program run (two clock reads), so close it when done.
 * Several holders may be open at once; statistics stay on until the last one closes.
 *
 * <pre>{@code
 * try (BpfStats stats = BpfStats.enable()) {
 *     program.testRun(TestRun.builder().data(frame).repeat(1000).build());
 *     long runs = program.stats().runCount();
 * }
 * }</pre>
 *
 * <p>Needs {@code CAP_SYS_ADMIN} (Linux 5.8+).
 */
public final class BpfStats implements AutoCloseable {
    private final Fd fd;

    private BpfStats(Fd fd) {
        this.fd = fd;
    }

    /**
     * Turns statistics on until {@link #close()}.
     *
     * @throws io.github.bpf2java.ebpf.error.BpfException when the kernel refuses (no CAP_SYS_ADMIN, before 5.8)
     */
    public static BpfStats enable() {
        return new BpfStats(ProgramStats.enable());
    }

    /** Whether this holder was closed. */
    public boolean isClosed() {
        return fd.isClosed();
    }

    /** Turns statistics off, unless another holder keeps them on. Idempotent and thread-safe. */
    @Override
    public void close() {
        fd.close();
    }
}

package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;

/**
 * Run-time statistics of all programs ({@code BPF_ENABLE_STATS} with {@code BPF_STATS_RUN_TIME}): while the returned
 * descriptor is open, the kernel counts each program's runs and run time ({@link ProgramInfo#runCount()},
 * {@link ProgramInfo#runTimeNs()}). Counting costs a little on every program run, so close it when done.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class ProgramStats {
    /** {@code BPF_STATS_RUN_TIME}. */
    private static final int RUN_TIME = 0;

    private ProgramStats() {}

    /** Turns on run-time statistics until the returned descriptor is closed. */
    public static Fd enable() {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.EnableStats.SIZE)) {
            attr.putInt(AttrLayout.EnableStats.TYPE, RUN_TIME);
            return BpfSyscall.callForFd(BpfCommand.ENABLE_STATS, attr, AttrLayout.EnableStats.SIZE,
                    "BPF run-time statistics");
        } catch (KernelException e) {
            if (Errno.EPERM.is(e.errno())) {
                // Statistics apply to every program of the host: the kernel asks for CAP_SYS_ADMIN itself.
                throw KernelErrors.withHint(e, "turning statistics on takes CAP_SYS_ADMIN, since they apply to every "
                        + "program on the host (CAP_BPF and CAP_PERFMON do not give it); run as root, or grant "
                        + "CAP_SYS_ADMIN");
            }
            throw e;
        }
    }
}

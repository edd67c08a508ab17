package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;

/**
 * Lifts {@code RLIMIT_MEMLOCK} for kernels that still charge BPF maps and programs to it. Since Linux 5.11 the
 * kernel accounts BPF memory to the memory cgroup instead, and the limit is left alone. The check and the raise
 * happen once per process, on first use.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Memlock {
    private Memlock() {}

    /**
     * Makes sure the memlock limit will not make map creation or program loading fail: on kernels before 5.11 the
     * limit is raised to infinity (or, without {@code CAP_SYS_RESOURCE}, the soft limit to the hard one).
     *
     * @return what was found or done, e.g. for a diagnostic
     */
    public static Outcome ensureSufficient() {
        return Once.OUTCOME;
    }

    /**
     * What {@link #ensureSufficient()} found.
     *
     * @param needed whether the kernel charges BPF memory to RLIMIT_MEMLOCK
     * @param raised whether the limit is now infinity (or as high as the hard limit allows)
     * @param detail a sentence for logs
     */
    public record Outcome(boolean needed, boolean raised, String detail) {}

    // The holder idiom gives a once-per-process, thread-safe computation without mutable static state.
    private static final class Once {
        static final Outcome OUTCOME = raiseIfNeeded();
    }

    private static Outcome raiseIfNeeded() {
        KernelVersion running;
        try {
            running = KernelVersion.running();
        } catch (RuntimeException unreadable) {
            return raise();
        }
        if (running.atLeast(KernelVersion.BPF_MEMCG_ACCOUNTING)) {
            return new Outcome(false, false, "Linux " + running + " accounts BPF memory to the memory cgroup");
        }
        return raise();
    }

    private static Outcome raise() {
        int word = Libc.is64Bit() ? 8 : 4;
        try (NativeBuffer limit = new NativeBuffer(2L * word)) {
            setBoth(limit, word, -1L);
            if (Libc.setrlimit(Libc.RLIMIT_MEMLOCK, limit.address()) == 0) {
                return new Outcome(true, true, "RLIMIT_MEMLOCK raised to infinity");
            }
            if (Libc.getrlimit(Libc.RLIMIT_MEMLOCK, limit.address()) != 0) {
                return new Outcome(true, false, "RLIMIT_MEMLOCK unreadable");
            }
            long hard = word == 8 ? limit.getLong(8) : Integer.toUnsignedLong(limit.getInt(4));
            setBoth(limit, word, hard);
            boolean raised = Libc.setrlimit(Libc.RLIMIT_MEMLOCK, limit.address()) == 0;
            return new Outcome(true, raised, raised
                    ? "RLIMIT_MEMLOCK soft limit raised to the hard limit " + hard + " (no CAP_SYS_RESOURCE)"
                    : "RLIMIT_MEMLOCK could not be raised (ulimit -l)");
        }
    }

    private static void setBoth(NativeBuffer limit, int word, long value) {
        if (word == 8) {
            limit.putLong(0, value);
            limit.putLong(8, value);
        } else {
            limit.putInt(0, (int) value);
            limit.putInt(4, (int) value);
        }
    }
}

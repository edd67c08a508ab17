package io.github.bpf2java.ebpf.internal.bpf;

/**
 * Sizing of the log buffers the verifier and the BTF checker write into: start small, grow until the whole log
 * fits. Kernels before 5.2 reject buffers of 16 MiB or more; kernels since 6.4 report the exact size they need
 * ({@code log_true_size}), which may then exceed that.
 */
public final class KernelLog {
    /** The first buffer offered. */
    public static final int INITIAL_SIZE = 64 * 1024;
    /** The largest buffer offered when the kernel does not say how much it needs. */
    public static final int MAX_BLIND_SIZE = (16 << 20) - 1;
    /** The largest buffer offered at all (the kernel's own limit is 1 GiB). */
    public static final int MAX_SIZE = 256 << 20;

    private KernelLog() {}

    /**
     * The next buffer size after a log did not fit in {@code current} bytes, or -1 when no larger buffer will be
     * offered.
     *
     * @param trueSize the size the kernel reported it needs, 0 when it does not report it
     */
    public static int nextSize(int current, int trueSize) {
        if (trueSize > current) {
            return trueSize <= MAX_SIZE ? trueSize : -1;
        }
        if (current >= MAX_BLIND_SIZE) {
            return -1;
        }
        return (int) Math.min((long) current * 4, MAX_BLIND_SIZE);
    }

    /**
     * Whether a verifier log says only that nothing was verified: its statistics lines ("processed 0 insns ...",
     * "verification time", "stack depth") and no finding. Such a refusal came before the first instruction, from
     * the kernel's policy rather than from the program's code.
     */
    public static boolean verifiedNothing(String log) {
        boolean processedNone = false;
        for (String line : log.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("processed 0 insns")) {
                processedNone = true;
            } else if (!trimmed.isEmpty() && !trimmed.startsWith("verification time")
                    && !trimmed.startsWith("stack depth")) {
                return false;
            }
        }
        return processedNone;
    }
}

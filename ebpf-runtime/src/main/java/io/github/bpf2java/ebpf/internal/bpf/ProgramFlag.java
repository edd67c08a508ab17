package io.github.bpf2java.ebpf.internal.bpf;

/**
 * Flags for {@code prog_flags} of {@code BPF_PROG_LOAD} ({@code BPF_F_*} in {@code linux/bpf.h}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public enum ProgramFlag {
    /** {@code BPF_F_STRICT_ALIGNMENT}. */
    STRICT_ALIGNMENT(1),
    /** {@code BPF_F_ANY_ALIGNMENT}. */
    ANY_ALIGNMENT(1 << 1),
    /** {@code BPF_F_TEST_RND_HI32}. */
    TEST_RND_HI32(1 << 2),
    /** {@code BPF_F_TEST_STATE_FREQ}. */
    TEST_STATE_FREQ(1 << 3),
    /** {@code BPF_F_SLEEPABLE}: the program may sleep (sleepable LSM, fentry, uprobe, iter, syscall programs). */
    SLEEPABLE(1 << 4),
    /** {@code BPF_F_XDP_HAS_FRAGS}: an XDP program that handles multi-buffer packets. */
    XDP_HAS_FRAGS(1 << 5),
    /** {@code BPF_F_XDP_DEV_BOUND_ONLY}. */
    XDP_DEV_BOUND_ONLY(1 << 6);

    private final int value;

    ProgramFlag(int value) {
        this.value = value;
    }

    /** The UAPI bit. */
    public int value() {
        return value;
    }

    /** The bits of {@code flags} or'ed together. */
    public static int of(ProgramFlag... flags) {
        int bits = 0;
        for (ProgramFlag f : flags) {
            bits |= f.value;
        }
        return bits;
    }
}

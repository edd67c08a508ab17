package io.github.bpf2java.ebpf.internal.poll;

import java.time.Duration;

/**
 * The time budget of a bounded wait, as the readers, the user ring buffer and the trace pipe take it from a
 * caller's {@link Duration}.
 *
 * <p>Internal: not part of the stable API.
 */
public final class Timeouts {
    private Timeouts() {}

    /**
     * {@code timeout} in nanoseconds: 0 for a negative one (do not wait), {@link Long#MAX_VALUE} for one too long to
     * count in a {@code long} (about 292 years: wait without end).
     */
    public static long budgetNanos(Duration timeout) {
        if (timeout.isNegative()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}

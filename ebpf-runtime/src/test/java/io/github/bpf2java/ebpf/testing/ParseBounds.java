package io.github.bpf2java.ebpf.testing;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfEncoder;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.function.ThrowingSupplier;

/**
 * The bounds every parser input must keep, shared by the hostile-input regression tests and the fuzz targets: a
 * result or a typed rejection within {@link #MAX_TIME}, allocating less than {@link #MAX_ALLOCATION} bytes for an
 * input under {@link #MAX_INPUT} bytes. Allocation is the thread's allocated bytes
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), garbage included.
 */
public final class ParseBounds {
    /** The longest a parse (plus a generator-like walk) may take. */
    public static final Duration MAX_TIME = Duration.ofSeconds(1);
    /** What a parse of an input under {@link #MAX_INPUT} may allocate. */
    public static final long MAX_ALLOCATION = 64L << 20;
    /** Inputs up to this size must stay within {@link #MAX_ALLOCATION}. */
    public static final long MAX_INPUT = 1L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private ParseBounds() {}

    /** Bytes allocated so far by the calling thread. */
    public static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /** CPU time used so far by the calling thread, in nanoseconds. */
    public static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** What one bounded run produced: the value or the typed rejection, and the bytes it allocated. */
    public record Outcome<T>(Optional<T> value, Optional<BpfException> rejection, long allocated, long nanos) {}

    /**
     * Runs {@code parse} under the bounds, asserting them: it must return or throw a {@link BpfException} within
     * {@link #MAX_TIME} (wall clock, preemptively) and allocate less than {@link #MAX_ALLOCATION}.
     */
    public static <T> Outcome<T> within(String what, ThrowingSupplier<T> parse) {
        Outcome<T> outcome = assertTimeoutPreemptively(MAX_TIME, () -> {
            long before = allocatedBytes();
            long start = System.nanoTime();
            try {
                T value = parse.get();
                return new Outcome<>(Optional.ofNullable(value), Optional.<BpfException>empty(),
                        allocatedBytes() - before, System.nanoTime() - start);
            } catch (BpfException e) {
                return new Outcome<T>(Optional.empty(), Optional.of(e), allocatedBytes() - before,
                        System.nanoTime() - start);
            }
        }, what + " took longer than " + MAX_TIME.toMillis() + " ms");
        assertTrue(outcome.allocated() < MAX_ALLOCATION, what + " allocated " + outcome.allocated() + " bytes");
        System.out.println(what + ": " + (outcome.value().isPresent() ? "read" : "rejected") + " in "
                + outcome.nanos() / 1_000_000 + " ms, " + outcome.allocated() / 1024 + " KiB allocated");
        return outcome;
    }

    /**
     * What the build plugin's generator asks of a parsed object, and what error messages ask: every type described,
     * resolved, sized and aligned (where it has a size and alignment), and the BTF encoded back. Map contents are
     * left alone: they are the loader's, made on demand (a {@code .bss} of 512 MiB is 512 MiB of zeros then).
     */
    public static void walkLikeTheGenerator(ObjectSpec spec) {
        spec.btf().ifPresent(ParseBounds::walkTypes);
    }

    /** Every type of {@code btf} described, resolved, sized and aligned, then the whole BTF encoded. */
    public static void walkTypes(Btf btf) {
        for (int id = 0; id < btf.types().size(); id++) {
            btf.describe(id);
            btf.resolve(id);
            try {
                btf.sizeOf(id);
            } catch (ObjectFormatException expected) {
                // Functions, prototypes and forward declarations have no size.
            }
            try {
                btf.alignOf(id);
            } catch (ObjectFormatException expected) {
                // Nor an alignment.
            }
        }
        BtfEncoder.encode(btf);
    }
}

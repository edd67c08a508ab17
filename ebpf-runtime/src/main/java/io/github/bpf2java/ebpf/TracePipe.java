package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.poll.Timeouts;
import io.github.bpf2java.ebpf.internal.syscall.NonBlockingReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The kernel's trace pipe, {@code trace_pipe} in tracefs: where {@code bpf_printk} ({@code bpf_trace_printk})
 * writes, one line per call, e.g.
 * {@code "  true-4711  [001] ...21  812.345678: bpf_trace_printk: Hello world from 4711"}.
 *
 * <pre>{@code
 * try (TracePipe pipe = TracePipe.open()) {
 *     pipe.readLine(Duration.ofSeconds(1)).ifPresent(System.out::println);
 * }
 * }</pre>
 *
 * <p>Reading consumes: each line goes to one reader only, whichever process reads first, and lines written before
 * the pipe was opened are still there to be read. Other kernel tracers write here too, so look for your own
 * lines. {@link #readLine(Duration)} never waits longer than it is told. Methods are synchronized: a
 * {@link #close()} from another thread waits for a running read to return.
 */
public final class TracePipe implements AutoCloseable {
    // Bounds a wait on poll(2): some tracefs options (e.g. "block") make trace_pipe poll as readable even when a
    // read would find nothing, and others wake pollers only once the buffer is partly full.
    private static final long MAX_POLL_MILLIS = 100;
    private static final long BACKOFF_MILLIS = 10;
    // Kernel lines are far shorter (at most a page); a longer run without a newline is handed out as it is.
    private static final int MAX_LINE = 64 * 1024;

    private final NonBlockingReader reader;
    private final byte[] chunk = new byte[8192];
    private byte[] pending = new byte[1024];
    private int pendingLength;
    private int scannedUpTo;

    private TracePipe(NonBlockingReader reader) {
        this.reader = reader;
    }

    /**
     * Opens {@code trace_pipe} of the mounted tracefs. When tracefs is not mounted it is mounted at
     * {@code /sys/kernel/tracing} and stays mounted, as when a tracepoint program is attached.
     *
     * @throws KernelException when tracefs cannot be mounted (the hint gives the command) or the pipe opened
     *     (e.g. {@link PermissionException} when not root)
     */
    public static TracePipe open() {
        return open(Tracefs.findOrMount().root().resolve("trace_pipe"));
    }

    /** Opens another pipe-like file of lines; for tests. */
    static TracePipe open(Path path) {
        return new TracePipe(NonBlockingReader.open(path));
    }

    /** The file read, e.g. {@code /sys/kernel/tracing/trace_pipe}. */
    public Path path() {
        return reader.path();
    }

    /**
     * The next line, without its newline, waiting at most {@code timeout} for one to be complete.
     * {@link Duration#ZERO} takes only what is there already.
     *
     * @return the line, or empty when no complete line came in time (a partial one is kept for the next call)
     * @throws InterruptedException when the thread is interrupted while waiting
     * @throws KernelException when reading fails
     * @throws IllegalStateException when closed
     */
    public synchronized Optional<String> readLine(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long start = System.nanoTime();
        long budget = Timeouts.budgetNanos(timeout);
        boolean pollSaidReadable = false;
        while (true) {
            Optional<String> line = takeLine();
            if (line.isPresent()) {
                return line;
            }
            int n = reader.read(chunk);
            if (n > 0) {
                append(n);
                pollSaidReadable = false;
                continue;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while reading " + path());
            }
            long remaining = budget - (System.nanoTime() - start);
            if (remaining <= 0) {
                return Optional.empty();
            }
            long waitMillis = Math.min(MAX_POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
            if (pollSaidReadable) {
                // Readable but empty (end of file, or a pipe that always polls readable): do not spin.
                Thread.sleep(Math.min(waitMillis, BACKOFF_MILLIS));
                pollSaidReadable = false;
            } else {
                pollSaidReadable = reader.awaitReadable((int) waitMillis);
            }
        }
    }

    /**
     * The first line {@code matching} accepts, waiting at most {@code timeout} in all; the lines read before it are
     * consumed and dropped (other tracers' output, or your program's earlier lines), e.g.
     * {@code pipe.readUntil(line -> line.contains("Hello from " + pid), Duration.ofSeconds(5))}.
     *
     * @return the line, or empty when none matched in time
     * @throws InterruptedException when the thread is interrupted while waiting
     * @throws KernelException when reading fails
     * @throws IllegalStateException when closed
     */
    public synchronized Optional<String> readUntil(Predicate<String> matching, Duration timeout)
            throws InterruptedException {
        Objects.requireNonNull(matching, "matching");
        Objects.requireNonNull(timeout, "timeout");
        long start = System.nanoTime();
        long budget = Timeouts.budgetNanos(timeout);
        while (true) {
            long remaining = budget - (System.nanoTime() - start);
            Optional<String> line = readLine(Duration.ofNanos(Math.max(0, remaining)));
            if (line.isEmpty() || matching.test(line.get())) {
                return line;
            }
        }
    }

    /** Closes the pipe; later calls do nothing. A partial last line is dropped. */
    @Override
    public synchronized void close() {
        reader.close();
    }

    @Override
    public String toString() {
        return "TracePipe[" + path() + "]";
    }

    private Optional<String> takeLine() {
        for (int i = scannedUpTo; i < pendingLength; i++) {
            if (pending[i] == '\n') {
                return Optional.of(take(i, i + 1));
            }
        }
        scannedUpTo = pendingLength;
        if (pendingLength >= MAX_LINE) {
            return Optional.of(take(pendingLength, pendingLength));
        }
        return Optional.empty();
    }

    /** The pending bytes before {@code end} as a line; those from {@code next} on stay pending. */
    private String take(int end, int next) {
        String line = new String(pending, 0, end, StandardCharsets.UTF_8);
        System.arraycopy(pending, next, pending, 0, pendingLength - next);
        pendingLength -= next;
        scannedUpTo = 0;
        return line;
    }

    private void append(int n) {
        if (pendingLength + n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
        }
        System.arraycopy(chunk, 0, pending, pendingLength, n);
        pendingLength += n;
    }
}

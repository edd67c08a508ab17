package io.github.bpf2java.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.bpf2java.benchmarks.ebpf.EventOutput;
import io.github.bpf2java.ebpf.PerfEventReader;
import io.github.bpf2java.ebpf.RecordHandler;
import io.github.bpf2java.ebpf.RingBufferReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * Event reading, Java and libbpf taking turns in one process: a second measurement beside
 * {@link RingBufferConsumeBenchmark} and {@link PerfBufferConsumeBenchmark}, made because this machine's speed drifts
 * by a third from one second to the next, so a Java run and the C runs bracketing it can land in different phases.
 * Every round has the kernel write {@value #BATCH} records ({@code BPF_PROG_TEST_RUN} with that repeat, not timed) and
 * times one read of all of them, alternately by the Java reader's {@code consume()} and by libbpf's
 * {@code ring_buffer__consume()} or {@code perf_buffer__consume()} ({@code c/interleaved.c}, timed inside C), in the
 * order C, Java, Java, C, ... so neither side always goes first.
 *
 * <p>Ring buffers: both readers share the map and its consumer position, so each sees exactly the records of its own
 * fill. Perf buffers: a perf event array takes one reader's events, so libbpf reads a second array ({@code perf_c}),
 * written by programs identical to those writing Java's ({@code perf_c_64}, {@code perf_c_1024}), with rings of the
 * same size and a wake-up per sample on both sides.
 *
 * <pre>
 * java -cp benchmarks.jar io.github.bpf2java.benchmarks.InterleavedConsume &lt;libinterleaved.so&gt; ring|perf
 *     64|1024 zeroCopy|copyInto [rounds [warmup-rounds]]
 * </pre>
 *
 * Rounds default to 2000 after 3000 of warm-up for ring buffers, 1000 after 1000 for perf buffers. Prints the medians
 * and quartiles of both sides in ns per record and the ratio of events per second, Java ÷ C.
 */
public final class InterleavedConsume {
    private static final int BATCH = RingBufferConsumeBenchmark.BATCH;
    private static final int RING_BYTES = 8 * 1024 * 1024;

    /** The C library's functions, called through JNA outside the timed part. */
    interface Libbpf extends Library {
        Pointer ring_open(int mapFd, int copy);

        long ring_consume_ns(Pointer ring, long expected);

        void ring_close(Pointer ring);

        Pointer perf_open(int mapFd, int copy);

        long perf_consume_ns(Pointer perf, long expected);

        void perf_close(Pointer perf);
    }

    private static long sum;

    private InterleavedConsume() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: InterleavedConsume <libinterleaved.so> ring|perf 64|1024 zeroCopy|copyInto"
                    + " [rounds [warmup-rounds]]");
            System.exit(2);
        }
        Libbpf c = Native.load(args[0], Libbpf.class);
        boolean perf = switch (args[1]) {
            case "ring" -> false;
            case "perf" -> true;
            default -> throw new IllegalArgumentException("buffer: ring or perf, not " + args[1]);
        };
        int recordSize = Integer.parseInt(args[2]);
        if (recordSize != 64 && recordSize != 1024) {
            throw new IllegalArgumentException("record size: 64 or 1024, not " + args[2]);
        }
        boolean copy = switch (args[3]) {
            case "zeroCopy" -> false;
            case "copyInto" -> true;
            default -> throw new IllegalArgumentException("path: zeroCopy or copyInto, not " + args[3]);
        };
        // Fewer perf rounds: each perf fill raises an IPI per sample, which this kind of VM makes slow.
        String what = args[1] + " " + args[2] + " " + args[3];
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : perf ? 1000 : 2000;
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : perf ? 1000 : 3000;

        ByteBuffer target = ByteBuffer.allocateDirect(recordSize + 8).order(ByteOrder.nativeOrder());
        RecordHandler handler = copy ? RecordHandler.copyingInto(target, record -> sum += record.getLong(0))
                : record -> sum += record.getLong(record.position());
        boolean big = recordSize == 1024;
        try (EventOutput object = EventOutput.load()) {
            if (perf) {
                try (KernelProducer javaFill = new KernelProducer(big ? object.perf1024() : object.perf64(), BATCH);
                        KernelProducer cFill = new KernelProducer(big ? object.perfC1024() : object.perfC64(), BATCH);
                        PerfEventReader reader = PerfEventReader.builder(object.perf()).bufferSize(RING_BYTES)
                                .onSample(handler)
                                .onLost((cpu, count) -> {
                                    throw new IllegalStateException(count + " samples lost on CPU " + cpu);
                                })
                                .build()) {
                    Pointer pb = c.perf_open(object.perfC().fd(), copy ? 1 : 0);
                    if (pb == null) {
                        throw new IllegalStateException("perf_buffer__new failed");
                    }
                    try {
                        run(what, rounds, warmup, javaFill, reader::consume, cFill,
                                () -> c.perf_consume_ns(pb, BATCH));
                    } finally {
                        c.perf_close(pb);
                    }
                }
            } else {
                try (KernelProducer fill = new KernelProducer(big ? object.ring1024() : object.ring64(), BATCH);
                        RingBufferReader reader = RingBufferReader.open(object.ring(), handler)) {
                    Pointer rb = c.ring_open(object.ring().fd(), copy ? 1 : 0);
                    if (rb == null) {
                        throw new IllegalStateException("ring_buffer__new failed");
                    }
                    try {
                        run(what, rounds, warmup, fill, reader::consume, fill, () -> c.ring_consume_ns(rb, BATCH));
                    } finally {
                        c.ring_close(rb);
                    }
                }
            }
        }
    }

    /** A C read: the nanoseconds it took, or -1 when it did not read exactly the records written. */
    interface TimedRead {
        long ns();
    }

    private static void run(String what, int rounds, int warmup, KernelProducer javaFill, IntSupplier javaRead,
            KernelProducer cFill, TimedRead cRead) {
        long[] javaNs = new long[rounds];
        long[] cNs = new long[rounds];
        for (int round = 0; round < warmup + rounds; round++) {
            boolean cFirst = (round & 1) == 0;
            long first = cFirst ? readWithC(cFill, cRead) : readWithJava(javaFill, javaRead);
            long second = cFirst ? readWithJava(javaFill, javaRead) : readWithC(cFill, cRead);
            if (round >= warmup) {
                cNs[round - warmup] = cFirst ? first : second;
                javaNs[round - warmup] = cFirst ? second : first;
            }
        }
        report(what, javaNs, cNs);
    }

    private static long readWithJava(KernelProducer fill, IntSupplier read) {
        fill.produce();
        long start = System.nanoTime();
        int n = read.getAsInt();
        long elapsed = System.nanoTime() - start;
        if (n != BATCH) {
            throw new IllegalStateException("Java read " + n + " records, the kernel wrote " + BATCH);
        }
        return elapsed;
    }

    private static long readWithC(KernelProducer fill, TimedRead read) {
        fill.produce();
        long elapsed = read.ns();
        if (elapsed < 0) {
            throw new IllegalStateException("libbpf did not read exactly the " + BATCH + " records written");
        }
        return elapsed;
    }

    private static void report(String what, long[] javaNs, long[] cNs) {
        Arrays.sort(javaNs);
        Arrays.sort(cNs);
        double java = perRecord(javaNs, 2);
        double cMedian = perRecord(cNs, 2);
        System.out.printf(Locale.ROOT, "%s: Java %.2f ns/record (quartiles %.2f-%.2f), C %.2f (%.2f-%.2f), "
                + "events/s Java / C = %.2f%n", what, java, perRecord(javaNs, 4), perRecord(javaNs, 4 / 3.0),
                cMedian, perRecord(cNs, 4), perRecord(cNs, 4 / 3.0), cMedian / java);
    }

    /** The sorted sample at {@code length / divisor}, in ns per record. */
    private static double perRecord(long[] sorted, double divisor) {
        return (double) sorted[(int) (sorted.length / divisor)] / BATCH;
    }
}

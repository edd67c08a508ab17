package io.github.bpf2java.benchmarks;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.bpf2java.benchmarks.ebpf.EventOutput;
import io.github.bpf2java.ebpf.RecordHandler;
import io.github.bpf2java.ebpf.RingBufferReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * Ring buffer reading, Java and C taking turns on the same map in one process: a second measurement beside
 * {@link RingBufferConsumeBenchmark}, made because this machine's speed drifts by a third from one second to the
 * next, so a Java run and the C runs bracketing it can land in different phases. Here every round fills the ring
 * ({@code BPF_PROG_TEST_RUN}, repeat {@value #BATCH}, not timed) and times one read of all records, alternately by
 * {@link RingBufferReader#consume()} and by libbpf's {@code ring_buffer__consume()} ({@code c/ring_interleaved.c},
 * timed inside C), in the order C, Java, Java, C, ... so neither side always goes first. Both read the same
 * consumer position, so each sees exactly the records of its own fill.
 *
 * <pre>
 * java -cp benchmarks.jar io.github.bpf2java.benchmarks.InterleavedRingConsume &lt;libringbench.so&gt; 64|1024
 *     zeroCopy|copyInto [rounds [warmup-rounds]]
 * </pre>
 *
 * Prints the medians and quartiles of both sides in ns per record and the ratio of events per second, Java ÷ C.
 */
public final class InterleavedRingConsume {
    private static final int BATCH = RingBufferConsumeBenchmark.BATCH;

    /** The C library's functions, called through JNA outside the timed part. */
    interface RingBench extends Library {
        Pointer ring_open(int mapFd, int copy);

        long ring_consume_ns(Pointer ring, long expected);

        void ring_close(Pointer ring);
    }

    private static long sum;

    private InterleavedRingConsume() {}

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: InterleavedRingConsume <libringbench.so> 64|1024 zeroCopy|copyInto"
                    + " [rounds [warmup-rounds]]");
            System.exit(2);
        }
        RingBench c = Native.load(args[0], RingBench.class);
        int recordSize = Integer.parseInt(args[1]);
        boolean copy = switch (args[2]) {
            case "zeroCopy" -> false;
            case "copyInto" -> true;
            default -> throw new IllegalArgumentException("path: zeroCopy or copyInto, not " + args[2]);
        };
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 3000;

        ByteBuffer target = ByteBuffer.allocateDirect(recordSize + 8).order(ByteOrder.nativeOrder());
        RecordHandler handler = copy ? RecordHandler.copyingInto(target, record -> sum += record.getLong(0))
                : record -> sum += record.getLong(record.position());
        try (EventOutput object = EventOutput.load();
                KernelProducer producer = new KernelProducer(
                        recordSize == 64 ? object.ring64() : object.ring1024(), BATCH);
                RingBufferReader reader = RingBufferReader.open(object.ring(), handler)) {
            Pointer ring = c.ring_open(object.ring().fd(), copy ? 1 : 0);
            if (ring == null) {
                throw new IllegalStateException("ring_buffer__new failed");
            }
            try {
                long[] javaNs = new long[rounds];
                long[] cNs = new long[rounds];
                for (int round = 0; round < warmup + rounds; round++) {
                    boolean cFirst = (round & 1) == 0;
                    long first = cFirst ? readWithC(c, ring, producer) : readWithJava(reader, producer);
                    long second = cFirst ? readWithJava(reader, producer) : readWithC(c, ring, producer);
                    if (round >= warmup) {
                        cNs[round - warmup] = cFirst ? first : second;
                        javaNs[round - warmup] = cFirst ? second : first;
                    }
                }
                report(recordSize, args[2], javaNs, cNs);
            } finally {
                c.ring_close(ring);
            }
        }
    }

    private static long readWithJava(RingBufferReader reader, KernelProducer producer) {
        producer.produce();
        long start = System.nanoTime();
        int n = reader.consume();
        long elapsed = System.nanoTime() - start;
        if (n != BATCH) {
            throw new IllegalStateException("Java read " + n + " records, the kernel wrote " + BATCH);
        }
        return elapsed;
    }

    private static long readWithC(RingBench c, Pointer ring, KernelProducer producer) {
        producer.produce();
        long elapsed = c.ring_consume_ns(ring, BATCH);
        if (elapsed < 0) {
            throw new IllegalStateException("ring_buffer__consume did not read the " + BATCH + " records written");
        }
        return elapsed;
    }

    private static void report(int recordSize, String path, long[] javaNs, long[] cNs) {
        Arrays.sort(javaNs);
        Arrays.sort(cNs);
        double java = perRecord(javaNs, 2);
        double cMedian = perRecord(cNs, 2);
        System.out.printf(Locale.ROOT, "ring %d %s: Java %.2f ns/record (quartiles %.2f-%.2f), C %.2f (%.2f-%.2f), "
                + "events/s Java / C = %.2f%n", recordSize, path, java, perRecord(javaNs, 4),
                perRecord(javaNs, 4 / 3.0), cMedian, perRecord(cNs, 4), perRecord(cNs, 4 / 3.0), cMedian / java);
    }

    /** The sorted sample at {@code length / divisor}, in ns per record. */
    private static double perRecord(long[] sorted, double divisor) {
        return (double) sorted[(int) (sorted.length / divisor)] / BATCH;
    }
}

package io.github.bpf2java.benchmarks;

import io.github.bpf2java.benchmarks.ebpf.EventOutput;
import io.github.bpf2java.ebpf.RecordHandler;
import io.github.bpf2java.ebpf.RingBufferReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a ring buffer the kernel has filled: before each invocation (not timed) a socket filter program run with
 * {@code BPF_PROG_TEST_RUN}, repeat {@value #BATCH}, writes {@value #BATCH} records of {@code recordSize} bytes;
 * the invocation ({@link RingBufferReader#consume()}) hands all of them out. Time per operation is time per record.
 * {@code c/events.c} does the same with libbpf's {@code ring_buffer__consume}.
 *
 * <p>Paths: {@code zeroCopy} (the handler reads the record's first 8 bytes in the ring's memory), {@code copyInto}
 * (copied into one reused buffer), {@code copyArray} (copied into a new {@code byte[]} per record).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RingBufferConsumeBenchmark {
    static final int BATCH = 4096;

    @Param({"64", "1024"})
    public int recordSize;

    @Param({"zeroCopy", "copyInto", "copyArray"})
    public String path;

    private EventOutput object;
    private KernelProducer producer;
    private RingBufferReader reader;
    private long sum;

    @Setup(Level.Trial)
    public void open() {
        object = EventOutput.load();
        producer = new KernelProducer(recordSize == 64 ? object.ring64() : object.ring1024(), BATCH);
        ByteBuffer target = ByteBuffer.allocateDirect(recordSize + 8).order(ByteOrder.nativeOrder());
        RecordHandler handler = switch (path) {
            case "zeroCopy" -> record -> sum += record.getLong(record.position());
            case "copyInto" -> RecordHandler.copyingInto(target, copy -> sum += copy.getLong(0));
            case "copyArray" -> RecordHandler.copying(copy -> sum += copy[0]);
            default -> throw new IllegalArgumentException(path);
        };
        reader = RingBufferReader.open(object.ring(), handler);
    }

    @Setup(Level.Invocation)
    public void fill() {
        producer.produce();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long consume() {
        int n = reader.consume();
        if (n != BATCH) {
            throw new IllegalStateException("read " + n + " records, the kernel wrote " + BATCH);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void close() {
        reader.close();
        producer.close();
        object.close();
    }
}

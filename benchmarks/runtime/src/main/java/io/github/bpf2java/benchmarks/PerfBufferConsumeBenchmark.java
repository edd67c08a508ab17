package io.github.bpf2java.benchmarks;

import io.github.bpf2java.benchmarks.ebpf.EventOutput;
import io.github.bpf2java.ebpf.RecordHandler;
import io.github.bpf2java.ebpf.PerfEventReader;
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
 * Reading perf buffers the kernel has filled: before each invocation (not timed) a socket filter program run with
 * {@code BPF_PROG_TEST_RUN}, repeat {@value #BATCH}, writes {@value #BATCH} samples of {@code recordSize} bytes
 * with {@code bpf_perf_event_output} (to the ring of the CPU it runs on); the invocation
 * ({@link PerfEventReader#consume()}) hands all of them out. Time per operation is time per sample.
 * {@code c/events.c} does the same with libbpf's {@code perf_buffer__consume}; both use rings of
 * {@value #RING_BYTES} bytes per CPU.
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
public class PerfBufferConsumeBenchmark {
    static final int BATCH = 4096;
    static final int RING_BYTES = 8 * 1024 * 1024;

    @Param({"64", "1024"})
    public int recordSize;

    @Param({"zeroCopy", "copyInto", "copyArray"})
    public String path;

    private EventOutput object;
    private KernelProducer producer;
    private PerfEventReader reader;
    private long sum;

    @Setup(Level.Trial)
    public void open() {
        object = EventOutput.load();
        producer = new KernelProducer(recordSize == 64 ? object.perf64() : object.perf1024(), BATCH);
        ByteBuffer target = ByteBuffer.allocateDirect(recordSize + 8).order(ByteOrder.nativeOrder());
        RecordHandler handler = switch (path) {
            case "zeroCopy" -> record -> sum += record.getLong(record.position());
            case "copyInto" -> RecordHandler.copyingInto(target, copy -> sum += copy.getLong(0));
            case "copyArray" -> RecordHandler.copying(copy -> sum += copy[0]);
            default -> throw new IllegalArgumentException(path);
        };
        reader = PerfEventReader.builder(object.perf()).bufferSize(RING_BYTES).onSample(handler)
                .onLost((cpu, count) -> {
                    throw new IllegalStateException(count + " samples lost on CPU " + cpu);
                })
                .build();
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

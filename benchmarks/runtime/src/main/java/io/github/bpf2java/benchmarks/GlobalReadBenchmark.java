package io.github.bpf2java.benchmarks;

import io.github.bpf2java.benchmarks.ebpf.DataPaths;
import io.github.bpf2java.ebpf.BpfMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a {@code .bss} global ({@code __u64 counter}) per operation: through the generated getter, which loads it
 * from the section's memory mapping; through a raw view of that mapping (the floor); and the way globals were read
 * before, a lookup of the whole section ({@code BPF_MAP_LOOKUP_ELEM} into a direct buffer) and a read of the
 * variable's bytes. {@code c/global.c} reads an mmap'd array from C.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
@State(Scope.Thread)
public class GlobalReadBenchmark {
    static final long VALUE = 0x0123_4567_89ab_cdefL;

    private DataPaths object;
    private DataPaths.Globals globals;
    private BpfMap bss;
    private ByteBuffer key;
    private ByteBuffer section;
    private ByteBuffer mapped;
    private int offset;

    @Setup
    public void load() {
        object = DataPaths.load();
        globals = object.globals();
        globals.setCounter(VALUE);
        bss = object.object().map(".bss");
        offset = object.object().variable("counter").spec().offset();
        key = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        section = ByteBuffer.allocateDirect(bss.valueSize()).order(ByteOrder.nativeOrder());
        mapped = bss.memory();
        check(generatedGetter(), "generated getter");
        check(mappedBuffer(), "mapped buffer");
        check(sectionLookup(), "section lookup");
    }

    @TearDown
    public void close() {
        object.close();
    }

    /** {@code bpf.globals().counter()}: a load from the mapped section, with acquire ordering. */
    @Benchmark
    public long generatedGetter() {
        return globals.counter();
    }

    /** A plain read of the mapping's {@code ByteBuffer}: what a memory load costs from Java at all. */
    @Benchmark
    public long mappedBuffer() {
        return mapped.getLong(offset);
    }

    /** The old way: one {@code BPF_MAP_LOOKUP_ELEM} of the whole section, then the variable's bytes. */
    @Benchmark
    public long sectionLookup() {
        if (!bss.lookup(key, section)) {
            throw new AssertionError(".bss has no value");
        }
        return section.getLong(offset);
    }

    private static void check(long value, String path) {
        if (value != VALUE) {
            throw new IllegalStateException(path + " read 0x" + Long.toHexString(value));
        }
    }
}

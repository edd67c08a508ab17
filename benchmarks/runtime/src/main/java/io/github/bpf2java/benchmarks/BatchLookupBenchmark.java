package io.github.bpf2java.benchmarks;

import io.github.bpf2java.benchmarks.ebpf.DataPaths;
import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.MapBatchCursor;
import io.github.bpf2java.ebpf.TypedMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Reading a whole HASH map of 10,000 u64 values under u32 keys, per operation: in batches
 * ({@code BPF_MAP_LOOKUP_BATCH}, one call for the whole map when the buffers have room) against 10,000 single
 * lookups, each through the runtime's allocation-free path; and the typed, decoded snapshot
 * ({@code TypedMap.entries()}) a user would call. Each operation sums the values and checks the sum, so a walk
 * that misses an entry fails. {@code c/batch.c} measures both ways through libbpf.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
@State(Scope.Thread)
public class BatchLookupBenchmark {
    static final int ENTRIES = 10_000;

    private DataPaths object;
    private BpfMap map;
    private TypedMap<Integer, Long> typed;
    private long expected;
    private ByteBuffer keys;
    private ByteBuffer values;
    private ByteBuffer key;
    private ByteBuffer value;
    private MapBatchCursor cursor;

    @Setup
    public void fill() {
        object = DataPaths.load();
        typed = object.entries();
        map = typed.raw();
        Map<Integer, Long> all = new LinkedHashMap<>();
        for (int k = 0; k < ENTRIES; k++) {
            all.put(k, k * 31L + 7);
            expected += k * 31L + 7;
        }
        typed.updateBatch(all, BpfMap.UpdateFlag.ANY);
        keys = ByteBuffer.allocateDirect(4 * ENTRIES).order(ByteOrder.nativeOrder());
        values = ByteBuffer.allocateDirect(8 * ENTRIES).order(ByteOrder.nativeOrder());
        key = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        value = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        cursor = new MapBatchCursor();
        check(batchLookup(), "batch lookup");
        check(singleLookups(), "single lookups");
        check(typedEntries(), "TypedMap.entries()");
    }

    @TearDown
    public void close() {
        object.close();
    }

    /** The whole map through {@code BpfMap.lookupBatch} into direct buffers: as few calls as the kernel needs. */
    @Benchmark
    public long batchLookup() {
        cursor.reset();
        int read = 0;
        while (!cursor.done() && read < ENTRIES) {
            keys.position(4 * read);
            values.position(8 * read);
            read += map.lookupBatch(cursor, keys, values);
        }
        if (read != ENTRIES) {
            throw new AssertionError("batch read " + read + " entries");
        }
        long sum = 0;
        for (int i = 0; i < ENTRIES; i++) {
            sum += values.getLong(8 * i);
        }
        return sum;
    }

    /** The whole map through 10,000 calls of {@code BpfMap.lookup(ByteBuffer, ByteBuffer)}. */
    @Benchmark
    public long singleLookups() {
        long sum = 0;
        for (int k = 0; k < ENTRIES; k++) {
            key.putInt(0, k);
            if (!map.lookup(key, value)) {
                throw new AssertionError("key " + k + " missing");
            }
            sum += value.getLong(0);
        }
        return sum;
    }

    /** What a user calls: {@code TypedMap.entries()}, batches decoded to boxed keys and values. */
    @Benchmark
    public long typedEntries() {
        List<Map.Entry<Integer, Long>> entries = typed.entries();
        long sum = 0;
        for (Map.Entry<Integer, Long> e : entries) {
            sum += e.getValue();
        }
        return sum;
    }

    private void check(long sum, String path) {
        if (sum != expected) {
            throw new IllegalStateException(path + " summed " + sum + ", expected " + expected);
        }
    }
}

package io.github.bpf2java.benchmarks;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.bpf2java.benchmarks.ebpf.ArrayLookup;
import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.TypedMap;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.syscall.Architecture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
 * One hit lookup in an ARRAY map (u32 key, u64 value, 1024 entries) per operation, through each path the runtime
 * offers, from the public API down to native addresses. Every operation is one {@code BPF_MAP_LOOKUP_ELEM}
 * syscall; what it reads is returned, so JMH hands it to its blackhole. {@code c/lookup.c} measures the same
 * lookup through libbpf, and {@code run.sh} runs both and prints the ratios.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ArrayMapLookupBenchmark {
    /** The key looked up: any index below max_entries hits in an array. */
    static final int KEY = 42;
    /** Stored under {@link #KEY} before measuring and checked once, so a lookup that reads nothing is caught. */
    static final long VALUE = 0x0123_4567_89ab_cdefL;
    private static final int BPF_MAP_LOOKUP_ELEM = 1;
    private static final int ATTR_SIZE = 32;

    private ArrayLookup object;
    private TypedMap<Integer, Long> typed;
    private BpfMap map;
    private MapFd mapFd;

    private ByteBuffer keyBuffer;
    private ByteBuffer valueBuffer;
    private byte[] keyArray;
    private byte[] valueArray;
    private Memory keyMemory;
    private Memory valueMemory;
    // Read through a direct buffer view: Memory.getLong would be a JNI call of its own in every operation.
    private ByteBuffer valueView;
    private long keyAddress;
    private long valueAddress;
    private Memory attr;
    private long attrAddress;
    private long bpfSyscall;

    @Setup
    public void loadObjectAndStoreValue() {
        object = ArrayLookup.load();
        typed = object.values();
        map = typed.raw();
        keyArray = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(KEY).array();
        map.put(keyArray, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(VALUE).array());

        // A second descriptor on the same kernel map, for the internal MapFd paths BpfMap is built on.
        mapFd = MapFd.byId(mapId(map.fd()));

        keyBuffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, KEY);
        valueBuffer = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        valueArray = new byte[8];
        keyMemory = new Memory(4);
        keyMemory.setInt(0, KEY);
        valueMemory = new Memory(8);
        valueView = valueMemory.getByteBuffer(0, 8).order(ByteOrder.nativeOrder());
        keyAddress = Pointer.nativeValue(keyMemory);
        valueAddress = Pointer.nativeValue(valueMemory);

        // union bpf_attr for BPF_MAP_LOOKUP_ELEM: map_fd, key, value, flags (linux/bpf.h).
        attr = new Memory(ATTR_SIZE);
        attr.clear();
        attr.setInt(0, mapFd.fd().raw());
        attr.setLong(8, keyAddress);
        attr.setLong(16, valueAddress);
        attrAddress = Pointer.nativeValue(attr);
        bpfSyscall = Architecture.current().bpfSyscall();

        // Each path once, into a value buffer of its own or one cleared before: a path that reads nothing fails.
        check(bpfMapDirectBuffers(), "BpfMap.lookup(ByteBuffer, ByteBuffer)");
        check(u64(bpfMapArray().orElseThrow()), "BpfMap.lookup(byte[])");
        check(u64(mapFdArrays()), "MapFd.lookup(byte[], byte[])");
        check(mapFdAddresses(), "MapFd.lookup(long, long)");
        check(typedMapGet(), "TypedMap.get");
        valueView.putLong(0, 0);
        check(bareJnaSyscall(), "bare JNA syscall");
        if (BareForeignSyscall.AVAILABLE) {
            valueView.putLong(0, 0);
            check(bareForeignSyscall(), "bare java.lang.foreign syscall");
        }
    }

    @TearDown
    public void close() {
        attr.close();
        keyMemory.close();
        valueMemory.close();
        mapFd.close();
        object.close();
    }

    /** The public no-allocation path: direct buffers, read and written in place. */
    @Benchmark
    public long bpfMapDirectBuffers() {
        if (!map.lookup(keyBuffer, valueBuffer)) {
            throw new AssertionError("key " + KEY + " missing");
        }
        return valueBuffer.getLong(0);
    }

    /** The public convenience path: a new value array and an {@link Optional} per call. */
    @Benchmark
    public Optional<byte[]> bpfMapArray() {
        return map.lookup(keyArray);
    }

    /** The typed path the generated class hands out: the key encoded, the value decoded and boxed. */
    @Benchmark
    public long typedMapGet() {
        return typed.get(KEY).orElseThrow();
    }

    /** The lowest path: keys and values in native memory the caller owns, nothing but the syscall. */
    @Benchmark
    public long mapFdAddresses() {
        if (!mapFd.lookup(keyAddress, valueAddress)) {
            throw new AssertionError("key " + KEY + " missing");
        }
        return valueView.getLong(0);
    }

    /** Caller-owned arrays, copied through the runtime's staging memory. */
    @Benchmark
    public byte[] mapFdArrays() {
        if (!mapFd.lookup(keyArray, valueArray)) {
            throw new AssertionError("key " + KEY + " missing");
        }
        return valueArray;
    }

    /**
     * Control, not a runtime path: {@code bpf(BPF_MAP_LOOKUP_ELEM)} through a bare JNA direct-mapped
     * {@code syscall} with a prepared {@code bpf_attr}, so what JNA itself costs can be told from what the runtime
     * adds.
     */
    @Benchmark
    public long bareJnaSyscall() {
        if (BareJnaSyscall.syscall(bpfSyscall, BPF_MAP_LOOKUP_ELEM, attrAddress, ATTR_SIZE) != 0) {
            throw new AssertionError("bpf(BPF_MAP_LOOKUP_ELEM) failed, errno " + Native.getLastError());
        }
        return valueView.getLong(0);
    }

    /**
     * Control, not a runtime path, JDK 22 and later only ({@code run.sh} leaves it out before): the same syscall
     * through a bare {@code java.lang.foreign} downcall without {@code errno} capture, the floor for the runtime's
     * path there.
     */
    @Benchmark
    public long bareForeignSyscall() {
        if (BareForeignSyscall.syscall(bpfSyscall, BPF_MAP_LOOKUP_ELEM, attrAddress, ATTR_SIZE) != 0) {
            throw new AssertionError("bpf(BPF_MAP_LOOKUP_ELEM) failed");
        }
        return valueView.getLong(0);
    }

    private static long u64(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong(0);
    }

    private static void check(long value, String path) {
        if (value != VALUE) {
            throw new IllegalStateException(path + " read 0x" + Long.toHexString(value) + ", stored 0x"
                    + Long.toHexString(VALUE));
        }
    }

    /** The kernel's id of the map behind {@code fd}, from {@code /proc/self/fdinfo}. */
    private static int mapId(int fd) {
        Path info = Path.of("/proc/self/fdinfo", Integer.toString(fd));
        try {
            return Files.readAllLines(info).stream()
                    .filter(line -> line.startsWith("map_id:"))
                    .map(line -> Integer.parseInt(line.substring("map_id:".length()).trim()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(info + " has no map_id line"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batch operations on the kernel: whole maps of 10,000 entries read, written, drained and deleted in batches, equal
 * to what single lookups see; the same through single-element calls for an operation a map type lacks.
 */
class MapBatchTest {
    private static final int ENTRIES = 10_000;
    private BpfObject object;

    @BeforeEach
    void load() {
        KernelSupport.assumeBpf();
        ObjectSpec spec = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0));
        // The maps only: batches need no program, and some of the object's programs do not load on Linux 6.1, where
        // the tests marked AlsoInGuestKernel run as well.
        object = BpfObject.load(spec, LoadOptions.builder().programs(Set.of()).build());
    }

    @AfterEach
    void close() {
        if (object != null) {
            object.close();
        }
    }

    private TypedMap<Integer, Long> big() {
        return TypedMap.of(object.map("big"), Codecs.U32, Codecs.U64);
    }

    private static Map<Integer, Long> expected() {
        Map<Integer, Long> expected = new LinkedHashMap<>();
        for (int i = 0; i < ENTRIES; i++) {
            expected.put(i * 7919, (long) i * 31 - 5000);
        }
        return expected;
    }

    @Test
    void aBatchLookupOfTenThousandEntriesEqualsTheMapsContents() {
        TypedMap<Integer, Long> big = big();
        Map<Integer, Long> expected = expected();
        assertEquals(ENTRIES, big.updateBatch(expected, BpfMap.UpdateFlag.ANY));
        assertKernelBatches("big");

        Map<Integer, Long> batched = new HashMap<>();
        MapBatchCursor cursor = new MapBatchCursor();
        int calls = 0;
        while (!cursor.done()) {
            for (Map.Entry<Integer, Long> e : big.lookupBatch(cursor, 1024)) {
                assertEquals(null, batched.put(e.getKey(), e.getValue()), "key " + e.getKey() + " read twice");
            }
            calls++;
        }
        assertEquals(expected, batched);
        assertTrue(calls >= ENTRIES / 1024, "read in batches: " + calls + " calls");
        // What single lookups see, key by key.
        for (Map.Entry<Integer, Long> e : expected.entrySet()) {
            assertEquals(e.getValue(), big.get(e.getKey()).orElseThrow());
        }
        assertEquals(expected, TypedMapTest.toMap(big.entries()));
        assertTrue(cursor.done());
        assertEquals(List.of(), big.lookupBatch(cursor, 10), "a finished cursor reads nothing more");
    }

    @Test
    void directBuffersReadBatchesWithoutCopies() {
        TypedMap<Integer, Long> big = big();
        big.updateBatch(expected(), BpfMap.UpdateFlag.ANY);
        ByteBuffer keys = ByteBuffer.allocateDirect(4 * 4096).order(ByteOrder.nativeOrder());
        ByteBuffer values = ByteBuffer.allocateDirect(8 * 4096).order(ByteOrder.nativeOrder());
        Map<Integer, Long> read = new HashMap<>();
        MapBatchCursor cursor = new MapBatchCursor();
        while (!cursor.done()) {
            int n = object.map("big").lookupBatch(cursor, keys, values);
            for (int i = 0; i < n; i++) {
                read.put(keys.getInt(4 * i), values.getLong(8 * i));
            }
        }
        assertEquals(expected(), read);
    }

    @Test
    void lookupAndDeleteDrainsAndDeleteBatchRemovesExactlyTheKeysGiven() {
        TypedMap<Integer, Long> big = big();
        Map<Integer, Long> expected = expected();
        big.updateBatch(expected, BpfMap.UpdateFlag.ANY);
        List<Integer> some = new ArrayList<>(expected.keySet()).subList(0, 2000);
        assertEquals(2000, big.deleteBatch(some));
        some.forEach(expected::remove);
        List<Integer> twoPresent = new ArrayList<>(expected.keySet()).subList(0, 2);
        List<Integer> keys = List.of(twoPresent.get(0), twoPresent.get(1), some.get(0));
        NotFoundException absent = assertThrows(NotFoundException.class, () -> big.deleteBatch(keys));
        assertTrue(absent.getMessage().contains("BPF_MAP_DELETE_BATCH"), absent.getMessage());
        assertTrue(absent.getMessage().contains("element 2 (counting from 0) failed, the 2 before it were removed: "
                + "its key is absent"), absent.getMessage());
        twoPresent.forEach(expected::remove);

        Map<Integer, Long> drained = new HashMap<>();
        MapBatchCursor cursor = new MapBatchCursor();
        while (!cursor.done()) {
            big.lookupAndDeleteBatch(cursor, 1000).forEach(e -> drained.put(e.getKey(), e.getValue()));
        }
        assertEquals(expected, drained);
        assertEquals(List.of(), big.keys());
    }

    @Test
    void perCpuMapsBatchEveryCpusValue() {
        int cpus = CpuList.possible().count();
        TypedMap<Integer, List<Integer>> perCpu = TypedMap.perCpu(object.map("per_cpu"), Codecs.U32, Codecs.U32);
        Map<Integer, List<Integer>> values = Map.of(
                0, IntStream.range(0, cpus).map(c -> c + 1).boxed().toList(),
                1, IntStream.range(0, cpus).map(c -> -c).boxed().toList());
        assertEquals(2, perCpu.updateBatch(values, BpfMap.UpdateFlag.ANY));
        MapBatchCursor cursor = new MapBatchCursor();
        Map<Integer, List<Integer>> read = new HashMap<>();
        while (!cursor.done()) {
            perCpu.lookupBatch(cursor, 8).forEach(e -> read.put(e.getKey(), e.getValue()));
        }
        assertEquals(values, read);
    }

    /**
     * An LPM trie has the kernel's lookup, update and delete batches but no lookup-and-delete batch ({@code ENOTSUPP}):
     * draining it is made of single-element calls, with the same result, while its other batches stay the kernel's.
     */
    @Test
    @AlsoInGuestKernel
    void anOperationTheMapTypeLacksIsBatchedOneElementAtATime() {
        BpfMap prefixes = object.map("prefixes");
        Map<Integer, Long> expected = new HashMap<>();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // struct lpm_key { __u32 prefixlen; __u32 addr; }
            ByteBuffer key = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(0, 32).putInt(4, i);
            keys.add(key.array());
            values.add(Codecs.toBytes(Codecs.U64, (long) i * 3));
            expected.put(i, (long) i * 3);
        }
        assertEquals(100, prefixes.updateBatch(keys, values, BpfMap.UpdateFlag.ANY));
        assertEquals(expected, readPrefixes(prefixes, false));
        Map<Integer, Long> drained = readPrefixes(prefixes, true);
        assertEquals(expected, drained);
        assertEquals(List.of(), prefixes.keys());
        assertTrue(prefixes.batches().emulated(MapBatches.LOOKUP_AND_DELETE), "drained by single-element calls");
        assertTrue(!prefixes.batches().emulated(MapBatches.UPDATE) && !prefixes.batches().emulated(MapBatches.LOOKUP),
                "the kernel's update and lookup batches kept");
    }

    /** The LPM trie's entries, 30 at a time: read, or drained. */
    private static Map<Integer, Long> readPrefixes(BpfMap prefixes, boolean drain) {
        Map<Integer, Long> read = new HashMap<>();
        MapBatchCursor cursor = new MapBatchCursor();
        int calls = 0;
        while (!cursor.done()) {
            List<Map.Entry<byte[], byte[]>> batch = drain ? prefixes.lookupAndDeleteBatch(cursor, 30)
                    : prefixes.lookupBatch(cursor, 30);
            for (Map.Entry<byte[], byte[]> e : batch) {
                ByteBuffer key = ByteBuffer.wrap(e.getKey()).order(ByteOrder.nativeOrder());
                assertEquals(32, key.getInt(0));
                assertEquals(null, read.put(key.getInt(4), Codecs.fromBytes(Codecs.U64, e.getValue())));
            }
            calls++;
        }
        assertTrue(calls >= 4, "30 at a time: " + calls);
        return read;
    }

    /**
     * The kernel's batch update takes no NO_EXIST or EXIST (EINVAL, before any element, whatever the UAPI header
     * says): refused before the system call, and such a refusal must not turn the map's batches into single calls.
     */
    @Test
    @AlsoInGuestKernel
    void aBatchUpdateRefusesFlagsTheKernelRefusesAndStaysAKernelBatch() {
        TypedMap<Integer, Long> big = big();
        for (BpfMap.UpdateFlag flag : List.of(BpfMap.UpdateFlag.NO_EXIST, BpfMap.UpdateFlag.EXIST)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> big.updateBatch(Map.of(3, 30L), flag));
            assertEquals("map 'big': a batch update takes UpdateFlag.ANY (or LOCK), not " + flag + ": the kernel "
                    + "refuses " + flag + " for BPF_MAP_UPDATE_BATCH (EINVAL); store the entries one by one with "
                    + "update(key, value, " + flag + ") instead", e.getMessage());
        }
        assertEquals(List.of(), big.keys(), "nothing stored");
        // LOCK on a value without a bpf_spin_lock: the kernel's EINVAL is the caller's, not a missing operation.
        KernelException lock = assertThrows(KernelException.class,
                () -> big.updateBatch(Map.of(3, 30L), BpfMap.UpdateFlag.LOCK));
        assertEquals("EINVAL", lock.errnoName());
        assertTrue(lock.getMessage().contains("the kernel refused the batch as a whole: no element was stored"),
                lock.getMessage());
        assertKernelBatches("big");
        assertEquals(List.of(), big.keys());
    }

    @Test
    void aBatchUpdatePastAnArraysEndNamesTheElementAndTheIndex() {
        BpfMap array = object.map("matrices");
        int entries = array.maxEntries();
        byte[] value = new byte[array.valueSize()];
        List<byte[]> keys = List.of(Codecs.toBytes(Codecs.U32, 0), Codecs.toBytes(Codecs.U32, entries));
        KernelException e = assertThrows(KernelException.class,
                () -> array.updateBatch(keys, List.of(value, value), BpfMap.UpdateFlag.ANY));
        assertEquals("E2BIG", e.errnoName());
        assertTrue(e.getMessage().contains("element 1 (counting from 0) failed, the 1 before it were stored: index "
                + entries + " is out of range: array 'matrices' has max_entries " + entries), e.getMessage());
        assertTrue(e.getMessage().contains("use an index below " + entries), e.getMessage());
    }

    private void assertKernelBatches(String map) {
        assertTrue(!object.map(map).batches().emulated(MapBatches.UPDATE), "map '" + map + "' kept the kernel's "
                + "BPF_MAP_UPDATE_BATCH");
    }

    @Test
    void drainingAnArrayFailsClearly() {
        BpfMap array = object.map("matrices");
        KernelException e = assertThrows(KernelException.class,
                () -> array.lookupAndDeleteBatch(new MapBatchCursor(), 10));
        assertTrue(e.getMessage().contains("matrices"), e.getMessage());
    }

    @Test
    void aRingBufferHasNoBatchesAndTheErrorSaysHowItIsRead() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> object.map("events").lookupBatch(new MapBatchCursor(), 10));
        assertEquals("map 'events' (RINGBUF) has no keys to walk in batches; read its records with "
                + "RingBufferReader", e.getMessage());
    }

    @Test
    void aCursorBelongsToOneMap() {
        MapBatchCursor cursor = new MapBatchCursor();
        object.map("big").lookupBatch(cursor, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> object.map("u32_to_u64").lookupBatch(cursor, 10));
        assertTrue(e.getMessage().contains("'big'"), e.getMessage());
    }

    @Test
    void rawBatchesCarryTheBytesOfEachEntry() {
        BpfMap map = object.map("u32_to_u64");
        List<byte[]> keys = List.of(Codecs.toBytes(Codecs.U32, 1), Codecs.toBytes(Codecs.U32, 2));
        List<byte[]> values = List.of(Codecs.toBytes(Codecs.U64, 10L), Codecs.toBytes(Codecs.U64, 20L));
        map.updateBatch(keys, values, BpfMap.UpdateFlag.ANY);
        Map<Integer, Long> read = new HashMap<>();
        for (Map.Entry<byte[], byte[]> e : map.lookupBatch(new MapBatchCursor(), 64)) {
            read.put(Codecs.fromBytes(Codecs.U32, e.getKey()), Codecs.fromBytes(Codecs.U64, e.getValue()));
        }
        assertEquals(Map.of(1, 10L, 2, 20L), read);
        assertArrayEquals(values.get(0), map.lookup(keys.get(0)).orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> map.updateBatch(keys, List.of(values.get(0)),
                BpfMap.UpdateFlag.ANY));
    }
}

package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.syscall.MappedRegion;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MapFdTest {
    private static final long ANY = 0;
    private static final long NOEXIST = 1;
    private static final long EXIST = 2;

    @BeforeEach
    void needsBpf() {
        KernelSupport.assumeBpf();
    }

    @Test
    void arrayStoresAndReturnsValues() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 4).name("arr").build())) {
            map.update(key(2), value(42), ANY);
            byte[] out = new byte[8];
            assertTrue(map.lookup(key(2), out));
            assertEquals(42, asLong(out));
            assertTrue(map.lookup(key(3), out), "array slots always exist");
            assertEquals(0, asLong(out));
            KernelException past = assertThrows(KernelException.class, () -> map.lookup(key(4), out),
                    "an index past max_entries is a mistake, not an absent entry");
            assertTrue(past.getMessage().contains("index 4 is out of range"), past.getMessage());
        }
    }

    @Test
    void hashHonoursNoExistAndExist() {
        try (MapFd map = hash("flags", 8)) {
            map.update(key(1), value(10), NOEXIST);
            BusyException exists = assertThrows(BusyException.class, () -> map.update(key(1), value(11), NOEXIST));
            assertEquals("EEXIST", exists.errnoName());
            assertTrue(exists.getMessage().contains("map 'flags'"), exists.getMessage());
            assertTrue(exists.hint().orElseThrow().contains("BPF_NOEXIST"));

            map.update(key(1), value(12), EXIST);
            NotFoundException absent = assertThrows(NotFoundException.class, () -> map.update(key(2), value(1), EXIST));
            assertTrue(absent.hint().orElseThrow().contains("BPF_EXIST"));

            byte[] out = new byte[8];
            assertTrue(map.lookup(key(1), out));
            assertEquals(12, asLong(out));
            assertFalse(map.lookup(key(2), out));
        }
    }

    @Test
    void hashDeletesAndReportsAbsentKeys() {
        try (MapFd map = hash("del", 8)) {
            map.update(key(7), value(1), ANY);
            assertTrue(map.delete(key(7)));
            assertFalse(map.delete(key(7)));
            assertFalse(map.lookup(key(7), new byte[8]));
        }
    }

    @Test
    void iteratesEveryKeyOnce() {
        try (MapFd map = hash("iter", 64)) {
            for (int i = 0; i < 50; i++) {
                map.update(key(i), value(i * 3L), ANY);
            }
            Set<Integer> seen = new HashSet<>();
            byte[] current = null;
            byte[] next = new byte[4];
            while (map.nextKey(current, next)) {
                assertTrue(seen.add(asInt(next)), "key seen twice: " + asInt(next));
                current = next.clone();
            }
            assertEquals(50, seen.size());
        }
    }

    @Test
    void fullHashRefusesNewKeysWithMaxEntriesInHint() {
        try (MapFd map = hash("full", 2)) {
            map.update(key(1), value(1), ANY);
            map.update(key(2), value(2), ANY);
            KernelException e = assertThrows(KernelException.class, () -> map.update(key(3), value(3), ANY));
            assertEquals("E2BIG", e.errnoName());
            assertTrue(e.hint().orElseThrow().contains("max_entries = 2"), e.getMessage());
        }
    }

    @Test
    void batchLookupReadsWholeHashInPieces() {
        int n = 100;
        try (MapFd map = hash("batch", 128)) {
            byte[] keys = new byte[4 * n];
            byte[] values = new byte[8 * n];
            ByteBuffer k = ByteBuffer.wrap(keys).order(ByteOrder.nativeOrder());
            ByteBuffer v = ByteBuffer.wrap(values).order(ByteOrder.nativeOrder());
            for (int i = 0; i < n; i++) {
                k.putInt(i);
                v.putLong(1000L + i);
            }
            assertEquals(n, map.updateBatch(keys, values, n, ANY));

            List<Integer> seenKeys = new ArrayList<>();
            byte[] token = null;
            int calls = 0;
            while (true) {
                BatchLookup batch = map.lookupBatch(token, 16, false);
                calls++;
                for (int i = 0; i < batch.count(); i++) {
                    int key = asInt(batch.key(i));
                    assertEquals(1000L + key, asLong(batch.value(i)));
                    seenKeys.add(key);
                }
                if (batch.finished()) {
                    break;
                }
                token = batch.nextToken().orElseThrow();
            }
            assertEquals(n, seenKeys.size());
            assertEquals(n, new HashSet<>(seenKeys).size());
            assertTrue(calls > 1, "16 per call cannot read 100 elements in one call");

            assertEquals(n, map.deleteBatch(keys, n));
            assertFalse(map.nextKey(null, new byte[4]), "batch delete emptied the map");
        }
    }

    @Test
    void perCpuArrayReturnsOneSlotPerPossibleCpu() {
        int cpus = CpuList.possible().count();
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.PERCPU_ARRAY, 4, 4, 1).name("pcpu").build())) {
            assertEquals(8 * cpus, map.valueBufferSize(), "4-byte values are padded to 8 per CPU");
            ByteBuffer in = ByteBuffer.allocate(8 * cpus).order(ByteOrder.nativeOrder());
            for (int cpu = 0; cpu < cpus; cpu++) {
                in.putInt(8 * cpu, 100 + cpu);
            }
            map.update(key(0), in.array(), ANY);
            byte[] out = new byte[8 * cpus];
            assertTrue(map.lookup(key(0), out));
            ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
            for (int cpu = 0; cpu < cpus; cpu++) {
                assertEquals(100 + cpu, o.getInt(8 * cpu), "slot of CPU " + cpu);
            }
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> map.lookup(key(0), new byte[4]));
            assertTrue(small.getMessage().contains("per possible CPU"), small.getMessage());
        }
    }

    @Test
    void directBuffersAndAddressesReachTheSameElements() {
        try (MapFd map = hash("direct", 8)) {
            ByteBuffer k = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            ByteBuffer v = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            k.putInt(8, 5).position(8);
            v.putLong(0, 77);
            map.update(k, v, ANY);
            assertEquals(8, k.position(), "positions are left alone");

            byte[] out = new byte[8];
            assertTrue(map.lookup(key(5), out));
            assertEquals(77, asLong(out));

            v.putLong(0, 0);
            assertTrue(map.lookup(k, v));
            assertEquals(77, v.getLong(0));

            try (NativeBuffer nk = NativeBuffer.of(key(5)); NativeBuffer nv = new NativeBuffer(8)) {
                assertTrue(map.lookup(nk.address(), nv.address()));
                assertEquals(77, nv.getLong(0));
                assertTrue(map.delete(nk.address()));
                assertFalse(map.lookup(nk.address(), nv.address()));
            }
        }
    }

    @Test
    void rejectsWrongSizedAndHeapBuffersBeforeTheKernelSeesThem() {
        try (MapFd map = hash("sizes", 8)) {
            assertThrows(IllegalArgumentException.class, () -> map.update(new byte[3], value(1), ANY));
            assertThrows(IllegalArgumentException.class, () -> map.lookup(key(1), new byte[7]));
            IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                    () -> map.lookup(ByteBuffer.allocate(4), ByteBuffer.allocateDirect(8)));
            assertTrue(heap.getMessage().contains("direct"));
            assertThrows(IllegalArgumentException.class,
                    () -> map.lookup(ByteBuffer.allocateDirect(4), ByteBuffer.allocateDirect(4)));
        }
    }

    @Test
    void reportsKernelInfoAndReopensById() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.HASH, 4, 16, 32)
                .name("info-map!").flags(MapFlag.NO_PREALLOC.value()).build())) {
            MapInfo info = map.info();
            assertEquals(MapType.HASH, info.type().orElseThrow());
            assertEquals("info_map_", info.name(), "names are sanitized to [A-Za-z0-9_.]");
            assertEquals(16, info.valueSize());
            assertEquals(32, info.maxEntries());
            assertEquals(MapFlag.NO_PREALLOC.value(), info.flags());
            try (MapFd again = MapFd.byId(info.id())) {
                assertEquals(4, again.keySize());
                assertEquals(16, again.valueSize());
                assertEquals(MapType.HASH, again.type().orElseThrow());
                again.update(key(1), new byte[16], ANY);
                assertTrue(map.lookup(key(1), new byte[16]), "both descriptors reach one map");
            }
        }
    }

    @Test
    void frozenMapRefusesUserSpaceWrites() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("frozen").build())) {
            map.update(key(0), value(1), ANY);
            map.freeze();
            KernelException e = assertThrows(KernelException.class, () -> map.update(key(0), value(2), ANY));
            assertEquals("EPERM", e.errnoName());
        }
    }

    @Test
    void queuePopsInFifoOrder() {
        try (MapFd queue = MapFd.create(MapCreateRequest.builder(MapType.QUEUE, 0, 8, 4).name("q").build())) {
            queue.update(new byte[0], value(1), ANY);
            queue.update(new byte[0], value(2), ANY);
            byte[] out = new byte[8];
            assertTrue(queue.lookupAndDelete(new byte[0], out));
            assertEquals(1, asLong(out));
            assertTrue(queue.lookupAndDelete(new byte[0], out));
            assertEquals(2, asLong(out));
            assertFalse(queue.lookupAndDelete(new byte[0], out));
        }
    }

    @Test
    void mmapableArrayIsVisibleThroughAMapping() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 512)
                .name("mmap").flags(MapFlag.MMAPABLE.value()).build());
                MappedRegion region = MappedRegion.map(map.fd(), 4096, true, 0)) {
            map.update(key(3), value(0x1234), ANY);
            ByteBuffer view = region.buffer(0, 4096);
            assertEquals(0x1234, view.getLong(3 * 8));
            view.putLong(5 * 8, 99);
            byte[] out = new byte[8];
            assertTrue(map.lookup(key(5), out));
            assertEquals(99, asLong(out));
        }
    }

    @Test
    void pinsAndReopensFromBpffs() throws Exception {
        Path pin;
        try (PinRoot pins = PinRoot.create("mapfd"); MapFd map = hash("pinned", 4)) {
            pin = pins.path().resolve("map");
            map.pin(pin);
            map.update(key(9), value(90), ANY);
            try (MapFd again = MapFd.fromPin(pin)) {
                byte[] out = new byte[8];
                assertTrue(again.lookup(key(9), out));
                assertEquals(90, asLong(out));
                assertEquals("pinned", again.name());
            }
            BusyException twice = assertThrows(BusyException.class, () -> map.pin(pin));
            assertTrue(twice.hint().orElseThrow().contains("rm " + pin), twice.getMessage());
            assertTrue(twice.hint().orElseThrow().contains("(BpfMap.openPinned or BpfLink.openPinned(" + pin + "))"),
                    twice.getMessage());
        }
        assertThrows(NotFoundException.class, () -> MapFd.fromPin(pin));
    }

    @Test
    void closedMapFailsClearlyAndClosesOnce() {
        MapFd map = hash("closed", 4);
        map.close();
        map.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> map.lookup(key(1), new byte[8]));
        assertTrue(e.getMessage().contains("map 'closed'"), e.getMessage());
    }

    private static MapFd hash(String name, int maxEntries) {
        return MapFd.create(MapCreateRequest.builder(MapType.HASH, 4, 8, maxEntries).name(name).build());
    }

    static byte[] key(int k) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(k).array();
    }

    static byte[] value(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    static long asLong(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong();
    }

    static int asInt(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt();
    }
}

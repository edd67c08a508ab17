package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.CEnum;
import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.codec.EnumCodec;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Typed maps on the kernel, one per kind of key and value: scalars, structs with padding, strings, enums, unions,
 * multi-dimensional arrays and per-CPU values round-trip through the kernel's copy of them; iteration survives
 * deletion under it.
 */
class TypedMapTest {
    private BpfObject object;

    enum Level implements CEnum {
        LOW(1), MID(5), HIGH(0xffff_fffdL), UNRECOGNIZED(0);

        private final long value;

        Level(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            if (this == UNRECOGNIZED) {
                throw new IllegalStateException("no C value");
            }
            return value;
        }
    }

    static final EnumCodec<Level> LEVEL = Codecs.enumeration(4, false, Level.values(), Level.UNRECOGNIZED);

    /** struct key { __u32 id; char name[6]; } with 2 bytes of padding. */
    record Key(int id, String name) {
        static final Codec<Key> CODEC = new Codec<>() {
            @Override
            public int size() {
                return 12;
            }

            @Override
            public Key decode(ByteBuffer buffer, int offset) {
                return new Key(buffer.getInt(offset), Codecs.string(6).decode(buffer, offset + 4));
            }

            @Override
            public void encode(Key value, ByteBuffer buffer, int offset) {
                Codecs.zero(buffer, offset, 12);
                buffer.putInt(offset, value.id);
                Codecs.string(6).encode(value.name, buffer, offset + 4);
            }
        };
    }

    /** struct value { __u64 count; enum level lvl; union word w; }. */
    record Value(long count, Level level, int word) {
        static final Codec<Value> CODEC = new Codec<>() {
            @Override
            public int size() {
                return 16;
            }

            @Override
            public Value decode(ByteBuffer buffer, int offset) {
                return new Value(buffer.getLong(offset), LEVEL.decode(buffer, offset + 8), buffer.getInt(offset + 12));
            }

            @Override
            public void encode(Value value, ByteBuffer buffer, int offset) {
                buffer.putLong(offset, value.count);
                LEVEL.encode(value.level, buffer, offset + 8);
                buffer.putInt(offset + 12, value.word);
            }
        };
    }

    @BeforeEach
    void load() {
        KernelSupport.assumeBpf();
        ObjectSpec spec = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0));
        object = BpfObject.load(spec);
    }

    @AfterEach
    void close() {
        if (object != null) {
            object.close();
        }
    }

    @Test
    void scalarKeysAndValuesRoundTrip() {
        TypedMap<Integer, Long> map = TypedMap.of(object.map("u32_to_u64"), Codecs.U32, Codecs.U64);
        assertEquals(Optional.empty(), map.get(1));
        map.put(1, 10L);
        map.put(-1, Long.MIN_VALUE);
        assertEquals(Optional.of(10L), map.get(1));
        assertEquals(Optional.of(Long.MIN_VALUE), map.get(0xffff_ffff), "__u32 0xffffffff is -1 in Java");
        assertThrows(BusyException.class, () -> map.update(1, 11L, BpfMap.UpdateFlag.NO_EXIST));
        assertThrows(NotFoundException.class, () -> map.update(2, 11L, BpfMap.UpdateFlag.EXIST));
        map.update(1, 11L, BpfMap.UpdateFlag.EXIST);
        assertEquals(Set.of(1, -1), new HashSet<>(map.keys()));
        assertEquals(Map.of(1, 11L, -1, Long.MIN_VALUE), toMap(map.entries()));
        assertEquals(Optional.of(11L), map.getAndDelete(1));
        assertTrue(map.delete(-1));
        assertFalse(map.delete(-1));
        assertEquals(List.of(), map.keys());
        // The raw bytes are the host's order: the typed view and the raw map agree.
        map.put(7, 0x0102030405060708L);
        assertArrayEquals(Codecs.toBytes(Codecs.U64, 0x0102030405060708L),
                map.raw().lookup(Codecs.toBytes(Codecs.U32, 7)).orElseThrow());
    }

    @Test
    void structKeysWithPaddingAndStructValuesWithEnumsAndUnionsRoundTrip() {
        TypedMap<Key, Value> map = TypedMap.of(object.map("struct_to_struct"), Key.CODEC, Value.CODEC);
        map.put(new Key(1, "alpha"), new Value(5, Level.HIGH, 0xdeadbeef));
        map.put(new Key(1, "beta"), new Value(6, Level.LOW, 1));
        assertEquals(Optional.of(new Value(5, Level.HIGH, 0xdeadbeef)), map.get(new Key(1, "alpha")),
                "padding zeroed, so the same key finds its entry");
        assertEquals(Optional.empty(), map.get(new Key(1, "alph")));
        // A value the enum does not name, written raw, decodes to UNRECOGNIZED.
        byte[] raw = Codecs.toBytes(Value.CODEC, new Value(7, Level.MID, 0));
        ByteBuffer.wrap(raw).order(java.nio.ByteOrder.nativeOrder()).putInt(8, 99);
        map.raw().put(Codecs.toBytes(Key.CODEC, new Key(2, "raw")), raw);
        assertEquals(Level.UNRECOGNIZED, map.get(new Key(2, "raw")).orElseThrow().level());
        assertThrows(IllegalArgumentException.class, () -> map.put(new Key(3, "too long"), new Value(0, Level.LOW,
                0)), "char[6] cannot hold 8 bytes");
    }

    @Test
    void stringKeysEnumValuesAndMatricesRoundTrip() {
        TypedMap<String, Level> levels = TypedMap.of(object.map("name_to_level"), Codecs.string(16), LEVEL);
        levels.put("bash", Level.HIGH);
        levels.put("java", Level.MID);
        assertEquals(Optional.of(Level.HIGH), levels.get("bash"));
        assertEquals(Map.of("bash", Level.HIGH, "java", Level.MID), toMap(levels.entries()));

        Codec<short[][]> grid = Codecs.array(Codecs.shorts(3), 2, short[][]::new);
        TypedMap<Integer, short[][]> matrices = TypedMap.of(object.map("matrices"), Codecs.U32, grid);
        matrices.put(2, new short[][] {{1, -2, 3}, {-4, 5, -6}});
        assertArrayEquals(new short[][] {{1, -2, 3}, {-4, 5, -6}}, matrices.get(2).orElseThrow());
        assertArrayEquals(new short[][] {{0, 0, 0}, {0, 0, 0}}, matrices.get(0).orElseThrow());
        assertEquals(3, matrices.keys().size(), "an array has all its keys");
    }

    @Test
    void perCpuValuesAreOnePerPossibleCpu() {
        int cpus = CpuList.possible().count();
        TypedMap<Integer, List<Integer>> perCpu = TypedMap.perCpu(object.map("per_cpu"), Codecs.U32, Codecs.U32);
        List<Integer> values = IntStream.range(0, cpus).map(cpu -> 100 + cpu).boxed().toList();
        perCpu.put(1, values);
        assertEquals(Optional.of(values), perCpu.get(1));
        assertEquals(Collections.nCopies(cpus, 0), perCpu.get(0).orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> perCpu.put(1, List.of(1)));

        TypedMap<Long, List<byte[]>> words = TypedMap.perCpu(object.map("per_cpu_hash"), Codecs.U64,
                Codecs.bytes(4));
        List<byte[]> bytes = IntStream.range(0, cpus).mapToObj(cpu -> new byte[] {(byte) cpu, 1, 2, 3}).toList();
        words.put(9L, bytes);
        List<byte[]> read = words.get(9L).orElseThrow();
        for (int cpu = 0; cpu < cpus; cpu++) {
            assertArrayEquals(bytes.get(cpu), read.get(cpu));
        }
        IllegalArgumentException notPerCpu = assertThrows(IllegalArgumentException.class,
                () -> TypedMap.of(object.map("per_cpu"), Codecs.U32, Codecs.U32));
        assertTrue(notPerCpu.getMessage().contains("TypedMap.perCpu"), notPerCpu.getMessage());
    }

    @Test
    void deletingFromAnArrayIsRefusedSayingEntriesAlwaysExist() {
        int cpus = CpuList.possible().count();
        TypedMap<Integer, List<Integer>> perCpu = TypedMap.perCpu(object.map("per_cpu"), Codecs.U32, Codecs.U32);
        perCpu.put(1, Collections.nCopies(cpus, 7));
        // Refused before any system call: no single-element fallback the caller never asked for.
        NotSupportedException batch = assertThrows(NotSupportedException.class,
                () -> perCpu.lookupAndDeleteBatch(new MapBatchCursor(), 8));
        assertTrue(batch.getMessage().startsWith("BPF_MAP_LOOKUP_AND_DELETE_BATCH for map 'per_cpu'")
                && batch.getMessage().contains("entries of an array (PERCPU_ARRAY) cannot be deleted: they always "
                        + "exist"), batch.getMessage());
        assertFalse(batch.getMessage().contains("DELETE_ELEM"), batch.getMessage());
        assertTrue(batch.hint().orElseThrow().contains("set the entry to zero")
                && batch.hint().orElseThrow().contains("hash-type map"), batch.getMessage());
        NotSupportedException single = assertThrows(NotSupportedException.class, () -> perCpu.delete(1));
        assertTrue(single.getMessage().startsWith("BPF_MAP_DELETE_ELEM for map 'per_cpu'")
                && single.getMessage().contains("cannot be deleted"), single.getMessage());
        NotSupportedException taken = assertThrows(NotSupportedException.class, () -> perCpu.getAndDelete(1));
        assertTrue(taken.getMessage().contains("cannot be deleted"), taken.getMessage());
        TypedMap<Integer, short[][]> matrices = TypedMap.of(object.map("matrices"),
                Codecs.U32, Codecs.array(Codecs.shorts(3), 2, short[][]::new));
        NotSupportedException batchDelete = assertThrows(NotSupportedException.class,
                () -> matrices.deleteBatch(List.of(0, 1)));
        assertTrue(batchDelete.getMessage().contains("entries of an array (ARRAY) cannot be deleted"),
                batchDelete.getMessage());
        assertEquals(Optional.of(Collections.nCopies(cpus, 7)), perCpu.get(1), "nothing was deleted");
    }

    @Test
    void anLpmTrieFindsTheLongestPrefixAndNamesAPrefixLongerThanItsData() throws Exception {
        // struct lpm_key { __u32 prefixlen; __u32 addr; }: the length in host order, the address in network order.
        Codec<Map.Entry<Integer, Inet4Address>> key = new Codec<>() {
            @Override
            public int size() {
                return 8;
            }

            @Override
            public Map.Entry<Integer, Inet4Address> decode(ByteBuffer buffer, int offset) {
                return Map.entry(buffer.getInt(offset), Codecs.IPV4_ADDRESS.decode(buffer, offset + 4));
            }

            @Override
            public void encode(Map.Entry<Integer, Inet4Address> value, ByteBuffer buffer, int offset) {
                buffer.putInt(offset, value.getKey());
                Codecs.IPV4_ADDRESS.encode(value.getValue(), buffer, offset + 4);
            }
        };
        TypedMap<Map.Entry<Integer, Inet4Address>, Long> prefixes = TypedMap.of(object.map("prefixes"),
                key, Codecs.U64);
        prefixes.put(Map.entry(8, inet4("10.0.0.0")), 8L);
        prefixes.put(Map.entry(24, inet4("10.1.2.0")), 24L);
        assertEquals(Optional.of(24L), prefixes.get(Map.entry(32, inet4("10.1.2.3"))), "the longest prefix");
        assertEquals(Optional.of(8L), prefixes.get(Map.entry(32, inet4("10.9.9.9"))));
        assertEquals(Optional.empty(), prefixes.get(Map.entry(32, inet4("192.168.0.1"))));

        KernelException tooLong = assertThrows(KernelException.class,
                () -> prefixes.put(Map.entry(33, inet4("10.0.0.0")), 1L));
        assertEquals("EINVAL", tooLong.errnoName());
        assertTrue(tooLong.hint().orElse("").startsWith("the key's prefix length 33 is more than the 32 bits of "
                + "data an LPM_TRIE key of 8 bytes holds"), tooLong.getMessage());
    }

    private static Inet4Address inet4(String address) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByName(address);
    }

    @Test
    void anArrayIndexBeyondMaxEntriesIsNamedAsOutOfRange() {
        int cpus = CpuList.possible().count();
        TypedMap<Integer, List<Integer>> perCpu = TypedMap.perCpu(object.map("per_cpu"), Codecs.U32, Codecs.U32);
        KernelException e = assertThrows(KernelException.class, () -> perCpu.put(5, Collections.nCopies(cpus, 1)));
        assertEquals(Errno.E2BIG.number(), e.errno());
        assertTrue(e.getMessage().contains("index 5 is out of range: array 'per_cpu' has max_entries 2 (indices 0..1)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("full"), e.getMessage());
        KernelException raw = assertThrows(KernelException.class,
                () -> object.map("matrices").put(Codecs.toBytes(Codecs.U32, -1), new byte[12]));
        assertTrue(raw.getMessage().contains("index 4294967295 is out of range: array 'matrices' has max_entries 3"),
                raw.getMessage());

        // Reading one too: the kernel says ENOENT, as for an empty slot, but every index of an array has a value.
        KernelException read = assertThrows(KernelException.class, () -> perCpu.get(2));
        assertEquals(Errno.ENOENT.number(), read.errno());
        assertTrue(read.getMessage().contains("index 2 is out of range: array 'per_cpu' has max_entries 2"),
                read.getMessage());
        assertThrows(KernelException.class, () -> object.map("matrices").lookup(Codecs.toBytes(Codecs.U32, 3)));
        assertTrue(object.map("matrices").lookup(Codecs.toBytes(Codecs.U32, 2)).isPresent(), "the last index");
    }

    @Test
    void nullKeysAndValuesAreRefusedNamingTheMap() {
        TypedMap<Integer, Long> map = TypedMap.of(object.map("u32_to_u64"), Codecs.U32, Codecs.U64);
        NullPointerException value = assertThrows(NullPointerException.class, () -> map.put(1, null));
        assertEquals("map 'u32_to_u64': the value is null; to remove the key use delete(key)", value.getMessage());
        NullPointerException key = assertThrows(NullPointerException.class, () -> map.get(null));
        assertTrue(key.getMessage().startsWith("map 'u32_to_u64': the key is null"), key.getMessage());
        assertThrows(NullPointerException.class, () -> map.delete(null));
        assertThrows(NullPointerException.class, () -> map.getAndDelete(null));
        Map<Integer, Long> withNull = new HashMap<>();
        withNull.put(2, null);
        assertThrows(NullPointerException.class, () -> map.updateBatch(withNull, BpfMap.UpdateFlag.ANY));
        assertEquals(List.of(), map.keys(), "nothing was stored");
        TypedMap<Integer, short[][]> matrices = TypedMap.of(object.map("matrices"),
                Codecs.U32, Codecs.array(Codecs.shorts(3), 2, short[][]::new));
        NullPointerException array = assertThrows(NullPointerException.class, () -> matrices.put(0, null));
        assertTrue(array.getMessage().contains("store a zero value"), array.getMessage());
    }

    @Test
    void toStringNamesTheMapAndTheCTypes() {
        assertEquals("TypedMap[u32_to_u64, Codec[__u32] -> Codec[__u64]]",
                TypedMap.of(object.map("u32_to_u64"), Codecs.U32, Codecs.U64).toString());
        assertEquals("TypedMap[per_cpu, Codec[__u32] -> Codec[per-CPU __u32, " + CpuList.possible().count()
                + " CPUs]]", TypedMap.perCpu(object.map("per_cpu"), Codecs.U32, Codecs.U32).toString());
        assertEquals("TypedMap[matrices, Codec[__u32] -> Codec[__s16/__u16[2][3]]]", TypedMap.of(object.map("matrices"),
                Codecs.U32, Codecs.array(Codecs.shorts(3), 2, short[][]::new)).toString());
        assertEquals("TypedMap[name_to_level, Codec[char[16]] -> EnumCodec[Level, 4 bytes, unsigned]]",
                TypedMap.of(object.map("name_to_level"), Codecs.string(16), LEVEL).toString());
    }

    @Test
    void codecsOfTheWrongSizeAreRefusedNamingTheMap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TypedMap.of(object.map("u32_to_u64"), Codecs.U32, Codecs.U32));
        assertTrue(e.getMessage().contains("u32_to_u64") && e.getMessage().contains("8-byte values"), e.getMessage());
    }

    @Test
    void iterationSurvivesDeletingUnderItAndReportsNoKeyTwice() {
        TypedMap<Integer, Long> map = TypedMap.of(object.map("u32_to_u64"), Codecs.U32, Codecs.U64);
        for (int i = 0; i < 64; i++) {
            map.put(i, (long) i * i);
        }
        List<Integer> seen = new ArrayList<>();
        Set<Integer> deletedAhead = new HashSet<>();
        Iterator<Map.Entry<Integer, Long>> it = map.iterator();
        while (it.hasNext()) {
            Map.Entry<Integer, Long> e = it.next();
            assertEquals((long) e.getKey() * e.getKey(), e.getValue());
            seen.add(e.getKey());
            // Delete the entry just read, which makes the kernel restart its walk, and one not read yet.
            map.delete(e.getKey());
            int ahead = (e.getKey() * 7 + 3) % 64;
            if (!seen.contains(ahead) && map.delete(ahead)) {
                deletedAhead.add(ahead);
            }
        }
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no key twice: " + seen);
        Set<Integer> all = new HashSet<>(seen);
        all.addAll(deletedAhead);
        assertEquals(IntStream.range(0, 64).boxed().collect(Collectors.toSet()), all);
        assertEquals(List.of(), map.keys());
    }

    @Test
    void forEachVisitsEveryEntry() {
        TypedMap<Integer, Long> map = TypedMap.of(object.map("u32_to_u64"), Codecs.U32, Codecs.U64);
        Map<Integer, Long> expected = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            map.put(i, -i * 3L);
            expected.put(i, -i * 3L);
        }
        Map<Integer, Long> visited = new TreeMap<>();
        map.forEach(visited::put);
        assertEquals(expected, visited);
    }

    @Test
    void ringBuffersAndPerfArraysDeclaredWithARecordTypeAreCreatedWithoutItAndKeepItInTheSpec() {
        BpfMap events = object.map("events");
        assertEquals(0, events.keySize());
        assertEquals(0, events.valueSize(), "the kernel wants no value size for a ring buffer");
        assertEquals(20, object.spec().btf().orElseThrow().sizeOf(events.spec().valueTypeId()),
                "struct event stays in the spec for typed readers");
        BpfMap perf = object.map("perf_events");
        assertEquals(4, perf.keySize());
        assertEquals(4, perf.valueSize(), "a perf event array holds descriptors");
        assertEquals(CpuList.possible().count(), perf.maxEntries());
        assertTrue(perf.spec().valueTypeId() != 0);
    }

    @Test
    void aRingBufferOfAnInvalidSizeIsRefusedNamingTheRule() {
        ObjectSpec spec = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0));
        // Checked before BPF_MAP_CREATE, which would say no more than EINVAL.
        io.github.bpf2java.ebpf.error.BpfException e = assertThrows(
                io.github.bpf2java.ebpf.error.BpfException.class,
                () -> BpfObject.load(spec, LoadOptions.builder().maxEntries("events", 5000).build()).close());
        assertTrue(e.getMessage().contains("'events'")
                && e.getMessage().contains("power-of-two multiple of the page size"), e.getMessage());
        assertTrue(e.hint().orElse("").contains("maxEntries(\"events\", 4096)"), e.getMessage());
        assertFalse(e.getMessage().contains("valueSize"), "a ring buffer has no value size to set: " + e.getMessage());
    }

    static <K, V> Map<K, V> toMap(List<Map.Entry<K, V>> entries) {
        Map<K, V> map = new HashMap<>();
        for (Map.Entry<K, V> e : entries) {
            assertEquals(null, map.put(e.getKey(), e.getValue()), "duplicate key " + e.getKey());
        }
        return map;
    }
}

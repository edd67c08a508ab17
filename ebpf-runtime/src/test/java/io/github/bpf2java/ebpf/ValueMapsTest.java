package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestCgroup;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Maps used from Java other than by plain keys and values ({@code value_maps.c}): queues and stacks pushed and
 * popped, a bloom filter tested, task storage reached through a pidfd and its keys refused, a value read under its
 * {@code bpf_spin_lock} while a program changes it, a program array and a map of maps filled from Java.
 */
class ValueMapsTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;
    private static final byte[] PACKET = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(1, 9).build();

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
    }

    @Test
    void queuesPopTheOldestStacksTheNewestAndAFullOneRefuses() {
        try (BpfObject object = load()) {
            BpfMap fifo = object.map("fifo");
            BpfMap lifo = object.map("lifo");
            for (long v = 1; v <= 3; v++) {
                fifo.push(word(v));
                lifo.push(word(v));
            }
            KernelException full = assertThrows(KernelException.class, () -> fifo.push(word(4)));
            assertEquals("E2BIG", full.errnoName(), full.getMessage());
            assertEquals(Optional.of(1L), fifo.peek().map(ValueMapsTest::word), "peek leaves it in place");
            assertEquals(Optional.of(1L), fifo.pop().map(ValueMapsTest::word));
            assertEquals(Optional.of(3L), lifo.pop().map(ValueMapsTest::word));
            fifo.update(new byte[0], word(5), BpfMap.UpdateFlag.ANY);
            fifo.update(new byte[0], word(6), BpfMap.UpdateFlag.EXIST); // full: drops the oldest, 2
            assertEquals(3L, word(fifo.pop().orElseThrow()));
            assertEquals(5L, word(fifo.pop().orElseThrow()));
            assertEquals(6L, word(fifo.pop().orElseThrow()));
            assertEquals(Optional.empty(), fifo.pop());
            assertEquals(Optional.empty(), fifo.peek());

            NotSupportedException keys = assertThrows(NotSupportedException.class, fifo::keys);
            assertTrue(keys.hint().orElse("").contains("pop()"), keys.getMessage());
            IllegalStateException notAQueue = assertThrows(IllegalStateException.class,
                    () -> object.map("accounts").pop());
            assertTrue(notAQueue.getMessage().contains("[QUEUE, STACK]"), notAQueue.getMessage());
        }
    }

    @Test
    void typedQueuesAndBloomFiltersEncodeTheirElementsWithTheirCodec() {
        try (BpfObject object = load()) {
            TypedQueue<Long> fifo = TypedQueue.of(object.map("fifo"), Codecs.U64);
            TypedQueue<Long> lifo = TypedQueue.of(object.map("lifo"), Codecs.U64);
            for (long v = 10; v <= 30; v += 10) {
                fifo.push(v);
                lifo.push(v);
            }
            fifo.pushReplacingOldest(40L);
            assertEquals(Optional.of(20L), fifo.peek());
            assertEquals(Optional.of(20L), fifo.pop());
            assertEquals(Optional.of(30L), lifo.pop());
            TypedBloomFilter<Integer> seen = TypedBloomFilter.of(object.map("seen"), Codecs.U32);
            seen.add(7);
            assertTrue(seen.mightContain(7));
            assertFalse(seen.mightContain(8));
            assertThrows(IllegalArgumentException.class, () -> TypedQueue.of(object.map("seen"), Codecs.U32));
            assertThrows(IllegalArgumentException.class, () -> TypedQueue.of(object.map("fifo"), Codecs.U32),
                    "4-byte codec for 8-byte elements");
            IllegalArgumentException keyless = assertThrows(IllegalArgumentException.class,
                    () -> TypedMap.of(object.map("seen"), Codecs.U32, Codecs.U32));
            assertTrue(keyless.getMessage().contains("TypedBloomFilter"), keyless.getMessage());
        }
    }

    @Test
    void aBloomFilterAnswersForTheValueAskedAboutWhateverCameBefore() {
        try (BpfObject object = load()) {
            BpfMap seen = object.map("seen");
            assertFalse(seen.mightContain(u32(7)), "nothing added yet");
            seen.push(u32(7));
            // Another call in between leaves other bytes in the thread's scratch area: the answer must not change.
            object.map("lifo").push(word(123456789));
            assertTrue(seen.mightContain(u32(7)));
            assertFalse(seen.mightContain(u32(8)));
            IllegalStateException lookup = assertThrows(IllegalStateException.class, () -> seen.lookup(new byte[0]));
            assertTrue(lookup.getMessage().contains("mightContain"), lookup.getMessage());
            assertThrows(IllegalStateException.class, seen::pop);
        }
    }

    @Test
    void taskStorageIsReachedThroughItsOwnerAndItsKeysAreRefusedNotListedAsEmpty() throws Exception {
        try (BpfObject object = load(); BpfLink link = object.program("count_execs").attach()) {
            BpfMap notes = object.map("notes");
            Process child = new ProcessBuilder("sleep", "60").start();
            try (StorageOwner task = StorageOwner.task(child.pid())) {
                // The child's execve ran before start() returned (the JDK waits for it); its entry counts it.
                Optional<byte[]> note = notes.lookup(task);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (note.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    note = notes.lookup(task);
                }
                assertTrue(note.isPresent() && word(note.get()) >= 1, "the child's execve counted");
                notes.update(task, word(41), BpfMap.UpdateFlag.ANY);
                assertEquals(41L, word(notes.lookup(task).orElseThrow()));
                TypedStorage<Long> typed = TypedStorage.of(notes, Codecs.U64);
                assertEquals(Optional.of(41L), typed.get(task));
                typed.put(task, 42L);
                assertEquals(42L, word(notes.lookup(task).orElseThrow()));
                assertTrue(notes.delete(task));
                assertEquals(Optional.empty(), notes.lookup(task));

                NotSupportedException keys = assertThrows(NotSupportedException.class, notes::keys);
                assertTrue(keys.getMessage().contains("TASK_STORAGE"), keys.getMessage());
                assertTrue(keys.hint().orElse("").contains("StorageOwner.task(pid)"), keys.getMessage());
                assertThrows(NotSupportedException.class, notes::entries);
                IllegalArgumentException asMap = assertThrows(IllegalArgumentException.class,
                        () -> TypedMap.of(notes, Codecs.U32, Codecs.bytes(8)));
                assertTrue(asMap.getMessage().contains("use TypedStorage"), asMap.getMessage());
                // A pid written as the key would be taken for whatever descriptor of this JVM has that number.
                byte[] pidAsKey = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, (int) child.pid())
                        .array();
                IllegalStateException rawKey = assertThrows(IllegalStateException.class, () -> notes.lookup(pidAsKey));
                assertTrue(rawKey.getMessage().contains("lookup(StorageOwner)"), rawKey.getMessage());
                assertThrows(IllegalStateException.class, () -> notes.put(pidAsKey, word(1)));
                assertThrows(IllegalStateException.class, () -> notes.delete(pidAsKey));
                assertThrows(IllegalStateException.class, () -> object.map("fifo").lookup(task));
                try (TestCgroup group = TestCgroup.create("owner");
                        StorageOwner cgroup = StorageOwner.cgroup(group.path())) {
                    IllegalStateException wrongOwner = assertThrows(IllegalStateException.class,
                            () -> notes.lookup(cgroup));
                    assertTrue(wrongOwner.getMessage().contains("StorageOwner.task(...)"), wrongOwner.getMessage());
                }
            } finally {
                child.destroyForcibly().waitFor();
            }
            try (StorageOwner self = StorageOwner.task(ProcessHandle.current().pid())) {
                assertEquals(Optional.empty(), notes.lookup(self), "this JVM has made no execve since attaching");
            }
            NotFoundException gone = assertThrows(NotFoundException.class, () -> StorageOwner.task(child.pid()));
            assertTrue(gone.hint().orElse("").contains("no process has that id"), gone.getMessage());
            long thread = otherThreadOfThisJvm();
            KernelException notAProcess = assertThrows(KernelException.class, () -> StorageOwner.task(thread));
            assertTrue(notAProcess.hint().orElse("").contains("is not the id of a process"),
                    notAProcess.getMessage());
            BpfException notACgroup = assertThrows(BpfException.class, () -> StorageOwner.cgroup(Path.of("/tmp")));
            assertTrue(notACgroup.getMessage().contains("not a cgroup v2 directory"), notACgroup.getMessage());
        }
    }

    @Test
    void aLockedReadNeverSeesATransferHalfDone() throws Exception {
        try (BpfObject object = load()) {
            TypedMap<Integer, byte[]> accounts = TypedMap.of(object.map("accounts"), Codecs.U32, Codecs.bytes(24));
            long total = 1_000_000_000L;
            byte[] start = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder()).putLong(8, total).array();
            accounts.update(0, start, BpfMap.UpdateFlag.LOCK);
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> transfers = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    object.program("transfer").testRun(TestRun.builder().data(PACKET).repeat(10_000).build());
                }
            });
            int reads = 0;
            long moved = 0;
            try {
                long deadline = System.nanoTime() + 1_000_000_000L;
                while (System.nanoTime() < deadline || moved == 0) {
                    ByteBuffer value = ByteBuffer.wrap(accounts.getLocked(0).orElseThrow())
                            .order(ByteOrder.nativeOrder());
                    assertEquals(0, value.getInt(0), "the lock's bytes read as zero");
                    assertEquals(total, value.getLong(8) + value.getLong(16), "read " + reads);
                    moved = value.getLong(16);
                    reads++;
                }
            } finally {
                stop.set(true);
                transfers.get();
            }
            assertTrue(moved > 0, "the program ran meanwhile");
            KernelException noLock = assertThrows(KernelException.class,
                    () -> object.map("not_an_inner").lookupLocked(u32(0)));
            assertEquals("EINVAL", noLock.errnoName(), noLock.getMessage());
        }
    }

    @Test
    void aStackTraceMapOfAValueSizeTheKernelRefusesSaysWhatItTakes() {
        MapSpec.Builder stacks = MapSpec.builder("stacks", MapSpec.MapKind.BTF_DEFINED, MapType.STACK_TRACE)
                .keySize(4).maxEntries(16);
        for (int valueSize : new int[] {12, 4096 * 8}) {
            KernelException refused = assertThrows(KernelException.class,
                    () -> BpfMap.create(stacks.valueSize(valueSize).build()).close());
            assertTrue(refused.hint().orElse("").contains("its value size (" + valueSize + " here) must be a "
                    + "positive multiple of 8, of at most kernel.perf_event_max_stack frames"), refused.getMessage());
        }
        try (BpfMap fits = BpfMap.create(stacks.valueSize(32 * 8).build())) {
            assertEquals(256, fits.valueSize());
            KernelException written = assertThrows(KernelException.class, () -> fits.put(new byte[4], new byte[256]));
            assertTrue(written.hint().orElse("").contains("written only by programs (bpf_get_stackid)"),
                    written.getMessage());
        }
    }

    @Test
    void programArraySlotsAndInnerMapsAreFilledFromJava() {
        try (BpfObject object = load()) {
            BpfProgram dispatch = object.program("dispatch");
            assertEquals(XDP_PASS, run(dispatch), "empty slot, inner value 0");

            BpfMap replacement = object.map("replacement");
            replacement.put(u32(0), u32(XDP_DROP));
            object.map("outer").putMap(0, replacement);
            assertEquals(XDP_DROP, run(dispatch), "the program now finds the replacement");
            assertEquals(replacement.id(), ByteBuffer.wrap(object.map("outer").lookup(u32(0)).orElseThrow())
                    .order(ByteOrder.nativeOrder()).getInt(), "a map of maps reads back the inner map's id");
            object.map("outer").putMap(0, TypedMap.of(object.map("first_inner"), Codecs.U32, Codecs.U32));
            assertEquals(XDP_PASS, run(dispatch), "a typed view puts its map: the first inner map is back");
            object.map("outer").putMap(0, replacement);
            KernelException mismatch = assertThrows(KernelException.class,
                    () -> object.map("outer").putMap(0, object.map("not_an_inner")));
            assertTrue(mismatch.hint().orElse("").contains("map 'not_an_inner' (HASH, key 4, value 4, max_entries 1)"
                    + ": it does not match the inner map its C declaration describes (ARRAY, key 4, value 4, "
                    + "max_entries 1)"), "both shapes: " + mismatch.getMessage());

            // An inner map made at run time from the template, as per-tenant maps are.
            MapSpec template = object.map("outer").spec().innerMap().orElseThrow();
            try (BpfMap tenant = BpfMap.create(template.toBuilder().name("tenant_7").build())) {
                assertEquals("tenant_7", tenant.name());
                assertEquals("tenant_7", tenant.info().name(), "the kernel has the name too");
                tenant.put(u32(0), u32(XDP_DROP));
                object.map("outer").putMap(0, tenant);
                assertEquals(XDP_DROP, run(dispatch), "the program finds the map made at run time");
                int id = ByteBuffer.wrap(object.map("outer").lookup(u32(0)).orElseThrow())
                        .order(ByteOrder.nativeOrder()).getInt();
                try (BpfMap reopened = BpfMap.openById(id);
                        BpfMap inSlot = object.map("outer").openInnerMap(0).orElseThrow()) {
                    assertEquals(tenant.id(), reopened.id());
                    assertEquals("tenant_7", reopened.name());
                    assertArrayEquals(u32(XDP_DROP), reopened.lookup(u32(0)).orElseThrow());
                    assertEquals(tenant.id(), inSlot.id(), "the slot's map, opened");
                }
                assertThrows(IllegalStateException.class, () -> tenant.openInnerMap(0), "no map of maps");
            }
            assertEquals(XDP_DROP, run(dispatch), "the outer map holds it after its Java object is closed");
            object.map("outer").putMap(0, replacement);
            IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
                    () -> BpfMap.create(object.spec().map(".bss").orElseThrow()));
            assertTrue(data.getMessage().contains("global data"), data.getMessage());
            IllegalArgumentException slots = assertThrows(IllegalArgumentException.class,
                    () -> BpfMap.create(object.map("outer").spec()));
            assertTrue(slots.getMessage().contains("initial slots"), slots.getMessage());
            assertThrows(NotFoundException.class, () -> BpfMap.openById(Integer.MAX_VALUE));

            object.map("verdicts").putProgram(0, object.program("drop_all"));
            replacement.put(u32(0), u32(0));
            assertEquals(XDP_DROP, run(dispatch), "the tail call jumps to drop_all");
            object.map("verdicts").delete(u32(0));
            assertEquals(XDP_PASS, run(dispatch));
            KernelException otherType = assertThrows(KernelException.class,
                    () -> object.map("verdicts").putProgram(0, object.program("keep_all")));
            assertTrue(otherType.hint().orElse("").contains("programs alike to the programs that tail-call through "
                    + "it: of one type, and of one kind within it"), otherType.getMessage());
            assertThrows(IllegalStateException.class, () -> object.map("outer").putProgram(0, dispatch));

            // Out of range either way: refused alike, naming the range, before the kernel is asked.
            BpfMap verdicts = object.map("verdicts");
            for (int index : new int[] {-1, verdicts.maxEntries()}) {
                IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
                        () -> verdicts.putProgram(index, object.program("drop_all")));
                assertTrue(outOfRange.getMessage().contains("index " + index + " is out of range: PROG_ARRAY "
                        + "'verdicts' has max_entries " + verdicts.maxEntries()), outOfRange.getMessage());
                assertThrows(IllegalArgumentException.class, () -> object.map("outer").putMap(index, replacement));
            }
        }
    }

    @Test
    void aMapKeyedByNetworkOrderAddressesReadsAsInet4Addresses() throws Exception {
        try (BpfObject object = load()) {
            BpfProgram count = object.program("count_by_source");
            for (String source : List.of("10.1.2.3", "10.1.2.3", "192.168.7.9")) {
                count.testRun(TestRun.builder()
                        .data(PacketBuilder.ethernet().ipv4(source, "10.0.0.2").udp(1, 9).build()).build());
            }
            TypedMap<Inet4Address, Long> bySource = TypedMap.of(object.map("by_source"), Codecs.IPV4_ADDRESS,
                    Codecs.U64);
            assertEquals(Optional.of(2L), bySource.get((Inet4Address) InetAddress.getByName("10.1.2.3")));
            assertEquals(Map.of(InetAddress.getByName("10.1.2.3"), 2L, InetAddress.getByName("192.168.7.9"), 1L),
                    bySource.entries().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        }
    }

    @Test
    void aCgroupArraySlotFilledFromJavaFiltersByCgroup() throws Exception {
        try (BpfObject object = load(); TestCgroup group = TestCgroup.create("array");
                BpfLink link = object.program("count_inside").attach()) {
            BpfMap watched = object.map("watched");
            watched.putCgroup(0, group.path());
            group.runInside("sh -c 'echo $PPID' && sh -c 'echo $PPID'");
            long inside = object.variable("inside_calls").getLong();
            assertTrue(inside >= 2, "both shells in the cgroup counted: " + inside);
            assertEquals(0, new ProcessBuilder("sh", "-c", "echo $PPID").start().waitFor());
            assertEquals(inside, object.variable("inside_calls").getLong(), "a shell outside it is not");

            assertThrows(NotFoundException.class, () -> watched.putCgroup(0, group.path().resolve("absent")));
            BpfException notADirectory = assertThrows(BpfException.class,
                    () -> watched.putCgroup(0, group.path().resolve("cgroup.procs")));
            assertTrue(notADirectory.getMessage().contains("is not a directory"), notADirectory.getMessage());
            IllegalStateException wrongMap = assertThrows(IllegalStateException.class,
                    () -> object.map("verdicts").putCgroup(0, group.path()));
            assertTrue(wrongMap.getMessage().contains("cgroups go into CGROUP_ARRAY maps"), wrongMap.getMessage());
        }
    }

    /** The id of a thread of this JVM other than its main thread, from {@code /proc/self/task}. */
    private static long otherThreadOfThisJvm() throws IOException {
        long pid = ProcessHandle.current().pid();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.map(t -> Long.parseLong(t.getFileName().toString())).filter(t -> t != pid).findFirst()
                    .orElseThrow();
        }
    }

    private static int run(BpfProgram program) {
        return program.testRun(TestRun.builder().data(PACKET).build()).returnValue();
    }

    private static BpfObject load() {
        return BpfObject.load(BpfFixtures.hostSpec("value_maps", BpfFixtures.installedCompilers().get(0)));
    }

    private static byte[] word(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value).array();
    }

    private static long word(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong();
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, value).array();
    }
}

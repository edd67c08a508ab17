package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.bpf.TestRunRequest;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Global variables through their sections' memory mappings, on the kernel: what programs write is what Java reads,
 * Java's writes reach the programs, and a write touches nothing but its own variable.
 */
class GlobalVariableTest {
    /** Runs of the counting program in the race; each run is one increment of {@code hits}. */
    private static final int RUNS = 2_000_000;

    private BpfObject object;

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

    private void run(String program, int times) {
        Programs.testRun(object.program(program).handle(), TestRunRequest.packet(new byte[64]).repeated(times));
    }

    @Test
    void aSectionHoldingASpinLockIsReadThroughLookupsAndSaysWhyItCannotBeWritten() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("locked_globals",
                BpfFixtures.installedCompilers().get(0)))) {
            object.program("bump").testRun(TestRun.ofData(new byte[64]));
            GlobalVariable guarded = object.variable("guarded");
            assertEquals(2, guarded.getLong(), "read through a lookup");
            KernelException why = guarded.whyNotMapped().orElseThrow();
            assertTrue(why.hint().orElse("").startsWith("map '" + object.map(guarded.spec().mapName()).name()
                    + "' holds a field the kernel keeps from user space (a bpf_spin_lock"), why.getMessage());
            NotSupportedException write = assertThrows(NotSupportedException.class, () -> guarded.setLong(5));
            assertTrue(write.hint().orElse("").contains("declare those fields in a section of their own"),
                    write.getMessage());
            GlobalVariable free = object.variable("free_counter");
            assertTrue(free.whyNotMapped().isEmpty(), "the section without a lock stays mapped");
            free.setLong(40);
            object.program("bump").testRun(TestRun.ofData(new byte[64]));
            assertEquals(41, free.getLong());
        }
    }

    @Test
    void theLostUpdateRaceLosesNothing() throws Exception {
        GlobalVariable hits = object.variable("hits");
        GlobalVariable other = object.variable("other");
        assertTrue(hits.mapped() && other.mapped(), "the .bss section is memory-mapped");
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        // Java writes the neighbour of the program's counter, in the same section, as fast as it can meanwhile.
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            long i = 0;
            while (!done.get()) {
                other.setLong(++i);
            }
            writes.set(i);
        });
        try {
            run("count_hit", RUNS);
        } finally {
            done.set(true);
        }
        writer.get(30, TimeUnit.SECONDS);
        assertTrue(writes.get() > 1000, "the writer ran meanwhile: " + writes.get() + " writes");
        assertEquals(RUNS, hits.getLong(), "every increment of the program survives Java's writes");
        assertEquals(writes.get(), other.getLong());
    }

    @Test
    void rewritingTheWholeSectionWouldLoseIncrements() throws Exception {
        // The control: what GlobalVariable.set did before, a lookup and update of the whole section, loses the
        // program's increments made in between. This is why writes go through the mapping.
        BpfMap bss = object.map(object.variable("hits").spec().mapName());
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            byte[] key = new byte[4];
            while (!done.get()) {
                bss.put(key, bss.lookup(key).orElseThrow());
            }
        });
        try {
            run("count_hit", RUNS);
        } finally {
            done.set(true);
        }
        writer.get(30, TimeUnit.SECONDS);
        long hits = object.variable("hits").getLong();
        assertTrue(hits < RUNS, "whole-section rewrites lost " + (RUNS - hits) + " of " + RUNS + " increments");
    }

    @Test
    void whatTheProgramWritesIsWhatJavaReadsAndTheOtherWayRound() {
        GlobalVariable other = object.variable("other");
        other.setLong(0x1122334455667788L);
        run("count_hit", 3);
        assertEquals(3, object.variable("hits").getLong());
        assertEquals(0x1122334455667788L, object.variable("last_other_seen").getLong(), "the program read Java's write");
        // A custom data section, with a neighbour of another size.
        GlobalVariable counter = object.variable("custom_counter");
        assertEquals(".data.custom", counter.spec().mapName());
        assertEquals(5 + 3, counter.getInt());
        assertEquals((short) -7, object.variable("custom_small").getShort());
        counter.setInt(100);
        run("count_hit", 1);
        assertEquals(101, counter.getInt());
        assertEquals((short) -7, object.variable("custom_small").getShort(), "its neighbour untouched");
        assertEquals(1234, object.variable("initialized").get(Codecs.U32));
        object.variable("initialized").set(Codecs.U32, 99);
        assertArrayEquals(Codecs.toBytes(Codecs.U32, 99), object.variable("initialized").get());
    }

    @Test
    void rodataIsMappedReadOnly() {
        GlobalVariable constant = object.variable("constant");
        assertTrue(constant.mapped());
        assertEquals(0x0102030405060708L, constant.getLong());
        IllegalStateException frozen = assertThrows(IllegalStateException.class, () -> constant.setLong(1));
        assertTrue(frozen.getMessage().contains("before loading"), frozen.getMessage());
        ByteBuffer memory = object.map(constant.spec().mapName()).memory();
        assertTrue(memory.isReadOnly());
        assertThrows(ReadOnlyBufferException.class, () -> memory.putLong(0, 1));
    }

    @Test
    void aStructGlobalDecodesThroughACodecInPlace() {
        GlobalVariable sample = object.variable("sample");
        assertEquals(64, sample.size());
        byte[] bytes = sample.get();
        assertEquals(0xfeedbeef, ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt(12));
        assertEquals("bitfields", Codecs.string(12).decode(ByteBuffer.wrap(bytes), 36));
        assertArrayEquals(bytes, sample.get(Codecs.bytes(64)));
        assertThrows(IllegalArgumentException.class, () -> sample.get(Codecs.U64));
    }

    @Test
    void anMmapableArrayIsAMemoryViewSharedWithThePrograms() {
        run("write_struct", 1);
        BpfMap mmapable = object.map("mmapable");
        ByteBuffer memory = mmapable.memory();
        assertEquals(10_000 * 8, memory.capacity());
        for (int i = 0; i < 64; i++) {
            assertEquals(i * 3L, memory.getLong(8 * i), "element " + i);
        }
        memory.putLong(8 * 100, 4242L);
        assertEquals(4242L, Codecs.fromBytes(Codecs.U64, mmapable.lookup(Codecs.toBytes(Codecs.U32, 100))
                .orElseThrow()));
        NotSupportedException notMappable = assertThrows(NotSupportedException.class,
                () -> object.map("big").memory());
        assertTrue(notMappable.getMessage().contains("cannot be memory-mapped"), notMappable.getMessage());
    }

    @Test
    void aSectionThatCannotBeMappedIsReadThroughLookupsAndRefusesWrites() {
        // What a kernel before 5.5 gives: a data map without BPF_F_MMAPABLE.
        ObjectSpec spec = BpfFixtures.hostSpec("typed_data", BpfFixtures.installedCompilers().get(0));
        try (BpfObject unmapped = BpfObject.load(spec, LoadOptions.builder().mapFlags(".bss", 0).build())) {
            Programs.testRun(unmapped.program("count_hit").handle(),
                    TestRunRequest.packet(new byte[64]).repeated(5));
            GlobalVariable hits = unmapped.variable("hits");
            assertEquals(false, hits.mapped());
            assertTrue(hits.whyNotMapped().orElseThrow().getMessage().contains("cannot be memory-mapped"));
            assertEquals(5, hits.getLong(), "read through a lookup of the section");
            NotSupportedException refused = assertThrows(NotSupportedException.class, () -> hits.setLong(1));
            assertTrue(refused.getMessage().contains("not memory-mapped")
                    && refused.hint().orElseThrow().contains("erase"), refused.getMessage());
            assertEquals(5, hits.getLong());
            assertTrue(unmapped.variable("custom_counter").mapped(), "other sections are mapped as usual");
        }
    }

    @Test
    void afterCloseAccessFailsAndOldBuffersReadZerosInsteadOfCrashing() {
        GlobalVariable other = object.variable("other");
        GlobalVariable constant = object.variable("constant"); // not read before the close
        other.setLong(77);
        ByteBuffer memory = object.map("mmapable").memory();
        memory.putLong(0, 5);
        object.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, other::getLong);
        assertTrue(closed.getMessage().startsWith("global variable 'other' of typed_data: its object is closed"),
                closed.getMessage());
        assertThrows(IllegalStateException.class, () -> other.setLong(1));
        // A variable first touched after the close says the same, not that its section's map is closed.
        IllegalStateException untouched = assertThrows(IllegalStateException.class, constant::getLong);
        assertTrue(untouched.getMessage().startsWith("global variable 'constant' of typed_data: its object is closed"),
                untouched.getMessage());
        assertEquals(0, memory.getLong(0), "the buffer no longer shows the map");
        memory.putLong(0, 9);
        assertEquals(9, memory.getLong(0), "a write goes to memory nobody reads");
    }
}

package com.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.ebpf.TypedData;
import io.github.bpf2java.ebpf.MapBatchCursor;
import io.github.bpf2java.ebpf.PerfEventReader;
import io.github.bpf2java.ebpf.TypedMap;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.codec.NetworkOrder;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generated class as an application uses it, on the kernel: a struct the program wrote field by field reads
 * back as the record with every field equal to the C constants (carried by the class as Java constants), and the
 * record encoded in Java has the kernel's bytes; typed maps, globals and batches work through the generated
 * accessors.
 */
class TypedDataTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

    @BeforeEach
    void rootOnLinux() throws IOException {
        String os = System.getProperty("os.name", "");
        Object uid = os.toLowerCase(Locale.ROOT).contains("linux")
                ? Files.getAttribute(Path.of("/proc/self"), "unix:uid") : "not Linux";
        if (!Integer.valueOf(0).equals(uid)) {
            String reason = "loading BPF programs needs root on Linux; uid " + uid;
            if ("1".equals(System.getenv("EBPF_REQUIRE_KERNEL"))) {
                Assertions.fail(reason + " (a failure, not a skip, because EBPF_REQUIRE_KERNEL=1)");
            }
            Assumptions.abort(reason);
        }
    }

    /** Makes the program run: it fires on openat(2) of this process. */
    private static void openFiles(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Files.readAllBytes(Path.of("/proc/self/stat"));
        }
    }

    @Test
    void aStructTheKernelWroteReadsBackFieldByField() throws Exception {
        try (TypedData bpf = TypedData.options().targetTgid(SELF).load()) {
            bpf.attach();
            openFiles(3);
            TypedData.Sample s = bpf.samples().get(0).orElseThrow();

            assertEquals(TypedData.EXPECT_PID, s.pid());
            assertEquals(TypedData.EXPECT_FLAGS, s.flags());
            assertEquals(TypedData.EXPECT_MODE, s.mode());
            assertEquals(TypedData.EXPECT_SIGNED_BITS, s.signedBits());
            assertEquals(TypedData.EXPECT_WIDE, s.wide());
            assertEquals(TypedData.EXPECT_NEGATIVE_WIDE, s.negativeWide());
            assertTrue(s.urgent());
            assertEquals(TypedData.State.STATE_DEAD, s.stateEnum());
            assertEquals(0x80000000L, Integer.toUnsignedLong(s.state()));
            assertEquals(TypedData.EXPECT_WORD, s.word().asU32() & 0xffffffffL);
            assertEquals(TypedData.EXPECT_TAG, s.inner().tag());
            assertEquals(TypedData.EXPECT_DELTA, s.inner().delta());
            assertEquals(TypedData.EXPECT_LO, s.loUnsigned(), "lifted from the anonymous struct, unsigned");
            assertEquals(TypedData.EXPECT_HI, s.hi());
            assertEquals(TypedData.EXPECT_IPV4, s.union().ipv4(), "the anonymous union's member");
            assertArrayEquals(new short[][] {{0, -1, 2}, {3, -4, 5}}, s.grid());
            assertEquals("kernel-written", s.comm());
            assertArrayEquals(new String[] {"alpha", "beta"}, s.names());
            assertEquals(TypedData.EXPECT_TIMESTAMP, s.timestamp());
            assertEquals(new TypedData.Point((short) 0, (short) 0), s.points()[0]);
            assertEquals(new TypedData.Point((short) TypedData.EXPECT_X, (short) TypedData.EXPECT_Y), s.points()[1]);
            assertTrue(s.ok());
            assertEquals(TypedData.EXPECT_PORT, s.portHostOrder(), "__be16: the number, not its swapped bytes");
            assertEquals(Integer.toUnsignedLong(TypedData.EXPECT_ADDR), s.addrHostOrder());
            assertEquals(InetAddress.getByName("10.1.2.3"), NetworkOrder.toInet4Address(s.addr()));
            assertTrue(s.toString().contains(", lo=" + TypedData.EXPECT_LO + ","), () -> "unsigned, 65534: " + s);
            assertTrue(s.toString().contains(", port=" + TypedData.EXPECT_PORT + ", addr="
                    + Integer.toUnsignedLong(TypedData.EXPECT_ADDR)), () -> "printed as numbers: " + s);

            // Java encodes the same record into the kernel's layout, byte for byte, padding included.
            bpf.samples().put(1, s);
            byte[] kernel = bpf.samples().raw().lookup(Codecs.toBytes(Codecs.U32, 0)).orElseThrow();
            byte[] java = bpf.samples().raw().lookup(Codecs.toBytes(Codecs.U32, 1)).orElseThrow();
            assertArrayEquals(kernel, java);
            assertArrayEquals(kernel, s.encode());
            assertEquals(TypedData.Sample.SIZE, kernel.length);
        }
    }

    @Test
    void aPerfArrayDeclaredWithTheRecordTypeGetsATypedReader() throws Exception {
        List<TypedData.Sample> received = new java.util.ArrayList<>();
        try (TypedData bpf = TypedData.options().targetTgid(SELF).load();
                PerfEventReader reader = bpf.openSampleEvents(received::add)) {
            bpf.attach();
            openFiles(3);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.size() < 3 && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(100));
            }
            assertTrue(received.size() >= 3, received.size() + " samples");
            assertEquals(bpf.samples().get(0).orElseThrow(), received.get(received.size() - 1),
                    "the sample the kernel sent equals the one it stored");
            assertEquals("kernel-written", received.get(0).comm());
            assertEquals(0, reader.lostSamples());
        }
    }

    @Test
    void aStackMapHasAsManyFramesAsTheValueSizeSetAtLoad() throws Exception {
        for (int frames : new int[] {127, 32}) {
            TypedData.Options options = TypedData.options().targetTgid(SELF);
            if (frames != 127) { // what profilers choose at run time, as with bpf_map__set_value_size
                options.configure(load -> load.valueSize("stacks", frames * Long.BYTES));
            }
            try (TypedData bpf = options.load()) {
                bpf.attach();
                int id = -1;
                for (int attempt = 0; attempt < 100 && id < 0; attempt++) {
                    openFiles(1);
                    id = bpf.globals().lastStackId(); // below 0 when the kernel could not store the stack
                }
                assertTrue(id >= 0, "bpf_get_stackid returned " + id);
                long[] stack = bpf.stacks().get(id).orElseThrow();
                assertEquals(frames, stack.length, "frames of the loaded map");
                assertTrue(stack[0] != 0, "the innermost frame is a kernel address");
            }
        }
    }

    @Test
    void typedMapsGlobalsAndBatchesThroughTheGeneratedAccessors() throws Exception {
        try (TypedData bpf = TypedData.options().targetTgid(SELF).load()) {
            bpf.attach();
            bpf.globals().setMultiplier(7);
            openFiles(5);
            long opens = bpf.globals().opens();
            assertTrue(opens >= 5, "the program's counter, read from the mapped .bss: " + opens);
            assertEquals(21, bpf.globals().seenMultiplier(), "the program read Java's write to .data");
            assertEquals(SELF, bpf.globals().targetTgid());
            assertTrue(bpf.globals().lastComm().length() > 0);
            // Other threads of this JVM open files too (class loading), so the counters move while they are read:
            // per run the program counts per CPU first, then in .bss, so the per-CPU sum lies between two reads of
            // the .bss counter, give or take one run in flight per CPU.
            long hits = bpf.hitsPerCpu().get(0).orElseThrow().stream().mapToLong(Long::longValue).sum();
            long opensAfter = bpf.globals().opens();
            assertTrue(opens <= hits && hits <= opensAfter + Runtime.getRuntime().availableProcessors(),
                    "one count per run, spread over the CPUs: " + opens + " <= " + hits + " <= " + opensAfter);

            TypedMap<TypedData.Key, TypedData.State> states = bpf.states();
            assertEquals(TypedData.State.STATE_DEAD, states.get(new TypedData.Key(1, "java")).orElseThrow());
            Map<TypedData.Key, TypedData.State> many = new HashMap<>();
            for (int i = 2; i < 100; i++) {
                many.put(new TypedData.Key(i, "k" + i), i % 2 == 0 ? TypedData.State.STATE_IDLE
                        : TypedData.State.STATE_RUNNING);
            }
            assertEquals(98, states.updateBatch(many, io.github.bpf2java.ebpf.BpfMap.UpdateFlag.ANY));
            Map<TypedData.Key, TypedData.State> read = new HashMap<>();
            MapBatchCursor cursor = new MapBatchCursor();
            while (!cursor.done()) {
                states.lookupBatch(cursor, 32).forEach(e -> read.put(e.getKey(), e.getValue()));
            }
            many.put(new TypedData.Key(1, "java"), TypedData.State.STATE_DEAD);
            assertEquals(many, read);
            assertEquals(List.of(), bpf.samples().keys().stream().filter(k -> k < 0 || k > 1).toList());
        }
    }
}

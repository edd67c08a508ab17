package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ring buffer reader against the real kernel: records written by programs ({@code ring_buffers.c}) through a
 * tracepoint on exec and through {@code BPF_PROG_TEST_RUN}, read typed, zero-copy and copied, across the ring's end,
 * with discarded records, several rings at once, and closes from other threads.
 */
class RingBufferReaderTest {
    private static final int RING_FULL = 1;

    /** {@code struct event { __u32 pid; char comm[16]; __u64 ts; }}: 32 bytes, ts at 24. */
    record ExecEvent(int pid, String comm, long ts) {
        static final Codec<ExecEvent> CODEC = new Codec<>() {
            @Override
            public int size() {
                return 32;
            }

            @Override
            public ExecEvent decode(ByteBuffer buffer, int offset) {
                byte[] comm = new byte[16];
                buffer.get(offset + 4, comm);
                int end = 0;
                while (end < comm.length && comm[end] != 0) {
                    end++;
                }
                return new ExecEvent(buffer.getInt(offset), new String(comm, 0, end, StandardCharsets.UTF_8),
                        buffer.getLong(offset + 24));
            }

            @Override
            public void encode(ExecEvent value, ByteBuffer buffer, int offset) {
                throw new UnsupportedOperationException("read only");
            }
        };
    }

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    private static ObjectSpec spec() {
        return BpfFixtures.hostSpec("ring_buffers", BpfFixtures.installedCompilers().get(0));
    }

    private static BpfObject load() {
        // Two pages: small enough that records of up to 1 KiB wrap its end every few records.
        return BpfObject.load(spec(), LoadOptions.builder().maxEntries("small_ring", 2 * Libc.pageSize()).build());
    }

    private static int emit(BpfObject object, int seq, int size) {
        return TestRuns.rawTracepoint(object.program("emit"), seq, size, 0, 0);
    }

    @Test
    void execEventArrivesAsTypedRecordWithPidAndComm() throws Exception {
        try (BpfObject object = load()) {
            BpfMap events = object.map("exec_events");
            // Declared with __type(value, struct event): created without it, the type kept for readers.
            MapSpec declared = object.spec().map("exec_events").orElseThrow();
            assertTrue(declared.valueTypeId() != 0, "the spec keeps the record type");
            assertEquals(0, events.valueSize(), "the kernel map has no value size");
            object.program("on_exec").attach();

            List<ExecEvent> seen = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(events, ExecEvent.CODEC, seen::add)) {
                long before = System.nanoTime();
                Process child = new ProcessBuilder("/bin/true").start();
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                long after = System.nanoTime();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                ExecEvent ours = null;
                while (ours == null && System.nanoTime() < deadline) {
                    reader.poll(Duration.ofMillis(200));
                    // The JDK may start the child through its spawn helper, which execs first with the same pid.
                    ours = seen.stream().filter(e -> e.pid() == child.pid() && e.comm().equals("true")).findFirst()
                            .orElse(null);
                }
                assertTrue(ours != null, "no exec of 'true' with pid " + child.pid() + " among " + seen);
                // bpf_ktime_get_ns and System.nanoTime both read CLOCK_MONOTONIC on Linux.
                assertTrue(ours.ts() >= before && ours.ts() <= after, ours.ts() + " not in [" + before + ", "
                        + after + "]");
            }
        }
    }

    @Test
    void recordsWrappingTheRingsEndArriveWithEveryByteIntact() throws Exception {
        int size = 2 * Libc.pageSize();
        try (BpfObject object = load()) {
            assertEquals(size, object.map("small_ring").maxEntries());
            List<int[]> written = new ArrayList<>();
            int[] next = {0};
            RecordHandler check = record -> {
                int[] expected = written.get(next[0]++);
                EmittedRecords.assertPayload(record, expected[0], expected[1], 0);
            };
            Random random = new Random(42);
            long position = 0;
            int wrapped = 0;
            int seq = 0;
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), check)) {
                for (int round = 0; round < 400; round++) {
                    // Write until the ring refuses, then read everything back.
                    while (true) {
                        int length = 8 + random.nextInt(1016);
                        if (emit(object, seq, length) == RING_FULL) {
                            break;
                        }
                        written.add(new int[] {seq, length});
                        long footprint = (length + 8 + 7) & ~7L;
                        if ((position & (size - 1)) + footprint > size) {
                            wrapped++;
                        }
                        position += footprint;
                        seq++;
                    }
                    int before = next[0];
                    assertEquals(written.size() - before, reader.poll(Duration.ofSeconds(5)));
                    assertEquals(0, reader.pendingBytes());
                }
            }
            assertEquals(written.size(), next[0]);
            assertTrue(written.size() > 1000, "records: " + written.size());
            assertTrue(wrapped > 100, "records that wrapped the end: " + wrapped);
        }
    }

    @Test
    void spaceIsHandedBackToTheKernelWhileABacklogDrains() throws Exception {
        int size = 2 * Libc.pageSize();
        try (BpfObject object = load()) {
            // A full ring of 64-byte records (72 bytes with the header).
            int backlog = 0;
            while (emit(object, backlog, 64) != RING_FULL) {
                backlog++;
            }
            assertTrue(backlog >= size / 72 - 1, "records in a full ring: " + backlog);
            int total = backlog;
            List<Integer> seen = new ArrayList<>();
            int[] emittedDuringDrain = {0};
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> {
                EmittedRecords.assertPayload(record, seen.size(), 64, 0);
                seen.add(EmittedRecords.sequence(record));
                // Once more than half the backlog is read, the reader has handed space back (at least every
                // quarter ring): the kernel finds room for new records before the drain ends.
                if (seen.size() == total / 2 + total / 4) {
                    for (int i = 0; i < 4; i++) {
                        assertEquals(0, emit(object, total + i, 64),
                                "record " + i + " emitted while the backlog drains found no room");
                        emittedDuringDrain[0]++;
                    }
                }
            })) {
                assertEquals(backlog + 4, reader.consume());
                assertEquals(0, reader.pendingBytes());
            }
            assertEquals(4, emittedDuringDrain[0]);
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(i, seen.get(i), "records in order");
            }
        }
    }

    @Test
    void theBacklogIsReadFromAnotherThreadWhileAHandlerIsBusy() throws Exception {
        try (BpfObject object = load()) {
            for (int i = 0; i < 10; i++) {
                assertEquals(0, emit(object, i, 64));
            }
            java.util.concurrent.CountDownLatch handling = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> {
                handling.countDown();
                try {
                    release.await(); // a slow consumer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
                Thread poller = new Thread(reader::consume);
                poller.start();
                assertTrue(handling.await(5, java.util.concurrent.TimeUnit.SECONDS));
                long start = System.nanoTime();
                long pending = reader.pendingBytes();
                long took = System.nanoTime() - start;
                release.countDown();
                poller.join(5000);
                assertEquals(10 * 72, pending, "the ten records, not yet released, as the handler works on one");
                assertTrue(took < 1_000_000_000L, "answered at once, not after the batch: " + took + " ns");
                assertEquals(10, reader.recordsRead());
                assertEquals(0, reader.pendingBytes());
            }
        }
    }

    @Test
    void recordsWrittenWhileTheReaderReadsArriveInOrderWithEveryByte() throws Exception {
        int records = 20_000;
        try (BpfObject object = load()) {
            int[] sizes = EmittedRecords.randomSizes(records, 11);
            int[] next = {0};
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> {
                int seq = next[0]++;
                EmittedRecords.assertPayload(record, seq, sizes[seq], 0);
            })) {
                // The kernel writes on the other thread (and, with two CPUs, the other CPU) while this one reads:
                // every record must be complete when handed out, and space must come back as it is read.
                EmittedRecords.writeWhileReading("ring-producer", records, seq -> emit(object, seq, sizes[seq]),
                        RING_FULL, () -> next[0], () -> reader.poll(Duration.ofMillis(100)));
            }
        }
    }

    @Test
    void aHandlerThatChangesTheByteOrderDoesNotChangeTheNextRecords() throws Exception {
        try (BpfObject object = load()) {
            List<Integer> sequences = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> {
                assertEquals(ByteOrder.nativeOrder(), record.order());
                sequences.add(EmittedRecords.sequence(record));
                record.order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN
                        : ByteOrder.BIG_ENDIAN);
            })) {
                for (int seq = 0; seq < 3; seq++) {
                    assertEquals(0, emit(object, seq, 32));
                }
                assertEquals(3, reader.consume());
            }
            assertEquals(List.of(0, 1, 2), sequences);
        }
    }

    @Test
    void copyingHandlersKeepRecordsAfterTheCall() throws Exception {
        try (BpfObject object = load()) {
            List<byte[]> copies = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"),
                    RecordHandler.copying(copies::add))) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(0, emit(object, i, 100 + i * 200));
                }
                assertEquals(5, reader.consume());
            }
            for (int i = 0; i < 5; i++) {
                EmittedRecords.assertPayload(copies.get(i), i, 100 + i * 200);
            }

            // In the buffer's default order, big-endian: the copy reads in the host's order, as the record did.
            ByteBuffer target = ByteBuffer.allocate(1024);
            List<Integer> sizes = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"),
                    RecordHandler.copyingInto(target, copy -> {
                        assertEquals(ByteOrder.nativeOrder(), copy.order());
                        EmittedRecords.assertPayload(copy, 7, 300, 0);
                        sizes.add(copy.remaining());
                    }))) {
                assertEquals(0, emit(object, 7, 300));
                assertEquals(1, reader.consume());
                assertEquals(List.of(300), sizes);
                // A record larger than the target is an error from the poll, not a silent truncation.
                assertEquals(0, emit(object, 8, 1000));
                ByteBuffer tooSmall = ByteBuffer.allocate(16);
                try (RingBufferReader small = RingBufferReader.open(object.map("second_ring"),
                        RecordHandler.copyingInto(tooSmall, copy -> { }))) {
                    assertEquals(0, TestRuns.rawTracepoint(object.program("emit"), 9, 100, 0, 1));
                    assertThrows(IllegalArgumentException.class, small::consume);
                }
            }
        }
    }

    @Test
    void discardedRecordsAreSkipped() throws Exception {
        try (BpfObject object = load()) {
            List<Integer> seen = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"),
                    record -> seen.add(EmittedRecords.sequence(record)))) {
                for (int seq = 0; seq < 20; seq++) {
                    int discard = seq % 3 == 1 ? 1 : 0;
                    assertEquals(0, TestRuns.rawTracepoint(object.program("emit"), seq, 40, discard, 0));
                }
                assertTrue(reader.pendingBytes() > 0);
                assertEquals(13, reader.poll(Duration.ofSeconds(1)));
                assertEquals(0, reader.pendingBytes(), "discarded records are consumed too");
                assertEquals(List.of(0, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18), seen);
                // Nothing but discarded records: a poll waits out its time and hands out nothing.
                assertEquals(0, TestRuns.rawTracepoint(object.program("emit"), 99, 40, 1, 0));
                assertEquals(0, reader.poll(Duration.ofMillis(50)));
            }
        }
    }

    @Test
    void aRecordWhoseHandlerThrowsCountsAsReadAndIsNotHandedOutAgain() throws Exception {
        try (BpfObject object = load()) {
            List<Integer> seen = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> {
                int seq = EmittedRecords.sequence(record);
                seen.add(seq);
                if (seq == 1) {
                    throw new IllegalStateException("handler failed on " + seq);
                }
            })) {
                for (int seq = 0; seq < 4; seq++) {
                    assertEquals(0, emit(object, seq, 16));
                }
                IllegalStateException e = assertThrows(IllegalStateException.class, reader::consume);
                assertEquals("handler failed on 1", e.getMessage(), "the handler's exception, unchanged");
                assertEquals(2, reader.recordsRead(), "the record before and the one the handler threw on");
                assertEquals(2, reader.consume());
                assertEquals(List.of(0, 1, 2, 3), seen);
                assertEquals(4, reader.recordsRead());
            }
        }
    }

    @Test
    void consumeHandsOutAtMostTheNumberAsked() throws Exception {
        try (BpfObject object = load()) {
            List<Integer> seen = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(object.map("small_ring"),
                    record -> seen.add(EmittedRecords.sequence(record)))) {
                for (int seq = 0; seq < 10; seq++) {
                    assertEquals(0, emit(object, seq, 16));
                }
                assertEquals(3, reader.consume(3));
                assertEquals(4, reader.poll(Duration.ofSeconds(1), 4));
                assertEquals(3, reader.consume());
                assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
                assertEquals(10, reader.recordsRead());
                assertThrows(IllegalArgumentException.class, () -> reader.consume(0));
            }
        }
    }

    @Test
    void severalRingsAreWaitedOnTogether() throws Exception {
        try (BpfObject object = load()) {
            List<String> seen = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.builder()
                    .add(object.map("small_ring"), record -> seen.add("small " + EmittedRecords.sequence(record)))
                    .add(object.map("second_ring"), record -> seen.add("second " + EmittedRecords.sequence(record)))
                    .build()) {
                assertEquals(0, TestRuns.rawTracepoint(object.program("emit"), 1, 64, 0, 0));
                assertEquals(0, TestRuns.rawTracepoint(object.program("emit"), 2, 64, 0, 1));
                assertEquals(2, reader.poll(Duration.ofSeconds(1)));
                assertEquals(List.of("small 1", "second 2"), seen);

                // A poll blocked on both wakes for a record on the second ring.
                CompletableFuture<Void> later = CompletableFuture.runAsync(() -> {
                    sleep(200);
                    TestRuns.rawTracepoint(object.program("emit"), 3, 64, 0, 1);
                });
                long start = System.nanoTime();
                assertEquals(1, reader.poll(Duration.ofSeconds(10)));
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited >= 150 && waited < 5000, "waited " + waited + " ms");
                assertEquals("second 3", seen.get(2));
                later.get(5, TimeUnit.SECONDS);
            }
            assertThrows(IllegalArgumentException.class, () -> RingBufferReader.builder()
                    .add(object.map("small_ring"), r -> { }).add(object.map("small_ring"), r -> { }));
            assertThrows(IllegalArgumentException.class, () -> RingBufferReader.open(object.map("scratch"),
                    r -> { }));
        }
    }

    @Test
    void aSecondReaderOfTheSameRingIsRefusedUntilTheFirstIsClosed() throws Exception {
        try (PinRoot pins = PinRoot.create("ring-second-reader"); BpfObject object = load()) {
            object.map("small_ring").pin(pins.path().resolve("small_ring"));
            // Another Java object for the same kernel map, as the generated class and openPinned give.
            try (BpfMap again = BpfMap.openPinned(pins.path().resolve("small_ring"))) {
                List<Integer> seen = new ArrayList<>();
                try (RingBufferReader first = RingBufferReader.open(object.map("small_ring"),
                        record -> seen.add(EmittedRecords.sequence(record)))) {
                    BusyException busy = assertThrows(BusyException.class,
                            () -> RingBufferReader.open(again, record -> { }));
                    assertTrue(busy.getMessage().contains("ring buffer 'small_ring'")
                            && busy.getMessage().contains("consumer position"), busy.getMessage());
                    assertTrue(busy.hint().orElseThrow().contains("close the other reader first"), busy.getMessage());
                    assertEquals(0, emit(object, 1, 64));
                    assertEquals(1, first.poll(Duration.ofSeconds(1)), "the first reader is unharmed");
                }
                // In one builder, the two objects are the same ring added twice.
                IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                        () -> RingBufferReader.builder().add(object.map("second_ring"), r -> { })
                                .add(object.map("small_ring"), r -> { }).add(again, r -> { }).build());
                assertTrue(twice.getMessage().contains("added twice"), twice.getMessage());
                try (RingBufferReader second = RingBufferReader.open(again,
                        record -> seen.add(EmittedRecords.sequence(record)))) {
                    assertEquals(0, emit(object, 2, 64));
                    assertEquals(1, second.poll(Duration.ofSeconds(1)), "closing the first reader freed the ring");
                }
                // The failed builder gave back the rings it had claimed.
                RingBufferReader.open(object.map("second_ring"), r -> { }).close();
                assertEquals(List.of(1, 2), seen);
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedPollAtOnce() throws Exception {
        try (BpfObject object = load()) {
            RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> { });
            long[] returnedAt = new long[1];
            CompletableFuture<Integer> poll = CompletableFuture.supplyAsync(() -> {
                try {
                    int n = reader.poll(Duration.ofSeconds(30));
                    returnedAt[0] = System.nanoTime();
                    return n;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(poll.isDone(), "the poll waits for records");
            long closedAt = System.nanoTime();
            reader.close();
            assertEquals(0, poll.get(5, TimeUnit.SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(returnedAt[0] - closedAt);
            assertTrue(millis < 100, "the poll returned " + millis + " ms after close()");
            assertTrue(reader.isClosed());
            assertThrows(IllegalStateException.class, () -> reader.poll(Duration.ZERO));
            assertThrows(IllegalStateException.class, reader::consume);
            assertThrows(IllegalStateException.class, reader::pendingBytes);
            reader.close(); // idempotent
        }
    }

    @Test
    void pollUntilClosedReadsAcrossItsWaitsAndReturnsWhenClosed() throws Exception {
        try (BpfObject object = load()) {
            List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
            RingBufferReader reader = RingBufferReader.open(object.map("small_ring"),
                    record -> seen.add(EmittedRecords.sequence(record)));
            long[] returnedAt = new long[1];
            CompletableFuture<Long> poller = CompletableFuture.supplyAsync(() -> {
                try {
                    long n = reader.pollUntilClosed();
                    returnedAt[0] = System.nanoTime();
                    return n;
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(0, emit(object, 0, 64));
            waitFor(() -> seen.size() == 1, "the first record");
            // Longer than one of its waits: it goes on waiting, and hands out what comes next.
            Thread.sleep(1300);
            assertFalse(poller.isDone(), "it reads until closed, not until a wait times out");
            assertEquals(0, emit(object, 1, 64));
            waitFor(() -> seen.size() == 2, "the record written after a wait had timed out");
            // Another thread gets in between its waits (the gate is fair).
            long before = System.nanoTime();
            assertEquals(0, reader.pendingBytes());
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
            assertTrue(waited < 2500, "pendingBytes() waited " + waited + " ms for the poller");
            long closedAt = System.nanoTime();
            reader.close();
            assertEquals(2L, poller.get(5, TimeUnit.SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(returnedAt[0] - closedAt);
            assertTrue(millis < 100, "it returned " + millis + " ms after close()");
            assertEquals(List.of(0, 1), seen);
            assertEquals(0L, reader.pollUntilClosed(), "closed before: returns at once");
        }
    }

    @Test
    void pollUntilClosedEndsOnInterruptAndLeavesTheReaderOpen() throws Exception {
        try (BpfObject object = load();
                RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> { })) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            Thread poller = new Thread(() -> {
                try {
                    reader.pollUntilClosed();
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
            });
            poller.start();
            Thread.sleep(200);
            poller.interrupt();
            Throwable thrown = outcome.get(5, TimeUnit.SECONDS);
            assertTrue(thrown instanceof InterruptedException, String.valueOf(thrown));
            assertFalse(reader.isClosed());
            assertEquals(0, emit(object, 7, 32));
            assertEquals(1, reader.consume(), "still reading");
        }
    }

    private static void waitFor(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "waited 5 s for " + what);
            Thread.sleep(5);
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void aHandlerMayCloseItsReader() throws Exception {
        try (BpfObject object = load()) {
            List<Integer> seen = new ArrayList<>();
            RingBufferReader[] self = new RingBufferReader[1];
            self[0] = RingBufferReader.open(object.map("small_ring"), record -> {
                seen.add(EmittedRecords.sequence(record));
                self[0].close();
            });
            for (int seq = 0; seq < 3; seq++) {
                assertEquals(0, emit(object, seq, 32));
            }
            assertEquals(1, self[0].poll(Duration.ofSeconds(1)));
            assertEquals(List.of(0), seen);
            assertThrows(IllegalStateException.class, self[0]::consume);
            // Polling from inside a handler is refused rather than nested.
            RingBufferReader[] inner = new RingBufferReader[1];
            try (RingBufferReader outer = RingBufferReader.open(object.map("small_ring"),
                    record -> inner[0].consume())) {
                inner[0] = outer;
                assertEquals(0, emit(object, 5, 32));
                assertThrows(IllegalStateException.class, outer::consume);
            }
        }
    }

    @Test
    void anIdlePollSleepsInTheKernelInsteadOfSpinning() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        KernelSupport.assume(threads.isCurrentThreadCpuTimeSupported(), "this JVM cannot measure thread CPU time");
        try (BpfObject object = load();
                RingBufferReader reader = RingBufferReader.open(object.map("small_ring"), record -> { })) {
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            assertEquals(0, reader.poll(Duration.ofMillis(600)));
            long wall = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long cpu = TimeUnit.NANOSECONDS.toMillis(threads.getCurrentThreadCpuTime() - cpuBefore);
            assertTrue(wall >= 590, "returned after " + wall + " ms");
            assertTrue(cpu < 60, "used " + cpu + " ms of CPU in " + wall + " ms");
        }
    }

    @Test
    void readerOutlivesTheObjectThatOwnsItsMap() throws Exception {
        AtomicLong seen = new AtomicLong();
        RingBufferReader reader;
        try (BpfObject object = load()) {
            reader = RingBufferReader.open(object.map("small_ring"), record -> seen.incrementAndGet());
            assertEquals(0, emit(object, 1, 64));
        }
        try (reader) {
            assertEquals(1, reader.consume());
            assertEquals(1, seen.get());
        }
    }

    @Test
    void invalidRingBufferSizeIsRefusedNamingTheMapAndValidSizes() {
        int page = Libc.pageSize();
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.load(spec(),
                LoadOptions.builder().maxEntries("small_ring", page + 100).build()));
        assertTrue(e.getMessage().contains("'small_ring'"), e.getMessage());
        assertTrue(e.getMessage().contains("power-of-two multiple of the page size"), e.getMessage());
        String hint = e.hint().orElseThrow();
        assertTrue(hint.contains(page + " or " + 2 * page), hint);
        assertTrue(hint.contains("LoadOptions.builder().maxEntries(\"small_ring\", " + page + ")"), hint);
        assertTrue(hint.contains("options().maxEntries(\"small_ring\", " + page + ")"), "the generated class's: "
                + hint);
        assertFalse(e.getMessage().contains("value_size"), e.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

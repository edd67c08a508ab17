package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.internal.host.CpuList;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The perf event reader against the real kernel: samples written by {@code perf_output.c}'s program, run through
 * {@code BPF_PROG_TEST_RUN} on a chosen CPU, read per CPU with every byte checked, across the ring's end, lost when
 * the reader lags, overwritten in overwritable mode, stopped by pause.
 */
class PerfEventReaderTest {
    private static final int ENOSPC = 28;
    private static final int ENOENT = 2;
    /** Samples carry the size the program gave, padded so that the record stays 8-byte aligned. */
    private static final int PADDING = 7;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    private static BpfObject load() {
        ObjectSpec spec = BpfFixtures.hostSpec("perf_output", BpfFixtures.installedCompilers().get(0));
        return BpfObject.load(spec);
    }

    private static int emit(BpfObject object, int cpu, int seq, int size) {
        return TestRuns.rawTracepointOnCpu(object.program("emit_sample"), cpu, seq, size);
    }

    private static int firstCpu() {
        return CpuList.online().cpus().get(0);
    }

    @Test
    void samplesArriveWithTheirCpuAndEveryByteAcrossTheRingsEnd() throws Exception {
        try (BpfObject object = load()) {
            List<int[]> expected = new ArrayList<>();
            int[] next = {0};
            List<Integer> cpus = CpuList.online().cpus();
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .bufferSize(Libc.pageSize())
                    .onSample((cpu, sample) -> {
                        int[] e = expected.get(next[0]++);
                        assertEquals(e[2], cpu, "CPU of sample " + e[0]);
                        EmittedRecords.assertPayload(sample, e[0], e[1], PADDING);
                    })
                    .build()) {
                assertEquals(cpus, reader.cpus());
                Random random = new Random(7);
                long[] positions = new long[cpus.get(cpus.size() - 1) + 1];
                int wrapped = 0;
                int seq = 0;
                for (int round = 0; round < 150; round++) {
                    // A few samples on one CPU at a time, so the order in which they are read is known.
                    int cpu = cpus.get(round % cpus.size());
                    for (int i = 0; i < 3; i++) {
                        int size = 8 + random.nextInt(1000);
                        assertEquals(0, emit(object, cpu, seq, size), "sample " + seq);
                        expected.add(new int[] {seq++, size, cpu});
                        // perf_event_header, the u32 raw size, the data, aligned to 8.
                        long footprint = (8 + 4 + size + 7) & ~7L;
                        if ((positions[cpu] & (Libc.pageSize() - 1)) + footprint > Libc.pageSize()) {
                            wrapped++;
                        }
                        positions[cpu] += footprint;
                    }
                    assertEquals(3, reader.poll(Duration.ofSeconds(5)));
                }
                assertEquals(0, reader.lostSamples());
                assertTrue(wrapped > 20, "samples that wrapped a ring's end: " + wrapped);
            }
            assertEquals(expected.size(), next[0]);
        }
    }

    @Test
    void spaceIsHandedBackToTheKernelWhileABacklogDrains() throws Exception {
        int cpu = firstCpu();
        try (BpfObject object = load()) {
            List<Integer> received = new ArrayList<>();
            int[] backlog = {0};
            int[] emittedDuringDrain = {0};
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .bufferSize(Libc.pageSize())
                    .onSample((c, sample) -> {
                        received.add(EmittedRecords.sequence(sample));
                        // Past three quarters of a full ring, data_tail has been stored at least once (every quarter
                        // ring): the kernel finds room for new samples before the read ends.
                        if (received.size() == backlog[0] / 2 + backlog[0] / 4) {
                            for (int i = 0; i < 2; i++) {
                                assertEquals(0, emit(object, cpu, backlog[0] + i, 64),
                                        "sample " + i + " emitted while the backlog drains found no room");
                                emittedDuringDrain[0]++;
                            }
                        }
                    })
                    .build()) {
                int result;
                while ((result = emit(object, cpu, backlog[0], 64)) == 0) {
                    backlog[0]++;
                }
                assertEquals(-ENOSPC, result, "the fill ends when the ring is full");
                assertTrue(backlog[0] > 8, "samples in a full one-page ring: " + backlog[0]);
                int read = reader.consume();
                read += reader.consume();
                assertEquals(backlog[0] + 2, read);
                assertEquals(2, emittedDuringDrain[0]);
                // The refusal that ended the fill, reported before the first sample that found room again.
                assertEquals(1, reader.lostSamples());
            }
            for (int i = 0; i < received.size(); i++) {
                assertEquals(i, received.get(i), "samples in order");
            }
        }
    }

    @Test
    void samplesWrittenWhileTheReaderReadsArriveInOrderWithEveryByte() throws Exception {
        int cpu = firstCpu();
        int samples = 2_000;
        try (BpfObject object = load()) {
            int[] sizes = EmittedRecords.randomSizes(samples, 13);
            int[] next = {0};
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .bufferSize(2 * Libc.pageSize())
                    .onSample((c, sample) -> {
                        int seq = next[0]++;
                        EmittedRecords.assertPayload(sample, seq, sizes[seq], PADDING);
                        if (seq % 16 == 0) {
                            // Dwell, then look again: space handed back before the handler returned would be
                            // written over by the producer meanwhile.
                            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(50);
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                            EmittedRecords.assertPayload(sample, seq, sizes[seq], PADDING);
                        }
                    })
                    .build()) {
                // The kernel writes from another thread while this one reads; a refused sample is written again.
                EmittedRecords.writeWhileReading("perf-producer", samples, seq -> emit(object, cpu, seq, sizes[seq]),
                        -ENOSPC, () -> next[0], () -> reader.poll(Duration.ofMillis(100)));
            }
        }
    }

    @Test
    void lostSamplesAreCountedWhenTheReaderLags() throws Exception {
        int cpu = firstCpu();
        try (BpfObject object = load()) {
            List<Integer> received = new ArrayList<>();
            List<Long> lostReports = new ArrayList<>();
            PerfEventReader closed;
            OptionalLong counted;
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .bufferSize(Libc.pageSize())
                    .onSample((c, sample) -> received.add(EmittedRecords.sequence(sample)))
                    .onLost((c, count) -> {
                        assertEquals(cpu, c);
                        lostReports.add(count);
                    })
                    .build()) {
                int produced = 300;
                int written = 0;
                int refused = 0;
                for (int seq = 0; seq < produced; seq++) {
                    int result = emit(object, cpu, seq, 64);
                    if (result == 0) {
                        written++;
                    } else {
                        assertEquals(-ENOSPC, result, "sample " + seq);
                        refused++;
                    }
                }
                assertTrue(refused > 0 && written > 0, written + " written, " + refused + " refused");
                // Counted by the kernel as they were dropped, before any lost-sample record exists (Linux 6.0+).
                counted = reader.kernelLostSamples();
                if (KernelVersion.running().atLeast(KernelVersion.of(6, 0))) {
                    assertEquals(OptionalLong.of(refused), counted);
                } else {
                    assertEquals(OptionalLong.empty(), counted);
                }
                assertEquals(0, reader.lostSamples(), "no lost record yet: no sample has found room since");
                assertEquals(written, reader.consume());
                // The kernel writes the lost count when the next sample finds room: this one.
                assertEquals(0, emit(object, cpu, produced, 64));
                assertEquals(1, reader.poll(Duration.ofSeconds(5)));
                assertEquals(refused, reader.lostSamples());
                assertEquals(List.of((long) refused), lostReports);
                assertEquals(produced + 1, received.size() + reader.lostSamples());
                assertEquals(produced, received.get(received.size() - 1));
                assertEquals(received.size(), reader.samplesRead());
                assertEquals(counted, reader.kernelLostSamples(), "the kernel's count did not move");
                closed = reader;
            }
            // The counts stay readable after close: the kernel's as the reader released its events.
            assertEquals(counted, closed.kernelLostSamples());
            assertEquals(received.size(), closed.samplesRead());
        }
    }

    @Test
    void overwritableRingsKeepTheNewestSamples() throws Exception {
        int cpu = firstCpu();
        try (BpfObject object = load()) {
            List<Integer> received = new ArrayList<>();
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .bufferSize(Libc.pageSize())
                    .overwritable()
                    .onSample((c, sample) -> {
                        EmittedRecords.assertPayload(sample, EmittedRecords.sequence(sample), 64, PADDING);
                        received.add(EmittedRecords.sequence(sample));
                    })
                    .build()) {
                for (int seq = 0; seq < 300; seq++) {
                    assertEquals(0, emit(object, cpu, seq, 64), "an overwritable ring never refuses");
                }
                int n = reader.consume();
                assertTrue(n > 20 && n < 300, "read " + n);
                for (int i = 0; i < n; i++) {
                    assertEquals(299 - i, received.get(i), "newest first: " + received);
                }
                assertEquals(0, reader.consume(), "a sample is read once");
                for (int seq = 300; seq < 303; seq++) {
                    assertEquals(0, emit(object, cpu, seq, 64));
                }
                received.clear();
                assertEquals(3, reader.poll(Duration.ofSeconds(1)));
                assertEquals(List.of(302, 301, 300), received);
                assertEquals(0, reader.lostSamples());
            }
        }
    }

    @Test
    void aSampleWhoseHandlerThrowsCountsAsReadInBothModes() throws Exception {
        int cpu = firstCpu();
        List<Integer> seen = new ArrayList<>();
        PerfEventReader.SampleHandler failingOnOne = (c, sample) -> {
            int seq = EmittedRecords.sequence(sample);
            seen.add(seq);
            if (seq == 1) {
                throw new IllegalStateException("handler failed on " + seq);
            }
        };
        try (BpfObject object = load()) {
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .bufferSize(Libc.pageSize()).onSample(failingOnOne).build()) {
                for (int seq = 0; seq < 4; seq++) {
                    assertEquals(0, emit(object, cpu, seq, 16));
                }
                IllegalStateException e = assertThrows(IllegalStateException.class, reader::consume);
                assertEquals("handler failed on 1", e.getMessage());
                assertEquals(2, reader.samplesRead(), "the sample before and the one the handler threw on");
                assertEquals(2, reader.consume(), "the rest, once");
                assertEquals(List.of(0, 1, 2, 3), seen);
                assertEquals(4, reader.samplesRead());
            }
            // Read newest first, through the path that also reads samples wrapping the ring's end.
            seen.clear();
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .bufferSize(Libc.pageSize()).overwritable().onSample(failingOnOne).build()) {
                for (int seq = 0; seq < 3; seq++) {
                    assertEquals(0, emit(object, cpu, seq, 16));
                }
                assertThrows(IllegalStateException.class, reader::consume);
                assertEquals(List.of(2, 1), seen);
                assertEquals(2, reader.samplesRead(), "the newest and the one the handler threw on");
            }
        }
    }

    /** {@code struct sample}: one trailing array, which the program sends cut to the size it filled. */
    record Sample(byte[] bytes) {}

    /** {@code struct sample_header}: no array, so nothing of it may be missing. */
    record SampleHeader(int seq, int size) {}

    @Test
    void samplesCutInsideTheirTrailingArrayDecodeWithTheRestZero() throws Exception {
        int cpu = firstCpu();
        ObjectSpec spec = BpfFixtures.hostSpec("perf_output", BpfFixtures.installedCompilers().get(0));
        Codec<Sample> codec = Codecs.fromBtf(Sample.class, spec.btf().orElseThrow(), "sample");
        assertEquals(1024, codec.size());
        assertEquals(0, codec.minimumSize(), "the array is the struct's only member");
        int[] sizes = {16, 100, 1000};
        try (BpfObject object = BpfObject.load(spec)) {
            List<Sample> received = new ArrayList<>();
            List<Integer> lengths = new ArrayList<>();
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .onSample((c, sample) -> lengths.add(sample.remaining()))
                    .build()) {
                // Two readers of one array are refused, so the lengths come first and the decoding second.
                for (int seq = 0; seq < sizes.length; seq++) {
                    assertEquals(0, emit(object, cpu, seq, sizes[seq]));
                }
                assertEquals(3, reader.poll(Duration.ofSeconds(1)));
            }
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .onSample(codec, received::add)
                    .build()) {
                for (int seq = 0; seq < sizes.length; seq++) {
                    assertEquals(0, emit(object, cpu, seq, sizes[seq]));
                }
                assertEquals(3, reader.poll(Duration.ofSeconds(1)));
            }
            for (int seq = 0; seq < sizes.length; seq++) {
                byte[] bytes = received.get(seq).bytes();
                assertEquals(1024, bytes.length);
                assertEquals(seq, EmittedRecords.sequence(ByteBuffer.wrap(bytes)
                        .order(ByteOrder.nativeOrder())));
                for (int i = 8; i < sizes[seq]; i++) {
                    assertEquals((byte) (seq * 131 + i * 7), bytes[i], "sample " + seq + ", byte " + i);
                }
                // Up to 7 bytes of padding follow what the program sent; after them, the zeros added in decoding.
                int length = lengths.get(seq);
                assertTrue(length >= sizes[seq] && length <= sizes[seq] + PADDING, length + " bytes");
                for (int i = length; i < 1024; i++) {
                    assertEquals(0, bytes[i], "sample " + seq + ", byte " + i + " past the " + length + " sent");
                }
            }
        }

        // A type without a trailing array may not be cut short: the handler says what it expected.
        Codec<SampleHeader> header = Codecs.fromBtf(SampleHeader.class, spec.btf().orElseThrow(), "sample_header");
        assertEquals(8, header.minimumSize());
        BpfException e = assertThrows(BpfException.class, () -> RecordHandler.decoding(header, h -> { })
                .onRecord(ByteBuffer.allocate(4)));
        assertTrue(e.getMessage().startsWith("a record of 4 bytes is shorter than the 8 bytes "), e.getMessage());
        assertTrue(e.getMessage().contains("cuts the type short before its last member"), e.getMessage());
    }

    /**
     * An 8-byte record sent whole comes with 4 bytes of the kernel's padding (size word and sample rounded up to 8):
     * a copy is 12 bytes, which a decoder of exactly 8 refuses saying why; a reader typed with the record's codec
     * (libbpf-tools' arrays have no value type, so this is how their records are read) leaves the padding.
     */
    @Test
    void aRecordTypedReaderLeavesTheSamplesPaddingWhichACopyKeeps() throws Exception {
        int cpu = firstCpu();
        ObjectSpec spec = BpfFixtures.hostSpec("perf_output", BpfFixtures.installedCompilers().get(0));
        Codec<SampleHeader> header = Codecs.fromBtf(SampleHeader.class, spec.btf().orElseThrow(), "sample_header");
        try (BpfObject object = BpfObject.load(spec)) {
            List<byte[]> copies = new ArrayList<>();
            try (PerfEventReader reader = PerfEventReader.open(object.map("samples"),
                    RecordHandler.copying(copies::add))) {
                assertEquals(0, emit(object, cpu, 3, 8));
                assertEquals(1, reader.poll(Duration.ofSeconds(1)));
            }
            assertEquals(12, copies.get(0).length, "the record and 4 bytes of padding");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Codecs.fromBytes(header, copies.get(0)));
            assertTrue(refused.getMessage().contains("reads 8 bytes, got 12; if these are a perf event array's "
                    + "sample, the 4 bytes after the record are the kernel's padding"), refused.getMessage());

            List<SampleHeader> decoded = new ArrayList<>();
            try (PerfEventReader reader = PerfEventReader.open(object.map("samples"), header, decoded::add)) {
                assertEquals(0, emit(object, cpu, 5, 8));
                assertEquals(1, reader.poll(Duration.ofSeconds(1)));
            }
            assertEquals(List.of(new SampleHeader(5, 8)), decoded);
        }
    }

    @Test
    void pauseTakesTheEventsOutOfTheArrayAndResumePutsThemBack() throws Exception {
        int cpu = firstCpu();
        try (BpfObject object = load()) {
            List<Integer> received = new ArrayList<>();
            try (PerfEventReader reader = PerfEventReader.open(object.map("samples"),
                    sample -> received.add(EmittedRecords.sequence(sample)))) {
                assertEquals(0, emit(object, cpu, 1, 16));
                reader.pause();
                assertTrue(reader.isPaused());
                assertEquals(-ENOENT, emit(object, cpu, 2, 16), "no event in the array while paused");
                reader.resume();
                assertEquals(0, emit(object, cpu, 3, 16));
                assertEquals(2, reader.poll(Duration.ofSeconds(1)));
                assertEquals(List.of(1, 3), received);
                assertEquals(0, reader.lostSamples(), "samples refused while paused are not lost samples");
            }
            // Closing takes the events out as well.
            assertEquals(-ENOENT, emit(object, cpu, 4, 16));
        }
    }

    @Test
    void samplesThatWakeNobodyAreHandedOutWhenThePollTimesOut() throws Exception {
        int cpu = firstCpu();
        try (BpfObject object = load()) {
            List<Integer> received = new ArrayList<>();
            try (PerfEventReader reader = PerfEventReader.builder(object.map("samples"))
                    .wakeupEvents(1000)
                    .onSample((c, sample) -> received.add(EmittedRecords.sequence(sample)))
                    .build()) {
                CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                    sleep(100);
                    for (int seq = 0; seq < 3; seq++) {
                        emit(object, cpu, seq, 16);
                    }
                });
                long start = System.nanoTime();
                assertEquals(3, reader.poll(Duration.ofMillis(1500)));
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(waited >= 100 && waited < 1500, "returned after " + waited + " ms");
                producer.get(5, TimeUnit.SECONDS);
                assertEquals(List.of(0, 1, 2), received);
            }
        }
    }

    @Test
    void closeFromAnotherThreadWakesABlockedPoll() throws Exception {
        try (BpfObject object = load()) {
            PerfEventReader reader = PerfEventReader.open(object.map("samples"), sample -> { });
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
            assertFalse(poll.isDone());
            long closedAt = System.nanoTime();
            reader.close();
            assertEquals(0, poll.get(5, TimeUnit.SECONDS));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(returnedAt[0] - closedAt) < 100);
            assertThrows(IllegalStateException.class, reader::consume);
            assertThrows(IllegalStateException.class, reader::pause);
        }
    }

    @Test
    void pollUntilClosedHandsOutSamplesUntilClosed() throws Exception {
        try (BpfObject object = load()) {
            AtomicLong seen = new AtomicLong();
            PerfEventReader reader = PerfEventReader.open(object.map("samples"), sample -> seen.incrementAndGet());
            CompletableFuture<Long> poller = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.pollUntilClosed();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            int cpu = firstCpu();
            for (int seq = 0; seq < 3; seq++) {
                assertEquals(0, emit(object, cpu, seq, 24));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (seen.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(3, seen.get());
            assertFalse(poller.isDone());
            reader.pause(); // between its waits
            reader.close();
            assertEquals(3L, poller.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSecondReaderOfTheSameArrayIsRefusedUntilTheFirstIsClosed() throws Exception {
        try (PinRoot pins = PinRoot.create("perf-second-reader"); BpfObject object = load()) {
            object.map("samples").pin(pins.path().resolve("samples"));
            // Another Java object for the same kernel map, as the generated class and openPinned give.
            try (BpfMap again = BpfMap.openPinned(pins.path().resolve("samples"))) {
                int[] firstSeen = {0};
                int[] secondSeen = {0};
                try (PerfEventReader first = PerfEventReader.open(object.map("samples"), sample -> firstSeen[0]++)) {
                    BusyException busy = assertThrows(BusyException.class,
                            () -> PerfEventReader.open(again, sample -> secondSeen[0]++));
                    assertTrue(busy.getMessage().contains("perf event array 'samples'")
                            && busy.getMessage().contains("take over its CPU slots"), busy.getMessage());
                    assertTrue(busy.hint().orElseThrow().contains("close the other reader first"), busy.getMessage());
                    // The first reader keeps its slots.
                    assertEquals(0, emit(object, firstCpu(), 1, 16));
                    assertEquals(1, first.poll(Duration.ofSeconds(1)));
                    assertEquals(1, firstSeen[0]);
                }
                try (PerfEventReader second = PerfEventReader.open(again, sample -> secondSeen[0]++)) {
                    assertEquals(0, emit(object, firstCpu(), 2, 16));
                    assertEquals(1, second.poll(Duration.ofSeconds(1)));
                    assertEquals(1, secondSeen[0], "closing the first reader freed the array");
                }
            }
        }
    }

    @Test
    void settingsAreCheckedAndOtherMapTypesRefused() {
        try (BpfObject object = load()) {
            PerfEventReader.Builder builder = PerfEventReader.builder(object.map("samples"));
            assertThrows(IllegalArgumentException.class, () -> builder.bufferSize(Libc.pageSize() * 3));
            assertThrows(IllegalArgumentException.class, () -> builder.bufferSize(100));
            assertThrows(IllegalArgumentException.class, () -> builder.wakeupEvents(0));
            assertThrows(IllegalStateException.class, builder::build, "a sample handler is required");
            assertThrows(IllegalArgumentException.class, () -> PerfEventReader.builder(object.map("scratch")));
            // Declared with key and value types (struct sample_header): created with 4-byte CPU keys and fds.
            BpfMap typed = object.map("typed_samples");
            assertEquals(4, typed.keySize());
            assertEquals(4, typed.valueSize());
            assertTrue(typed.spec().valueTypeId() != 0, "the spec keeps the sample type");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

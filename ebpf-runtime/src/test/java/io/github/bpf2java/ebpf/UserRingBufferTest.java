package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The user ring buffer producer against the real kernel: Java writes commands, {@code user_ring_buffer.c}'s program
 * (run through {@code BPF_PROG_TEST_RUN}) drains them with {@code bpf_user_ringbuf_drain} and answers each through
 * a ring buffer, which the test reads back.
 */
class UserRingBufferTest {
    private static final int RING_SIZE = 16384;

    /** {@code struct command { __u64 id; __u64 value; }}. */
    record Command(long id, long value) {
        static final Codec<Command> CODEC = new Codec<>() {
            @Override
            public int size() {
                return 16;
            }

            @Override
            public Command decode(ByteBuffer buffer, int offset) {
                return new Command(buffer.getLong(offset), buffer.getLong(offset + 8));
            }

            @Override
            public void encode(Command value, ByteBuffer buffer, int offset) {
                buffer.putLong(offset, value.id()).putLong(offset + 8, value.value());
            }
        };
    }

    /** {@code struct answer { __u64 id; __u64 doubled; __u64 size; }}. */
    record Answer(long id, long doubled, long size) {
        static final Codec<Answer> CODEC = new Codec<>() {
            @Override
            public int size() {
                return 24;
            }

            @Override
            public Answer decode(ByteBuffer buffer, int offset) {
                return new Answer(buffer.getLong(offset), buffer.getLong(offset + 8), buffer.getLong(offset + 16));
            }

            @Override
            public void encode(Answer value, ByteBuffer buffer, int offset) {
                throw new UnsupportedOperationException("read only");
            }
        };
    }

    @BeforeEach
    void kernel(TestInfo test) {
        KernelSupport.assumeBpf();
        if (!test.getTestMethod().orElseThrow().getName().equals("aKernelBeforeUserRingBuffersRefusesTheMapClearly")) {
            // A kernel without the map type is covered by that test, which asserts the error it gives.
            Assumptions.assumeTrue(KernelVersion.running().atLeast(KernelVersion.of(6, 1)),
                    "user ring buffers need Linux 6.1");
        }
    }

    @Test
    void aKernelBeforeUserRingBuffersRefusesTheMapClearly() {
        // On Linux 6.1 and later the other tests run; before it, loading must say which feature is missing.
        if (KernelVersion.running().atLeast(KernelVersion.of(6, 1))) {
            try (BpfObject object = load()) {
                assertEquals(MapType.USER_RINGBUF, object.map("commands").type());
            }
            return;
        }
        NotSupportedException e = assertThrows(NotSupportedException.class, UserRingBufferTest::load);
        assertTrue(e.getMessage().contains("USER_RINGBUF"), e.getMessage());
    }

    private static BpfObject load() {
        return loadFixture();
    }

    private static BpfObject loadFixture() {
        ObjectSpec spec = BpfFixtures.hostSpec("user_ring_buffer", BpfFixtures.installedCompilers().get(0));
        return BpfObject.load(spec);
    }

    private static int drain(BpfObject object) {
        return TestRuns.rawTracepoint(object.program("drain"));
    }

    @Test
    void samplesWrittenFromJavaAreDrainedByTheProgramInOrder() throws Exception {
        try (BpfObject object = load();
                UserRingBuffer commands = UserRingBuffer.open(object.map("commands"))) {
            List<Answer> answers = new ArrayList<>();
            try (RingBufferReader reader = RingBufferReader.open(object.map("answers"), Answer.CODEC,
                    answers::add)) {
                List<Long> submitted = new ArrayList<>();
                for (long id = 1; id <= 40; id++) {
                    if (id % 4 == 0) {
                        // Reserved, written and discarded: the kernel skips it.
                        UserRingBuffer.Sample sample = commands.reserve(16).orElseThrow();
                        Command.CODEC.encode(new Command(id, 1000), sample.buffer(), 0);
                        sample.discard();
                    } else if (id % 4 == 1) {
                        assertTrue(commands.write(Command.CODEC, new Command(id, id * 10)));
                        submitted.add(id);
                    } else {
                        ByteBuffer bytes = ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder());
                        Command.CODEC.encode(new Command(id, id * 10), bytes, 0);
                        assertTrue(id % 2 == 0 ? commands.write(bytes.array()) : commands.write(bytes));
                        submitted.add(id);
                    }
                }
                assertTrue(commands.freeBytes() < RING_SIZE);
                assertEquals(submitted.size(), drain(object), "samples the program's callback saw");
                assertEquals(RING_SIZE, commands.freeBytes(), "the kernel consumed everything");
                assertEquals(submitted.size(), reader.poll(Duration.ofSeconds(1)));
                assertEquals(submitted, answers.stream().map(Answer::id).toList());
                for (Answer answer : answers) {
                    assertEquals(answer.id() * 20, answer.doubled());
                    assertEquals(16, answer.size());
                }
            }
        }
    }

    @Test
    void aSampleNotYetCommittedHoldsBackThoseAfterIt() throws Exception {
        try (BpfObject object = load();
                UserRingBuffer commands = UserRingBuffer.open(object.map("commands"));
                RingBufferReader reader = RingBufferReader.open(object.map("answers"), r -> { })) {
            UserRingBuffer.Sample first = commands.reserve(16).orElseThrow();
            assertTrue(commands.write(Command.CODEC, new Command(2, 2)));
            assertEquals(0, drain(object), "the kernel stops at the busy sample");
            Command.CODEC.encode(new Command(1, 1), first.buffer(), 0);
            first.submit();
            assertThrows(IllegalStateException.class, first::submit, "a sample is committed once");
            assertEquals(2, drain(object));
            assertEquals(2, reader.consume());
        }
    }

    @Test
    void aSecondProducerOfTheSameRingIsRefusedUntilTheFirstIsClosed() throws Exception {
        try (PinRoot pins = PinRoot.create("user-ring-second-producer"); BpfObject object = load()) {
            object.map("commands").pin(pins.path().resolve("commands"));
            // Another Java object for the same kernel map, as the generated class and openPinned give.
            try (BpfMap again = BpfMap.openPinned(pins.path().resolve("commands"));
                    RingBufferReader reader = RingBufferReader.open(object.map("answers"), r -> { })) {
                try (UserRingBuffer first = UserRingBuffer.open(object.map("commands"))) {
                    BusyException busy = assertThrows(BusyException.class, () -> UserRingBuffer.open(again));
                    assertTrue(busy.getMessage().contains("user ring buffer 'commands'")
                            && busy.getMessage().contains("overwrite each other's samples"), busy.getMessage());
                    assertTrue(busy.hint().orElseThrow().contains("close the other UserRingBuffer first"),
                            busy.getMessage());
                    assertTrue(first.write(Command.CODEC, new Command(1, 1)));
                    assertEquals(1, drain(object), "the first producer is unharmed");
                }
                try (UserRingBuffer second = UserRingBuffer.open(again)) {
                    assertTrue(second.write(Command.CODEC, new Command(2, 2)));
                    assertEquals(1, drain(object), "closing the first producer freed the ring");
                }
                assertEquals(2, reader.consume());
            }
        }
    }

    @Test
    void aFullRingRefusesAndAWaitingReserveGetsRoomAfterADrain() throws Exception {
        try (BpfObject object = load();
                UserRingBuffer commands = UserRingBuffer.open(object.map("commands"))) {
            int written = 0;
            while (commands.write(Command.CODEC, new Command(written, 0))) {
                written++;
            }
            // 16 bytes and an 8-byte header each.
            assertEquals(RING_SIZE / 24, written);
            long start = System.nanoTime();
            assertEquals(Optional.empty(), commands.reserve(16, Duration.ofMillis(200)));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 190);

            // The answers ring has room for 65536 / 32 answers: all of them.
            CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> {
                sleep(200);
                return drain(object);
            });
            start = System.nanoTime();
            UserRingBuffer.Sample sample = commands.reserve(16, Duration.ofSeconds(20)).orElseThrow();
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 100 && waited < 10_000, "got room after " + waited + " ms");
            assertEquals(written, drained.get(5, TimeUnit.SECONDS));
            sample.discard();
        }
    }

    @Test
    void closeWakesAWaitingReserveAndLaterUseFails() throws Exception {
        try (BpfObject object = load()) {
            UserRingBuffer commands = UserRingBuffer.open(object.map("commands"));
            while (commands.write(new byte[1000])) {
                // fill
            }
            CompletableFuture<Optional<UserRingBuffer.Sample>> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return commands.reserve(1000, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertFalse(waiting.isDone());
            long closedAt = System.nanoTime();
            commands.close();
            assertEquals(Optional.empty(), waiting.get(5, TimeUnit.SECONDS));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt) < 1000);
            assertThrows(IllegalStateException.class, () -> commands.write(new byte[8]));
            assertThrows(IllegalStateException.class, commands::freeBytes);
        }
    }

    @Test
    void aSampleReservedBeforeCloseCannotBeSubmittedAfter() {
        try (BpfObject object = load()) {
            UserRingBuffer commands = UserRingBuffer.open(object.map("commands"));
            UserRingBuffer.Sample sample = commands.reserve(16).orElseThrow();
            commands.close();
            assertThrows(IllegalStateException.class, sample::submit);
        }
    }

    @Test
    void anEmptySampleIsWrittenAndDrainedLikeAnyOther() {
        try (BpfObject object = load();
                UserRingBuffer commands = UserRingBuffer.open(object.map("commands"))) {
            assertTrue(commands.write(new byte[0]));
            assertEquals(8, RING_SIZE - commands.freeBytes(), "its header alone");
            // The callback's bpf_dynptr_read of a command fails on it and it answers nothing, but it was called.
            assertEquals(1, drain(object), "samples the program's callback saw");
            assertEquals(RING_SIZE, commands.freeBytes());
        }
    }

    @Test
    void sizesAndMapTypesAreChecked() {
        try (BpfObject object = load();
                UserRingBuffer commands = UserRingBuffer.open(object.map("commands"))) {
            assertEquals(RING_SIZE - 8, commands.maxSampleSize());
            assertThrows(IllegalArgumentException.class, () -> commands.reserve(RING_SIZE));
            assertTrue(commands.reserve(RING_SIZE - 8).isPresent(), "the largest sample fills the ring");
            assertThrows(IllegalArgumentException.class, () -> UserRingBuffer.open(object.map("answers")));
            assertThrows(IllegalArgumentException.class, () -> RingBufferReader.open(object.map("commands"),
                    r -> { }));
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

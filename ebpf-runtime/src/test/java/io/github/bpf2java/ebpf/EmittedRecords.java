package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;

/**
 * The payload the {@code emit} programs of {@code ring_buffers.c} and {@code perf_output.c} write: the sequence
 * number and the size (32 bits each), then byte {@code i} = {@code (seq * 131 + i * 7) & 0xff}. Checks a record
 * byte by byte, reading it where the reader hands it out (from the buffer's position); and has the kernel write such
 * records on another thread while the reader reads them.
 */
final class EmittedRecords {
    private EmittedRecords() {}

    /** The sequence number of the record at {@code record}'s position. */
    static int sequence(ByteBuffer record) {
        return record.getInt(record.position());
    }

    /**
     * Asserts that {@code record} (from position to limit, plus up to {@code padding} trailing bytes the transport
     * adds) holds the payload of {@code seq}, {@code size} bytes long, every byte as written.
     */
    static void assertPayload(ByteBuffer record, int seq, int size, int padding) {
        int start = record.position();
        int length = record.remaining();
        if (length < size || length > size + padding) {
            throw new AssertionError("record " + seq + ": " + length + " bytes, expected " + size
                    + (padding > 0 ? " (+ up to " + padding + " padding)" : ""));
        }
        assertEquals(seq, record.getInt(start), "sequence number");
        assertEquals(size, record.getInt(start + 4), "size of record " + seq);
        for (int i = 8; i < size; i++) {
            int expected = (seq * 131 + i * 7) & 0xff;
            int actual = record.get(start + i) & 0xff;
            if (actual != expected) {
                throw new AssertionError("record " + seq + " (" + size + " bytes): byte " + i + " is " + actual
                        + ", expected " + expected);
            }
        }
    }

    /** One bounded wait of a reader for records ({@code poll} with a timeout). */
    interface Poll {
        void once() throws InterruptedException;
    }

    /** {@code count} payload sizes from 8 to 607 bytes, the same for the same seed. */
    static int[] randomSizes(int count, long seed) {
        Random random = new Random(seed);
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = 8 + random.nextInt(600);
        }
        return sizes;
    }

    /**
     * Has the kernel write records {@code 0} to {@code count - 1} from a second thread while this one reads them:
     * calls {@code pollOnce} until {@code read} reports {@code count} records, the producer fails, or a minute has
     * passed, then asserts that the producer did not fail and that every record was read.
     *
     * @param emit writes record {@code seq} and returns the program's result: 0, or {@code full} when the buffer had
     *     no room (then the record is written again)
     */
    static void writeWhileReading(String producerName, int count, IntUnaryOperator emit, int full, IntSupplier read,
            Poll pollOnce) throws InterruptedException {
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (int seq = 0; seq < count; seq++) {
                    int result;
                    while ((result = emit.applyAsInt(seq)) == full) {
                        Thread.onSpinWait();
                    }
                    assertEquals(0, result, "record " + seq);
                }
            } catch (Throwable e) {
                producerFailure.set(e);
            }
        }, producerName);
        producer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (read.getAsInt() < count && producerFailure.get() == null && System.nanoTime() < deadline) {
            pollOnce.once();
        }
        producer.join(TimeUnit.SECONDS.toMillis(10));
        assertNull(producerFailure.get(), () -> "producer failed: " + producerFailure.get());
        assertEquals(count, read.getAsInt(), "records read");
    }

    /** The same for a copy: a whole array. */
    static void assertPayload(byte[] record, int seq, int size) {
        assertPayload(ByteBuffer.wrap(record).order(java.nio.ByteOrder.nativeOrder()), seq, size, 0);
    }
}

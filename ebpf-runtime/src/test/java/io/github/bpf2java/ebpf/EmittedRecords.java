package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;

/**
 * The payload the {@code emit} programs of {@code ring_buffers.c} and {@code perf_output.c} write: the sequence
 * number and the size (32 bits each), then byte {@code i} = {@code (seq * 131 + i * 7) & 0xff}. Checks a record
 * byte by byte, reading it where the reader hands it out (from the buffer's position).
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

    /** The same for a copy: a whole array. */
    static void assertPayload(byte[] record, int seq, int size) {
        assertPayload(ByteBuffer.wrap(record).order(java.nio.ByteOrder.nativeOrder()), seq, size, 0);
    }
}

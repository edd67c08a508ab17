package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.BpfException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Receives the records a {@link RingBufferReader} or {@link PerfEventReader} reads, without copying: {@code record}
 * is a read-only view of the shared memory the kernel wrote, in the host's byte order, whose bytes from its
 * {@linkplain ByteBuffer#position() position} to its {@linkplain ByteBuffer#limit() limit} are the record.
 *
 * <p>The view is valid only until this call returns: the reader then hands the space back to the kernel, which
 * overwrites it, and reuses the same buffer object for the next record (so reading allocates nothing). Keep what
 * you need by copying it, or use {@link #copying}, {@link #copyingInto} or {@link #decoding}. Absolute reads add the
 * position: {@code record.getInt(record.position() + 4)}.
 *
 * <pre>{@code
 * RecordHandler handler = record -> sum += record.getLong(record.position());
 * }</pre>
 */
@FunctionalInterface
public interface RecordHandler {

    /**
     * Called once per record, on the thread that polls. An exception thrown here ends that poll and reaches its
     * caller; the record counts as read.
     */
    void onRecord(ByteBuffer record);

    /**
     * A handler giving each record to {@code consumer} as a new array: all of its bytes, which for a perf event
     * array's sample include the kernel's padding (up to 7 bytes, rounding the sample up to 8), so a generated
     * record's {@code decode(byte[])}, which wants exactly its size, refuses them; {@link #decoding} leaves it.
     */
    static RecordHandler copying(Consumer<? super byte[]> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        return record -> {
            byte[] copy = new byte[record.remaining()];
            record.get(record.position(), copy);
            consumer.accept(copy);
        };
    }

    /**
     * A handler copying each record into {@code target} (cleared first, then flipped: the record is from 0 to its
     * limit, in the host's byte order like the record; a buffer from {@code ByteBuffer.allocateDirect} starts
     * big-endian, so the order is set each time) and giving {@code target} to {@code consumer}; nothing is allocated
     * per record.
     *
     * @throws IllegalArgumentException (from the poll) when a record is larger than {@code target}'s capacity
     */
    static RecordHandler copyingInto(ByteBuffer target, Consumer<? super ByteBuffer> consumer) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(consumer, "consumer");
        return record -> {
            if (record.remaining() > target.capacity()) {
                throw new IllegalArgumentException("a record of " + record.remaining() + " bytes does not fit the "
                        + target.capacity() + "-byte buffer given to RecordHandler.copyingInto");
            }
            int length = record.remaining();
            target.clear();
            target.put(0, record, record.position(), length);
            target.limit(length).order(ByteOrder.nativeOrder());
            consumer.accept(target);
        };
    }

    /**
     * A handler decoding each record with {@code codec} (a generated record's {@code CODEC}, or your own) and giving
     * the value to {@code consumer}. Bytes after the codec's {@link Codec#size()} are ignored (perf samples carry up
     * to 7 bytes of padding). A record shorter than the type but reaching its trailing array
     * ({@link Codec#minimumSize()}), as programs send variable-length events, decodes with the missing bytes zero.
     *
     * @throws BpfException (from the poll) when a record is shorter than {@code codec.minimumSize()}
     */
    static <T> RecordHandler decoding(Codec<T> codec, Consumer<? super T> consumer) {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(consumer, "consumer");
        int size = codec.size();
        int minimum = Math.min(codec.minimumSize(), size);
        // Where a short record is completed with zeros; taken while in use, so a handler that two readers share on
        // two threads allocates one of its own for the rare overlap instead of racing.
        AtomicReference<ByteBuffer> spare = new AtomicReference<>();
        return record -> {
            int length = record.remaining();
            if (length >= size) {
                consumer.accept(codec.decode(record, record.position()));
                return;
            }
            if (length < minimum) {
                throw new BpfException("a record of " + length + " bytes is shorter than the " + size
                        + " bytes " + codec + " decodes" + (minimum < size ? " (or the " + minimum + " up to its "
                                + "trailing array, which a program may cut short)" : ""),
                        "the program sends a different, smaller type than the reader decodes, or cuts the type "
                                + "short before its last member; compare the C type and the size it outputs with "
                                + "the codec's",
                        null);
            }
            ByteBuffer whole = spare.getAndSet(null);
            if (whole == null) {
                whole = ByteBuffer.allocate(size);
            }
            T value;
            try {
                whole.order(record.order());
                whole.put(0, record, record.position(), length);
                Arrays.fill(whole.array(), length, size, (byte) 0);
                value = codec.decode(whole, 0);
            } finally {
                spare.set(whole);
            }
            consumer.accept(value);
        };
    }
}

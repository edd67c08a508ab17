package io.github.bpf2java.ebpf.internal.ringbuf;

import java.nio.ByteBuffer;

/**
 * Receives records from shared memory without copying: {@code record} is a read-only view in the host's byte order
 * whose bytes from its position to its limit are the record, valid only until this call returns. The same buffer
 * object is passed for every record, so receiving allocates nothing.
 *
 * <p>Internal: part of the ring and perf buffer mechanics, not of the stable API.
 */
@FunctionalInterface
public interface RecordSink {
    void accept(ByteBuffer record);
}

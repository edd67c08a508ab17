package io.github.bpf2java.ebpf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where a batch walk over a map stands: pass the same cursor to successive {@link BpfMap#lookupBatch} (or
 * {@link TypedMap#lookupBatch}) calls until {@link #done()}. A cursor belongs to the first map it is used with.
 *
 * <pre>{@code
 * MapBatchCursor cursor = new MapBatchCursor();
 * while (!cursor.done()) {
 *     for (Map.Entry<Integer, Long> e : counts.lookupBatch(cursor, 1024)) { ... }
 * }
 * }</pre>
 *
 * <p>On a kernel with batch operations ({@code BPF_MAP_LOOKUP_BATCH}, Linux 5.6+, for hash, array and per-CPU maps)
 * the cursor holds the kernel's opaque position; elsewhere it holds the last key read, and the batch is made of
 * single-element calls. Not thread-safe: one walk, one thread.
 */
public final class MapBatchCursor {
    private BpfMap map;
    private boolean done;
    // Kernel batches: the token to continue from (absent before the first call) and the one the next call fills.
    ByteBuffer token;
    ByteBuffer nextToken;
    boolean started;
    // Emulated batches: the last key read, absent before the first call.
    byte[] lastKey;

    /** A cursor at the start of a map. */
    public MapBatchCursor() {}

    /** Whether the walk has reached the end of the map; further calls return nothing. */
    public boolean done() {
        return done;
    }

    /** Moves the cursor back to the start of its map, for another walk; it keeps its buffers. */
    public void reset() {
        done = false;
        started = false;
        lastKey = null;
    }

    void finish() {
        done = true;
    }

    /** Binds the cursor to {@code target} on first use; refuses any other map afterwards. */
    void bind(BpfMap target, int tokenSize) {
        if (map == null) {
            map = target;
            token = ByteBuffer.allocateDirect(tokenSize).order(ByteOrder.nativeOrder());
            nextToken = ByteBuffer.allocateDirect(tokenSize).order(ByteOrder.nativeOrder());
        } else if (map != target) {
            throw new IllegalArgumentException("this cursor walks map '" + map.name() + "', not '" + target.name()
                    + "'; use a new MapBatchCursor per map");
        }
    }

    /** Makes the token the next call filled the one to continue from. */
    void advance() {
        ByteBuffer used = token;
        token = nextToken;
        nextToken = used;
        started = true;
    }

    @Override
    public String toString() {
        return "MapBatchCursor[" + (map == null ? "unused" : map.name()) + (done ? ", done" : "") + "]";
    }
}

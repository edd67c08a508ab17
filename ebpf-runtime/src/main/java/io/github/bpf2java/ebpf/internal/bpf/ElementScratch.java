package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;

/**
 * One thread's reusable native memory for map element calls: the {@code bpf_attr}, a staging area for keys and
 * values given as arrays, and the base addresses of the last direct buffers seen. Reusing it makes an element call
 * allocation-free: the caller pays for the syscall and the copies it asked for, nothing else.
 */
public final class ElementScratch {
    private static final int INITIAL_STAGING = 256;

    final NativeBuffer attr = new NativeBuffer(AttrLayout.MapElem.SIZE);
    private NativeBuffer batchAttr;
    private NativeBuffer staging = new NativeBuffer(INITIAL_STAGING);
    // Weak, so a buffer the caller dropped is not kept alive (with its native memory) by this cache.
    private WeakReference<ByteBuffer> keyBuffer = new WeakReference<>(null);
    private long keyBase;
    private WeakReference<ByteBuffer> valueBuffer = new WeakReference<>(null);
    private long valueBase;

    /** A staging area of at least {@code size} bytes; its content is not preserved across growth. */
    NativeBuffer staging(int size) {
        if (staging.size() < size) {
            staging.close();
            staging = new NativeBuffer(Math.max(size, staging.size() * 2L));
        }
        return staging;
    }

    /** A {@code bpf_attr} for batch calls, made on first use. */
    NativeBuffer batchAttr() {
        if (batchAttr == null) {
            batchAttr = new NativeBuffer(AttrLayout.Batch.SIZE);
        }
        return batchAttr;
    }

    /** The native address of {@code key}'s position. */
    long keyAddress(ByteBuffer key) {
        if (keyBuffer.get() != key) {
            keyBase = base(key);
            keyBuffer = new WeakReference<>(key);
        }
        return keyBase + key.position();
    }

    /** The native address of {@code value}'s position. */
    long valueAddress(ByteBuffer value) {
        if (valueBuffer.get() != value) {
            valueBase = base(value);
            valueBuffer = new WeakReference<>(value);
        }
        return valueBase + value.position();
    }

    private static long base(ByteBuffer buffer) {
        return NativeBuffer.addressOf(buffer);
    }
}

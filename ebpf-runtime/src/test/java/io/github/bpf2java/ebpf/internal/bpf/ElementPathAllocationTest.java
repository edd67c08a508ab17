package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The element path allocates nothing per call once warm: what a benchmark of it measures is the syscall. This
 * counts bytes allocated by the calling thread, not time.
 */
class ElementPathAllocationTest {
    private static final int WARMUP = 50_000;
    /**
     * Warmup rounds at most. On JDK 22+ the {@code java.lang.foreign} downcall allocates until C2 has compiled it
     * (escape analysis then removes the allocations), which a loaded machine can take several rounds to do.
     */
    private static final int MAX_WARMUP_ROUNDS = 40;
    private static final int CALLS = 100_000;
    /** Per-call allocation would be at least 16 bytes a call; allow stray one-off allocations only. */
    private static final long BUDGET = 64 * 1024;

    private com.sun.management.ThreadMXBean threads;

    @BeforeEach
    void needsBpfAndAllocationCounting() {
        KernelSupport.assumeBpf();
        var bean = ManagementFactory.getThreadMXBean();
        KernelSupport.assume(bean instanceof com.sun.management.ThreadMXBean tb
                && tb.isThreadAllocatedMemorySupported(), "this JVM cannot count allocated bytes per thread");
        threads = (com.sun.management.ThreadMXBean) bean;
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    @Test
    void lookupsThroughAddressesBuffersAndArraysAllocateNothing() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.HASH, 4, 8, 16).name("alloc").build());
                NativeBuffer key = NativeBuffer.of(MapFdTest.key(1));
                NativeBuffer value = new NativeBuffer(8)) {
            map.update(MapFdTest.key(1), MapFdTest.value(7), 0);
            ByteBuffer k = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder()).putInt(0, 1);
            ByteBuffer v = ByteBuffer.allocateDirect(8);
            byte[] ka = MapFdTest.key(1);
            byte[] va = new byte[8];
            byte[] missing = MapFdTest.key(2);

            assertAllocationFree("lookup(long, long)", () -> map.lookup(key.address(), value.address()));
            assertAllocationFree("lookup(ByteBuffer, ByteBuffer)", () -> map.lookup(k, v));
            assertAllocationFree("lookup(byte[], byte[])", () -> map.lookup(ka, va));
            assertAllocationFree("update(long, long, long)", () -> {
                map.update(key.address(), value.address(), 0);
                return true;
            });
            assertAllocationFree("lookup of an absent key", () -> !map.lookup(missing, va));
        }
    }

    private void assertAllocationFree(String what, java.util.function.BooleanSupplier call) {
        long tid = Thread.currentThread().getId();
        for (int round = 0; round < MAX_WARMUP_ROUNDS; round++) {
            long start = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < WARMUP; i++) {
                call.getAsBoolean();
            }
            if (threads.getThreadAllocatedBytes(tid) - start < BUDGET) {
                break;
            }
        }
        long before = threads.getThreadAllocatedBytes(tid);
        boolean all = true;
        for (int i = 0; i < CALLS; i++) {
            all &= call.getAsBoolean();
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(all, what + " returned false");
        assertTrue(allocated < BUDGET, what + " allocated " + allocated + " bytes in " + CALLS + " calls");
    }
}

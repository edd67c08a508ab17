package io.github.bpf2java.ebpf.internal.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.internal.bpf.AttrLayout;
import io.github.bpf2java.ebpf.internal.bpf.BpfCommand;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The bridge {@code bpf(2)} goes through: {@code java.lang.foreign} on JDK 22 and later, JNA before. Most of its
 * behaviour is covered by every other kernel test; these pin what they would not notice: that the foreign binding
 * did not silently fall back to JNA, and that errno reaches the right thread, whichever bridge is in use. The build
 * runs them on the build's JDK and, where {@code EBPF_TEST_JDK} names a newer one, on that too.
 */
class ForeignSyscallTest {
    private static final int MAP_LOOKUP_ELEM = BpfCommand.MAP_LOOKUP_ELEM.value();
    private static final int CALLS = 20_000;

    @Test
    void isUsedOnJdk22AndLaterUnlessDisabled() {
        boolean expected = Runtime.version().feature() >= 22 && Libc.is64Bit()
                && !"false".equalsIgnoreCase(System.getProperty(ForeignSyscall.PROPERTY));
        assertEquals(expected, ForeignSyscall.AVAILABLE, "JDK " + Runtime.version() + ", property "
                + ForeignSyscall.PROPERTY + "=" + System.getProperty(ForeignSyscall.PROPERTY));
    }

    @Test
    void failedCallReturnsMinusErrno() {
        KernelSupport.assumeBpf();
        try (NativeBuffer attr = lookupAttr(-1)) {
            assertEquals(-Errno.EBADF.number(), syscall(MAP_LOOKUP_ELEM, attr));
            assertEquals(-Errno.EINVAL.number(), syscall(Integer.MAX_VALUE, attr), "unknown command");
        }
    }

    @Test
    void eachThreadSeesItsOwnErrno() throws Exception {
        KernelSupport.assumeBpf();
        // One thread fails with EBADF, the other at the same time with EINVAL: a shared errno segment would now and
        // then hand one thread the other's errno.
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (NativeBuffer badFd = lookupAttr(-1); NativeBuffer anyAttr = lookupAttr(-1)) {
            List<Callable<Integer>> tasks = List.of(
                    () -> countMismatches(MAP_LOOKUP_ELEM, badFd, -Errno.EBADF.number()),
                    () -> countMismatches(Integer.MAX_VALUE, anyAttr, -Errno.EINVAL.number()));
            List<Integer> mismatches = new ArrayList<>();
            for (Future<Integer> f : threads.invokeAll(tasks)) {
                mismatches.add(f.get());
            }
            assertEquals(List.of(0, 0), mismatches);
        } finally {
            threads.shutdownNow();
        }
    }

    private static int countMismatches(int cmd, NativeBuffer attr, long expected) {
        int mismatches = 0;
        for (int i = 0; i < CALLS; i++) {
            if (syscall(cmd, attr) != expected) {
                mismatches++;
            }
        }
        return mismatches;
    }

    private static long syscall(int cmd, NativeBuffer attr) {
        return Libc.bpf(cmd, attr.address(), AttrLayout.MapElem.SIZE);
    }

    private static NativeBuffer lookupAttr(int mapFd) {
        NativeBuffer attr = new NativeBuffer(AttrLayout.MapElem.SIZE);
        attr.putInt(AttrLayout.MapElem.MAP_FD, mapFd);
        return attr;
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.ChildJvm;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader polling on a virtual thread parks instead of holding its carrier in {@code epoll_wait}: with a single
 * carrier, another virtual thread still runs while it waits, a record still reaches it, and closing it from another
 * thread still ends its wait at once.
 */
class VirtualThreadPollTest {
    @TempDir
    Path dir;

    @Test
    void aReaderWaitingOnAVirtualThreadLeavesItsCarrierToOtherVirtualThreads() throws Exception {
        KernelSupport.assumeBpf();
        if (Runtime.version().feature() < 21) {
            // No virtual threads before Java 21: readers wait in epoll_wait on platform threads, as ever.
            assertThrows(NoSuchMethodException.class, () -> Thread.class.getMethod("ofVirtual"));
            return;
        }
        Path object = dir.resolve("ring_buffers.bpf.o");
        Files.write(object, BpfFixtures.compile("ring_buffers").bytes());
        String output = runChild(object);
        assertTrue(output.contains("OTHER RAN true"), "one carrier, and the poller waits parked:\n" + output);
        assertTrue(output.contains("RECEIVED true"), "the record woke the parked poller:\n" + output);
        String closed = output.lines().filter(l -> l.startsWith("CLOSED ")).findFirst().orElseThrow();
        assertEquals("true", closed.split(" ")[1], output);
        assertTrue(Long.parseLong(closed.split(" ")[2]) < 1000, "close ended the wait at once: " + output);
    }

    private static String runChild(Path object) throws Exception {
        return ChildJvm.run(VirtualThreadPollChild.class, List.of(), List.of(
                "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"),
                object.toString());
    }
}

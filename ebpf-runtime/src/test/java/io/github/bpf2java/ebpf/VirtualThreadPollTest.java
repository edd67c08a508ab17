package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
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
        String classPath = Stream.of(Native.class, BpfObject.class, VirtualThreadPollChild.class)
                .map(c -> {
                    try {
                        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .distinct()
                .collect(Collectors.joining(":"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xshare:off", "-Djdk.virtualThreadScheduler.parallelism=1",
                "-Djdk.virtualThreadScheduler.maxPoolSize=1"));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of("-cp", classPath, VirtualThreadPollChild.class.getName(), object.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
        return output;
    }
}

package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.Asm;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FdHygieneTest {
    private static final Path SELF_FD = Path.of("/proc/self/fd");

    @BeforeEach
    void needsBpf() {
        KernelSupport.assumeBpf();
    }

    @Test
    void thousandCreateCloseCyclesLeaveNoDescriptorBehind() throws IOException {
        cycle(10); // load classes and JNA first, which open jars and libraries once
        Set<String> before = openDescriptorNames();
        cycle(1000);
        assertNoneOpened(before);
    }

    @Test
    void failedCreationsLeaveNoDescriptorBehind() throws IOException {
        failures(10);
        Set<String> before = openDescriptorNames();
        failures(200);
        assertNoneOpened(before);
    }

    /**
     * No descriptor open now that was not open {@code before}. Not equality: the JVM opens and closes descriptors
     * of its own meanwhile (its container support reads the cgroup's memory.stat, for one), and one closed during
     * the test is no leak.
     */
    private static void assertNoneOpened(Set<String> before) throws IOException {
        Set<String> opened = new TreeSet<>(openDescriptorNames());
        opened.removeAll(before);
        assertEquals(Set.of(), opened, "descriptors left open");
    }

    @Test
    void concurrentClosesCloseExactlyThatDescriptor() throws Exception {
        for (int round = 0; round < 50; round++) {
            MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 4, 1).name("race").build());
            String number = map.fd().raw() + " -> ";
            Set<String> others = openDescriptorNames();
            others.removeIf(entry -> entry.startsWith(number));
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    map.close();
                });
                thread.start();
                threads.add(thread);
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(map.fd().isClosed());
            // The JVM may open files of its own meanwhile (it reads cgroup limits now and then), even under the
            // freed number; what must hold is that every other descriptor is still open and the map's is gone.
            Set<String> after = openDescriptorNames();
            assertTrue(after.containsAll(others), "only the map's descriptor was closed: before " + others
                    + ", after " + after);
            assertTrue(after.stream().noneMatch(e -> e.startsWith(number) && e.contains("bpf-map")),
                    "the map's descriptor was closed: " + after);
        }
    }

    @Test
    void duplicateOutlivesTheOriginal() {
        Fd dup;
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("dup").build())) {
            dup = map.fd().dup();
            map.update(MapFdTest.key(0), MapFdTest.value(5), 0);
        }
        try (MapFd again = MapFd.adopt(dup)) {
            byte[] out = new byte[8];
            assertTrue(again.lookup(MapFdTest.key(0), out));
            assertEquals(5, MapFdTest.asLong(out));
            assertTrue(again.toString().contains("map 'dup'"), again.toString());
        }
        assertThrows(IllegalStateException.class, dup::raw);
    }

    private static void cycle(int times) {
        byte[] program = Asm.returning(0);
        for (int i = 0; i < times; i++) {
            try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.HASH, 4, 4, 8).name("cycle").build())) {
                map.update(MapFdTest.key(i), MapFdTest.key(i), 0);
            }
            if (i % 10 == 0) {
                try (Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, program, "GPL")
                        .name("cycle").build())) {
                    assertTrue(prog.raw() > 0);
                }
            }
        }
    }

    private static void failures(int times) {
        byte[] rejected = new Asm().exit().bytes();
        for (int i = 0; i < times; i++) {
            assertThrows(RuntimeException.class, () -> MapFd.create(
                    MapCreateRequest.builder(MapType.HASH, 0, 4, 8).name("bad").build()));
            if (i % 10 == 0) {
                assertThrows(RuntimeException.class, () -> Programs.load(
                        ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, rejected, "GPL").build()));
                assertThrows(RuntimeException.class, () -> BtfObjects.load(BtfObjectsTest.btfWithInt(4, 64), "bad"));
            }
        }
    }

    /** The open descriptors as {@code number -> target}, without the one this listing itself opens. */
    private static Set<String> openDescriptorNames() throws IOException {
        String listing = SELF_FD.toRealPath().toString();
        Set<String> open = new HashSet<>();
        try (Stream<Path> fds = Files.list(SELF_FD)) {
            for (Path fd : fds.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (!target.equals(listing)) {
                    open.add(fd.getFileName() + " -> " + target);
                }
            }
        }
        return open;
    }

}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A descriptor number is reused by the kernel as soon as it is closed. These tests close an object while other
 * threads use its map and check that no operation ever lands on the object that received the number next.
 */
class DescriptorLifetimeTest {
    private static final int TRIALS = 1_000;
    private static final int WRITERS = 4;
    private static final byte[] KEY = new byte[4];
    private static final long MARK = 0x5eed_5eed_5eed_5eedL;

    private ObjectSpec spec;

    @BeforeEach
    void requireKernel() {
        KernelSupport.assumeBpf();
        spec = BpfFixtures.hostSpec("counter", BpfFixtures.installedCompilers().get(0));
    }

    @Test
    void writesToAClosingMapNeverReachTheObjectLoadedAfterIt() throws Exception {
        byte[] mark = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, MARK).array();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        AtomicLong writesBeforeClose = new AtomicLong();
        int strayTrials = 0;
        int reusedNumbers = 0;
        try {
            for (int trial = 0; trial < TRIALS; trial++) {
                BpfObject first = BpfObject.load(spec);
                BpfMap target = first.map("counting_map");
                int firstNumber = target.fd();
                CountDownLatch writing = new CountDownLatch(WRITERS);
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    done.add(writers.submit(() -> {
                        writing.countDown();
                        while (true) {
                            try {
                                target.put(KEY, mark);
                                writesBeforeClose.incrementAndGet();
                            } catch (IllegalStateException closed) {
                                return; // The one documented outcome of a use after close.
                            } catch (Throwable other) {
                                unexpected.add(other);
                                return;
                            }
                        }
                    }));
                }
                writing.await();
                first.close();
                try (BpfObject second = BpfObject.load(spec)) {
                    BpfMap fresh = second.map("counting_map");
                    for (Future<?> writer : done) {
                        writer.get(10, TimeUnit.SECONDS);
                    }
                    if (fresh.fd() == firstNumber) {
                        reusedNumbers++;
                    }
                    long value = ByteBuffer.wrap(fresh.lookup(KEY).orElseThrow()).order(ByteOrder.nativeOrder())
                            .getLong();
                    if (value != 0) {
                        strayTrials++;
                    }
                }
            }
        } finally {
            writers.shutdownNow();
        }
        assertEquals(0, strayTrials, "trials (of " + TRIALS + ") in which writes meant for a closed map reached the "
                + "next object's map");
        assertEquals(List.of(), List.copyOf(unexpected), "a use after close must fail with IllegalStateException");
        assertTrue(writesBeforeClose.get() > 0, "the writers ran");
        // The race is only tested where the kernel handed the closed map's number to the new map.
        assertTrue(reusedNumbers > 0, "no trial reused the descriptor number");
    }

    @Test
    void everyUseAfterCloseFailsTheSameWay() {
        BpfObject object = BpfObject.load(spec);
        BpfMap map = object.map("counting_map");
        BpfProgram program = object.program("count_execve");
        object.close();
        assertThrows(IllegalStateException.class, () -> map.lookup(KEY));
        assertThrows(IllegalStateException.class, () -> map.put(KEY, new byte[8]));
        assertThrows(IllegalStateException.class, () -> map.delete(KEY));
        assertThrows(IllegalStateException.class, map::keys);
        assertThrows(IllegalStateException.class, map::fd);
        assertThrows(IllegalStateException.class, program::fd);
        assertThrows(IllegalStateException.class, program::attach);
        assertTrue(map.toString().contains("closed"), map.toString());
        assertTrue(program.toString().contains("count_execve"), program.toString());
    }
}

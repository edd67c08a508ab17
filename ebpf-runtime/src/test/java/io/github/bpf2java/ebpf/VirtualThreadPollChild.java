package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The other process of {@link VirtualThreadPollTest}, run on Java 21+ with one carrier thread
 * ({@code -Djdk.virtualThreadScheduler.parallelism=1}): a virtual thread polls a ring buffer of the object at
 * {@code args[0]} while another virtual thread wants to run, a record is written, and the reader is closed. Prints
 * {@code OTHER RAN <bool>}, {@code RECEIVED <bool>}, {@code CLOSED <bool> <ms>}.
 */
public final class VirtualThreadPollChild {
    private VirtualThreadPollChild() {}

    public static void main(String[] args) throws Exception {
        ObjectSpec spec = ObjectSpec.read(Path.of(args[0]));
        CountDownLatch received = new CountDownLatch(1);
        try (BpfObject object = BpfObject.load(spec);
                RingBufferReader reader = RingBufferReader.open(object.map("second_ring"),
                        record -> received.countDown())) {
            Thread poller = startVirtual(() -> {
                try {
                    while (!reader.isClosed()) {
                        reader.poll(Duration.ofSeconds(10));
                    }
                } catch (IllegalStateException closedMeanwhile) {
                    // closed between isClosed() and poll()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(300); // the poller is waiting now

            CountDownLatch ran = new CountDownLatch(1);
            startVirtual(ran::countDown);
            System.out.println("OTHER RAN " + ran.await(3, TimeUnit.SECONDS));

            // emit(seq 1, 16 bytes, not discarded, to second_ring), from this platform thread.
            ByteBuffer context = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder())
                    .putLong(0, 1).putLong(8, 16).putLong(16, 0).putLong(24, 1);
            object.program("emit").testRun(TestRun.ofContext(context.array()));
            System.out.println("RECEIVED " + received.await(3, TimeUnit.SECONDS));

            long start = System.nanoTime();
            reader.close();
            poller.join(3000);
            System.out.println("CLOSED " + !poller.isAlive() + " " + (System.nanoTime() - start) / 1_000_000);
        }
    }

    // Thread.ofVirtual().start(task), looked up at run time: the tests compile for Java 17.
    private static Thread startVirtual(Runnable task) throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                .invoke(builder, task);
    }
}

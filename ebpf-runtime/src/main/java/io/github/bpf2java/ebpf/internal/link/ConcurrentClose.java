package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.internal.host.Threads;
import io.github.bpf2java.ebpf.internal.load.Closeables;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Closes many attachments at once on two threads, the caller's and one started for the purpose, and returns when all
 * are closed.
 *
 * <p>Why two: closing an attachment made through a perf event (tracepoint, kprobe, uprobe, USDT call site) blocks in
 * the kernel for RCU grace periods, about 60–70 ms for a tracepoint on Linux 6.18, part of it under a mutex all such
 * closes share and part not. Eight tracepoint links closed one after another took 560–600 ms; on two threads
 * 285–325 ms, on four or eight no less. Other attachments close in microseconds, and a thread costs about as much,
 * so a single resource is closed on the caller's thread alone.
 */
public final class ConcurrentClose {
    private ConcurrentClose() {}

    /**
     * Closes every one of {@code resources}, the first ones first as far as two threads allow, even when some fail;
     * then throws the first failure with the others suppressed. An interrupt does not cut the wait short: it is kept
     * for the caller.
     */
    public static void closeAll(List<? extends AutoCloseable> resources) {
        ConcurrentLinkedQueue<AutoCloseable> queue = new ConcurrentLinkedQueue<>(resources);
        List<Throwable> failures = new ArrayList<>();
        Runnable drain = () -> {
            for (AutoCloseable resource = queue.poll(); resource != null; resource = queue.poll()) {
                try {
                    resource.close();
                } catch (Exception | Error e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }
        };
        Thread helper = resources.size() > 1 ? startHelper(drain) : null;
        drain.run();
        if (helper != null) {
            Threads.joinUninterruptibly(helper);
        }
        // The helper has ended (joined): its failures are all in the list, and visible here.
        Closeables.throwFirst(failures);
    }

    /** A started thread running {@code drain}, or null when none can be started (the caller then closes all). */
    private static Thread startHelper(Runnable drain) {
        Thread thread = new Thread(drain, "bpf2java-close");
        thread.setDaemon(true);
        try {
            thread.start();
            return thread;
        } catch (OutOfMemoryError e) { // "unable to create native thread": closing must not fail for that
            return null;
        }
    }
}

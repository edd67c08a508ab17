package io.github.bpf2java.ebpf.internal.host;

/** Waiting for the runtime's own short-lived threads. */
public final class Threads {
    private Threads() {}

    /**
     * Waits until {@code thread} has ended, whatever interrupts arrive meanwhile, and keeps the interrupt for the
     * caller: for threads doing work the caller must see finished (a close, a task inside a namespace), which an
     * interrupt must not cut loose.
     */
    public static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.github.bpf2java.maven.compile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent tool invocations (clang compiles, header precompilations) on a bounded pool of daemon threads
 * and hands back their results in task order. One task's failure does not stop the others: each task reports its
 * own failures in its result, and only I/O errors and interruption end the whole run.
 */
public final class ParallelTasks {
    private ParallelTasks() {}

    /**
     * Runs {@code tasks}, at most {@code parallelism} at a time.
     *
     * @param what what the tasks do, for thread names and messages, e.g. {@code compiling eBPF sources}
     * @throws IOException when a task throws one, or the calling thread is interrupted
     */
    public static <T> List<T> run(List<? extends Callable<T>> tasks, int parallelism, String what)
            throws IOException {
        if (tasks.isEmpty()) {
            return List.of();
        }
        int threads = Math.max(1, Math.min(parallelism, tasks.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ebpf-" + what.replace(' ', '-'));
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(await(future, what));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T await(Future<T> future, String what) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(what + " failed unexpectedly", e.getCause());
        }
    }
}

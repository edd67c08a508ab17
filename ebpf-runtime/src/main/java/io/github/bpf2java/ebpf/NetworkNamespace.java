package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.host.Threads;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A network namespace other than the JVM's, to attach programs inside it: interface names and indices, XDP, tc and
 * tcx attachments, netfilter hooks, netlink and sockets are always those of the calling thread's namespace, so
 * {@link #call} runs its task on a thread of its own that has entered this namespace ({@code setns(2)}) and ends when
 * the task does. The JVM's other threads, the caller's included, stay where they are.
 *
 * <pre>{@code
 * try (NetworkNamespace blue = NetworkNamespace.named("blue")) {        // ip netns add blue
 *     BpfLink link = blue.call(() -> object.dropUdp().attachXdp("veth1"));
 * }
 * }</pre>
 *
 * <p>What the task creates belongs to the process, not to the thread: the link above stays attached inside the
 * namespace after the task and after {@code close()}, until it is closed, from any thread (or the namespace is
 * deleted, which deletes its interfaces and so detaches their programs; a legacy attachment, {@code attachTc} or XDP
 * {@code throughNetlink()}, keeps the netlink socket it detaches through, and with it the namespace, until it is
 * closed). Entering a namespace takes {@code CAP_SYS_ADMIN}.
 *
 * <p>This object holds a descriptor of the namespace, so the namespace lives at least as long as it, even when
 * {@code ip netns delete} removes its name meanwhile. Thread-safe: tasks may run from several threads at once, and
 * {@link #close()} from any thread lets tasks already entering finish.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    // ioctl(fd, NS_GET_NSTYPE): _IO(0xb7, 0x3) (linux/nsfs.h, Linux 4.11+); the CLONE_NEW* constant of fd's type.
    private static final long NS_GET_NSTYPE = 0xb703;
    private static final Map<Long, String> NAMESPACE_TYPES = Map.of(0x00020000L, "mount", 0x02000000L, "cgroup",
            0x04000000L, "UTS", 0x08000000L, "IPC", 0x10000000L, "user", 0x20000000L, "PID", 0x00000080L, "time");

    private final Path path;
    private final Fd fd;

    private NetworkNamespace(Path path, Fd fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens the network namespace {@code path} refers to: {@code /run/netns/<name>} (as {@code ip netns} names it),
     * {@code /proc/<pid>/ns/net} (a process's, e.g. a container's), or a file a namespace is bind-mounted on.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when {@code path} does not exist
     * @throws IllegalArgumentException                        when it is not a network namespace
     */
    public static NetworkNamespace open(Path path) {
        Objects.requireNonNull(path, "path");
        Fd fd;
        try {
            fd = Fd.open(path);
        } catch (NotFoundException e) {
            throw new NotFoundException("there is no network namespace at " + path, e.operation(), e.errno(),
                    path.toString(), "ip netns list shows the names under /run/netns; a process's namespace is "
                            + "/proc/<pid>/ns/net");
        }
        try {
            long type;
            try (Fd.Held held = fd.hold()) {
                type = Libc.ioctl(held.raw(), NS_GET_NSTYPE, 0);
            }
            if (type != CLONE_NEWNET) {
                String what = type < 0 ? "not a namespace" : "a " + NAMESPACE_TYPES.getOrDefault(type, "other")
                        + " namespace";
                throw new IllegalArgumentException("'" + path + "' is " + what + ", not a network namespace: open "
                        + "/run/netns/<name> (ip netns list shows the names) or /proc/<pid>/ns/net");
            }
            return new NetworkNamespace(path, fd);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /**
     * Opens the namespace {@code ip netns} calls {@code name}: {@code /run/netns/<name>}.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when there is none of that name
     */
    public static NetworkNamespace named(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a namespace name: ip netns list shows them");
        }
        return open(Path.of("/run/netns", name));
    }

    /** The namespace's descriptor, for attaching programs to it; the caller holds it while using the number. */
    Fd fd() {
        return fd;
    }

    /** The file the namespace was opened from. */
    public Path path() {
        return path;
    }

    /**
     * Work for {@link #call}: returns a result, and may throw a checked exception {@code E}, which {@code call} then
     * declares; for a lambda that throws none, {@code E} is inferred as {@link RuntimeException}.
     */
    @FunctionalInterface
    public interface Task<T, E extends Exception> {
        T call() throws E;
    }

    /** Work for {@link #run}: as {@link Task}, without a result. */
    @FunctionalInterface
    public interface Action<E extends Exception> {
        void run() throws E;
    }

    /**
     * Runs {@code task} on a new thread inside this namespace and returns its result, waiting for it even when the
     * calling thread is interrupted meanwhile (its interrupt status is kept), so that nothing the task creates is
     * left unowned. What the task throws is thrown here, checked exceptions included:
     *
     * <pre>{@code
     * DatagramChannel channel = namespace.call(() -> DatagramChannel.open().bind(address)); // throws IOException
     * }</pre>
     *
     * @throws E                                                 what the task throws
     * @throws io.github.bpf2java.ebpf.error.PermissionException when the process may not enter the namespace
     *                                                           ({@code CAP_SYS_ADMIN})
     * @throws IllegalStateException                             when this has been closed
     */
    public <T, E extends Exception> T call(Task<T, E> task) throws E {
        Objects.requireNonNull(task, "task");
        Inside<T> inside = new Inside<>(task);
        Thread thread = new Thread(inside, "bpf2java in network namespace " + path);
        thread.setDaemon(true);
        thread.start();
        Threads.joinUninterruptibly(thread);
        if (inside.failure instanceof RuntimeException e) {
            throw e;
        }
        if (inside.failure instanceof Error e) {
            throw e;
        }
        if (inside.failure != null) {
            // Only the task throws checked exceptions here (entering throws unchecked ones), and it declares E.
            @SuppressWarnings("unchecked")
            E checked = (E) inside.failure;
            throw checked;
        }
        return inside.result;
    }

    /** As {@link #call}, for a task without a result. */
    public <E extends Exception> void run(Action<E> task) throws E {
        Objects.requireNonNull(task, "task");
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Closes the descriptor; links attached inside stay. Later calls do nothing. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "network namespace " + path + (fd.isClosed() ? " (closed)" : "");
    }

    /** The new thread's work: enter, run, keep the outcome for the caller (who joins the thread first). */
    private final class Inside<T> implements Runnable {
        private final Task<T, ?> task;
        private T result;
        private Throwable failure;

        Inside(Task<T, ?> task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                enter();
                result = task.call();
            } catch (Throwable e) { // handed to the caller, who rethrows it
                failure = e;
            }
        }

        private void enter() {
            long done;
            try (Fd.Held held = fd.hold()) {
                done = Libc.setns(held.raw(), CLONE_NEWNET);
            }
            if (done < 0) {
                throw enterFailed((int) -done);
            }
        }
    }

    private KernelException enterFailed(int errno) {
        return KernelErrors.forErrno("setns(CLONE_NEWNET)", errno, "network namespace " + path,
                "entering a network namespace takes CAP_SYS_ADMIN");
    }
}

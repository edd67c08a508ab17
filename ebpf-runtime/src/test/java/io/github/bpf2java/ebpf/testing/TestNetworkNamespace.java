package io.github.bpf2java.ebpf.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace a test creates with {@code ip netns add}, optionally joined to the host's by a veth pair, and
 * removes again on close (which also removes the veth pair). Code runs inside it on a thread of its own that joined
 * it with {@code setns(2)}: sockets that thread opens, interfaces it names and netfilter hooks it attaches to are the
 * namespace's. Names carry the test's pid, so concurrent runs do not collide.
 *
 * <pre>{@code
 * try (TestNetworkNamespace ns = TestNetworkNamespace.create("xdp")) {
 *     TestNetworkNamespace.Veth veth = ns.veth();                   // host side veth.hostName() <-> ns side
 *     ns.run(() -> { ... DatagramChannel.open() ... });           // inside the namespace
 * }
 * }</pre>
 */
public final class TestNetworkNamespace implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static int counter;

    private final String name;
    private final String tag;
    private final ExecutorService inside;
    private Veth veth;

    /** A veth pair: {@code hostName} in the host namespace at {@code hostAddress}, its peer inside. */
    public record Veth(String hostName, String hostAddress, String peerName, String peerAddress) {}

    /** The C library calls that join a namespace; tests may call JNA directly, the runtime's rule is for main. */
    interface NamespaceCalls extends Library {
        int open(String path, int flags);

        int setns(int fd, int nstype);

        int close(int fd);
    }

    private TestNetworkNamespace(String name, String tag) {
        this.name = name;
        this.tag = tag;
        this.inside = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns " + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates a namespace named after {@code label} and this process, with its loopback up. */
    public static TestNetworkNamespace create(String label) {
        KernelSupport.assumeRoot();
        KernelSupport.assumeTool("ip");
        int n;
        synchronized (TestNetworkNamespace.class) {
            n = ++counter;
        }
        String tag = ProcessHandle.current().pid() + "" + (char) ('a' + n % 26);
        TestNetworkNamespace ns = new TestNetworkNamespace("bpf2java-" + label + "-" + tag, tag);
        ip("netns", "add", ns.name);
        try {
            ns.ipInside("link", "set", "lo", "up");
            ns.joinNamespaceOnItsThread();
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The namespace's name, as {@code ip netns} lists it. */
    public String name() {
        return name;
    }

    /** The file that refers to the namespace, for {@code attachNetworkNamespace}. */
    public Path path() {
        return Path.of("/run/netns", name);
    }

    /**
     * Adds a veth pair between the host and this namespace, both ends up, on a /24 of 10.x.y.0 private to this
     * namespace (the host end .1, the namespace end .2).
     */
    public Veth veth() {
        if (veth != null) {
            return veth;
        }
        int subnet = (int) (ProcessHandle.current().pid() % 250) + 1;
        int third;
        synchronized (TestNetworkNamespace.class) {
            third = ++counter % 250 + 1;
        }
        Veth v = new Veth("b2j" + tag + "h", "10." + subnet + "." + third + ".1", "b2j" + tag + "n",
                "10." + subnet + "." + third + ".2");
        ip("link", "add", v.hostName(), "type", "veth", "peer", "name", v.peerName(), "netns", name);
        ip("addr", "add", v.hostAddress() + "/24", "dev", v.hostName());
        ip("link", "set", v.hostName(), "up");
        ip("-n", name, "addr", "add", v.peerAddress() + "/24", "dev", v.peerName());
        ip("-n", name, "link", "set", v.peerName(), "up");
        veth = v;
        return v;
    }

    /** Runs {@code task} on this namespace's thread and returns its result; its exceptions are rethrown. */
    public <T> T run(Callable<T> task) throws Exception {
        Future<T> result = inside.submit(task);
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Runs {@code ip -n <name> args...}. */
    public String ipInside(String... args) {
        List<String> command = new ArrayList<>(List.of("-n", name));
        command.addAll(List.of(args));
        return ip(command.toArray(String[]::new));
    }

    /** Writes {@code value} to a sysctl of this namespace, e.g. {@code net/ipv4/tcp_congestion_control}. */
    public void sysctl(String key, String value) throws Exception {
        run(() -> {
            // The net sysctls a thread opens are those of its network namespace.
            try (RandomAccessFile out = new RandomAccessFile("/proc/sys/" + key, "rw")) {
                out.write(value.getBytes(StandardCharsets.US_ASCII));
            }
            return null;
        });
    }

    /** Runs the {@code ip} command with {@code args} and returns its output; fails the test when it fails. */
    public static String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        return run(command);
    }

    /** Runs {@code command}, failing the test when it exits non-zero. */
    public static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " timed out");
            }
            assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void joinNamespaceOnItsThread() {
        AtomicReference<String> failure = new AtomicReference<>();
        try {
            inside.submit(() -> {
                NamespaceCalls libc = Native.load("c", NamespaceCalls.class);
                int fd = libc.open(path().toString(), O_RDONLY_CLOEXEC);
                if (fd < 0) {
                    failure.set("open(" + path() + ") failed: errno " + Native.getLastError());
                } else {
                    if (libc.setns(fd, CLONE_NEWNET) != 0) {
                        failure.set("setns(" + path() + ") failed: errno " + Native.getLastError());
                    }
                    libc.close(fd);
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot join " + name, e);
        }
        if (failure.get() != null) {
            fail(failure.get());
        }
    }

    /** Deletes the namespace and with it the veth pair; the namespace's thread ends. */
    @Override
    public void close() {
        inside.shutdownNow();
        if (Files.exists(path())) {
            ip("netns", "del", name);
        }
    }
}

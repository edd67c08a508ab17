package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NetworkNamespace} on real namespaces: where its tasks run, what it refuses and how. Attaching inside one is
 * in {@code NetworkAttachTest}.
 */
class NetworkNamespaceTest {
    @Test
    void aTaskRunsInsideTheNamespaceAndTheCallerStaysWhereItWas() throws Exception {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("enter");
                NetworkNamespace inside = NetworkNamespace.named(ns.name())) {
            String target = namespaceOf(ns.path());
            String caller = namespaceOf(Path.of("/proc/thread-self/ns/net"));
            assertNotEquals(caller, target);
            assertEquals(target, inside.call(() -> namespaceOf(Path.of("/proc/thread-self/ns/net"))));
            assertEquals(caller, namespaceOf(Path.of("/proc/thread-self/ns/net")), "the caller did not move");
            assertEquals(ns.path(), inside.path());
            assertTrue(inside.toString().contains(ns.name()), inside.toString());
        }
    }

    @Test
    void whatTheTaskThrowsIsThrownToTheCaller() throws Exception {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("throw");
                NetworkNamespace inside = NetworkNamespace.open(ns.path())) {
            IllegalStateException failure = new IllegalStateException("from inside");
            assertSame(failure, assertThrows(IllegalStateException.class, () -> inside.run(() -> {
                throw failure;
            })));
            AssertionError error = new AssertionError("an error too");
            assertSame(error, assertThrows(AssertionError.class, () -> inside.run(() -> {
                throw error;
            })));
            // A checked exception passes through as itself: the task declares it, and so does call().
            IOException checked = new IOException("a socket inside failed");
            assertSame(checked, assertThrows(IOException.class, () -> inside.call(() -> {
                if (checked != null) {
                    throw checked;
                }
                return "unreached";
            })));
            try (DatagramChannel channel = inside.call(() -> DatagramChannel.open().bind(
                    new InetSocketAddress("127.0.0.1", 0)))) {
                assertTrue(channel.isOpen(), "a task throwing IOException needs no wrapping");
            }
        }
    }

    @Test
    void anInterruptedCallerWaitsForTheTaskAndKeepsItsInterrupt() throws Exception {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("interrupt");
                NetworkNamespace inside = NetworkNamespace.open(ns.path())) {
            AtomicBoolean finished = new AtomicBoolean();
            Thread caller = Thread.currentThread();
            String result = inside.call(() -> {
                caller.interrupt();
                sleep(200);
                finished.set(true);
                return "done";
            });
            assertEquals("done", result);
            assertTrue(finished.get(), "call() returned only after the task had finished");
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
        }
    }

    @Test
    void aClosedNamespaceRunsNothing() throws Exception {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("closed")) {
            NetworkNamespace inside = NetworkNamespace.open(ns.path());
            inside.close();
            inside.close();
            AtomicBoolean ran = new AtomicBoolean();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> inside.run(() -> ran.set(true)));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
            assertFalse(ran.get(), "the task did not run");
            assertTrue(inside.toString().endsWith("(closed)"), inside.toString());
        }
    }

    @Test
    void whatIsNotANetworkNamespaceIsRefusedWithWhatItIs(@TempDir Path dir) throws Exception {
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> NetworkNamespace.named("bpf2java-no-such-namespace"));
        assertTrue(missing.getMessage().startsWith("there is no network namespace at "
                + "/run/netns/bpf2java-no-such-namespace"), missing.getMessage());
        assertTrue(missing.hint().orElse("").contains("ip netns list"), missing.getMessage());

        Path file = Files.writeString(dir.resolve("plain"), "not a namespace");
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> NetworkNamespace.open(file));
        assertTrue(plain.getMessage().contains("is not a namespace, not a network namespace"), plain.getMessage());

        IllegalArgumentException mount = assertThrows(IllegalArgumentException.class,
                () -> NetworkNamespace.open(Path.of("/proc/self/ns/mnt")));
        assertTrue(mount.getMessage().contains("is a mount namespace"), mount.getMessage());
        assertTrue(mount.getMessage().contains("/proc/<pid>/ns/net"), mount.getMessage());

        for (String name : new String[] {"", "..", "a/b"}) {
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> NetworkNamespace.named(name));
            assertTrue(bad.getMessage().contains("ip netns list"), bad.getMessage());
        }
    }

    /** The namespace a namespace file refers to, as {@code net:[inode]}. */
    private static String namespaceOf(Path file) {
        try {
            return "net:[" + Files.getAttribute(file, "unix:ino") + "]";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException("the task's own thread was interrupted", e);
        }
    }
}

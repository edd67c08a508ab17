package io.github.bpf2java.examples.xdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.NetworkNamespace;
import io.github.bpf2java.ebpf.TypedMap;
import io.github.bpf2java.ebpf.codec.NetworkOrder;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RequiresTool;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The program attached to one end of a veth pair whose other end is in a network namespace of the test's own: what
 * the namespace sends to the host arrives on the host end, so every packet the program sees is one the test sent,
 * from an address the test chose.
 */
class XdpTest {
    private static final String HOST_ADDRESS = "10.201.0.1";
    private static final String PEER_ADDRESS = "10.201.0.2";
    private static final int DATAGRAMS = 5;
    // Unique per run and per test: a deleted namespace takes its interfaces down asynchronously, so a name reused at
    // once could still be taken. Interface names have at most 15 characters (pids at most 7 digits).
    private static final AtomicInteger TESTS = new AtomicInteger();

    private final int test = TESTS.incrementAndGet();
    private final String namespace = "bpf2java-xdp-" + ProcessHandle.current().pid() + "-" + test;
    private final String hostEnd = "xdp" + ProcessHandle.current().pid() + "h" + test;
    private final String peerEnd = "xdp" + ProcessHandle.current().pid() + "p" + test;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private boolean created;

    @AfterEach
    void deleteTheNamespace() throws Exception {
        if (created) {
            // Deleting the host end deletes its peer at once; deleting the namespace would too, but asynchronously.
            ip(false, "link", "delete", hostEnd);
            ip(true, "netns", "delete", namespace);
        }
    }

    @Test
    @RequiresCapability({Capability.SYS_ADMIN, Capability.NET_ADMIN})
    @RequiresTool("ip")
    void countsTheDatagramsFromTheNamespaceBySourceAddress() throws Exception {
        createVethPair();
        Inet4Address peer = address(PEER_ADDRESS);
        try (Xdp xdp = Xdp.load();
                DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(HOST_ADDRESS, 0))) {
            xdp.countPackets().attachXdp(hostEnd);
            receiver.setSoTimeout(5000);
            sendFromNamespace(receiver.getLocalPort(), DATAGRAMS);

            // XDP_PASS: the kernel still delivers every datagram the program counted.
            for (int i = 0; i < DATAGRAMS; i++) {
                receiver.receive(new DatagramPacket(new byte[64], 64));
            }
            TypedMap<Integer, Integer> packetsBySource = xdp.packetsBySource();
            int key = NetworkOrder.fromInet4Address(peer);
            long packets = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (packets < DATAGRAMS && System.nanoTime() < deadline) {
                packets = Integer.toUnsignedLong(packetsBySource.get(key).orElse(0));
                Thread.sleep(50);
            }
            assertTrue(packets >= DATAGRAMS, packets + " packets counted from " + PEER_ADDRESS + "; the map holds "
                    + XdpMain.sources(packetsBySource));
            assertTrue(XdpMain.sources(packetsBySource).stream().anyMatch(s -> s.address().equals(peer)),
                    "the key, read back, is the peer's address");
        }
    }

    @Test
    @RequiresCapability({Capability.SYS_ADMIN, Capability.NET_ADMIN})
    @RequiresTool("ip")
    void theMainPrintsTheNamespacesAddress() throws Exception {
        createVethPair();
        AtomicBoolean stop = new AtomicBoolean();
        // Sends until the main returns: the main attaches only after loading, and counts only what arrives later.
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                try {
                    sendFromNamespace(9, 1); // the discard port: the host answers port unreachable, which is fine
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sleep(100);
            }
        });
        int status;
        try {
            status = XdpMain.run(new String[] {hostEnd, "2"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            stop.set(true);
        }
        sending.get(30, TimeUnit.SECONDS);

        assertEquals(0, status, text(err));
        String printed = text(out);
        assertTrue(printed.startsWith("Counting IPv4 packets arriving on " + hostEnd
                + " by source address for 2 s; Ctrl-C stops early.\n"), printed);
        assertTrue(Pattern.compile("^  10\\.201\\.0\\.2 +[1-9]\\d*$", Pattern.MULTILINE).matcher(printed).find(),
                "no count for " + PEER_ADDRESS + ":\n" + printed);
        assertTrue(printed.endsWith("Stopped after 2 s; detaching from " + hostEnd + ".\n"), printed);
        assertEquals("", text(err));
    }

    @Test
    void withoutAnInterfaceTheMainPrintsItsUsage() {
        assertEquals(2, XdpMain.run(new String[0], new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(text(err).startsWith("expected the name of a network interface, e.g. eth0\n"
                + "usage: java -jar xdp.jar <interface> [seconds]"), text(err));
        assertEquals("", text(out));
    }

    @Test
    @RequiresCapability(Capability.SYS_ADMIN)
    void aMissingInterfaceIsAnError() {
        assertEquals(1, XdpMain.run(new String[] {hostEnd, "1"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(text(err).startsWith("error: ") && text(err).contains("'" + hostEnd + "'"), text(err));
        assertEquals("", text(out));
    }

    /** The veth pair: host end with {@value #HOST_ADDRESS}/30 here, peer end with {@value #PEER_ADDRESS}/30 inside. */
    private void createVethPair() throws Exception {
        ip(true, "netns", "add", namespace);
        created = true;
        ip(true, "link", "add", hostEnd, "type", "veth", "peer", "name", peerEnd, "netns", namespace);
        ip(true, "address", "add", HOST_ADDRESS + "/30", "dev", hostEnd);
        ip(true, "link", "set", hostEnd, "up");
        ip(true, "-n", namespace, "address", "add", PEER_ADDRESS + "/30", "dev", peerEnd);
        ip(true, "-n", namespace, "link", "set", peerEnd, "up");
    }

    /**
     * Sends {@code count} datagrams from inside the namespace to {@code port} of the host end. The socket belongs to
     * the namespace its thread was in when it was made: {@link NetworkNamespace#run} makes it on a thread inside.
     */
    private void sendFromNamespace(int port, int count) throws IOException {
        try (NetworkNamespace inside = NetworkNamespace.named(namespace)) {
            inside.run(() -> {
                try (DatagramChannel channel = DatagramChannel.open()) {
                    InetSocketAddress host = new InetSocketAddress(HOST_ADDRESS, port);
                    for (int i = 0; i < count; i++) {
                        channel.send(ByteBuffer.wrap(("packet " + i).getBytes(StandardCharsets.US_ASCII)), host);
                    }
                }
            });
        }
    }

    private static void ip(boolean mustSucceed, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ip.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        if (mustSucceed) {
            assertEquals(0, ip.exitValue(), String.join(" ", command) + ": " + output);
        }
    }

    private static Inet4Address address(String text) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByName(text);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

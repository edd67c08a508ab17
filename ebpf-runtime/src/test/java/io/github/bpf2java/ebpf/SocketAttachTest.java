package io.github.bpf2java.ebpf;

import static io.github.bpf2java.ebpf.NetworkAttachTest.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.attach.NetfilterOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.Datagrams;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.net.ConnectException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Programs on sockets and what routes to them: a socket filter on a Java {@link DatagramChannel}, sk_lookup steering
 * connections to a socket in a sockmap, sk_msg on a sockmap, sk_reuseport choosing among a group's listeners, a
 * netfilter hook and a flow dissector of a network namespace the test creates.
 */
class SocketAttachTest {
    private static final int STEER_PORT = 7007;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
    }

    @Test
    void socketMapRefusalsSayWhatTheKernelTakes() throws Exception {
        MapSpec spec = MapSpec.builder("socks", MapSpec.MapKind.BTF_DEFINED, MapType.SOCKMAP).keySize(4)
                .valueSize(4).maxEntries(4).build();
        try (BpfMap sockets = BpfMap.create(spec);
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept();
                SocketChannel bound = SocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            sockets.putSocket(key(0), client);
            KernelException lookup = assertThrows(KernelException.class, () -> sockets.lookup(key(0)));
            assertTrue(lookup.hint().orElse("").contains("returns the socket's cookie (a __u64), and only when the "
                    + "map's value is 8 bytes"), lookup.getMessage());
            KernelException unconnected = assertThrows(KernelException.class, () -> sockets.putSocket(key(1), bound));
            assertTrue(unconnected.hint().orElse("").contains("TCP sockets that are connected or listening"),
                    unconnected.getMessage());
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void socketFilterOnADatagramChannelDropsWhatItRefuses() throws Exception {
        try (BpfObject object = load("socket_drop_d");
                DatagramChannel receiver = Datagrams.bind("127.0.0.1")) {
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            try (BpfLink link = object.program("socket_drop_d").attachSocketFilter(receiver)) {
                Datagrams.send(to, "Drop me", "keep me");
                assertEquals(List.of("keep me"), Datagrams.receive(receiver, 1, 5000));
                assertEquals(List.of(), Datagrams.receive(receiver, 0, 300));
                assertEquals(2, counter(object, 2), "the filter saw both datagrams");
            }
            Datagrams.send(to, "Dropped no more");
            assertEquals(List.of("Dropped no more"), Datagrams.receive(receiver, 1, 5000), "closing detached it");
            assertEquals(2, counter(object, 2));
        }
    }

    @Test
    void socketFilterByDescriptorOutlivesTheCallersDescriptor() throws Exception {
        try (BpfObject object = load("socket_drop_d");
                DatagramChannel receiver = Datagrams.bind("127.0.0.1")) {
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            BpfLink link;
            try (Fd own = ChannelSockets.duplicate(receiver); Fd.Held raw = own.hold()) {
                link = object.program("socket_drop_d").attachSocketFilter(raw.raw());
            }
            try (link) {
                Datagrams.send(to, "Dropped", "kept");
                assertEquals(List.of("kept"), Datagrams.receive(receiver, 1, 5000));
            }
        }
    }

    @Test
    void socketFilterOnAnUnboundChannelSaysToBindIt() throws Exception {
        try (BpfObject object = load("socket_drop_d"); DatagramChannel unbound = DatagramChannel.open()) {
            BpfException e = assertThrows(BpfException.class,
                    () -> object.program("socket_drop_d").attachSocketFilter(unbound));
            assertTrue(e.hint().orElse("").contains("bind"), e.getMessage());
            assertTrue(e.getMessage().startsWith("the DatagramChannel is not bound"), e.getMessage());
        }
    }

    @Test
    void skLookupSteersConnectionsToTheSocketInItsMap() throws Exception {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("sklookup"); BpfObject object = load("steer")) {
            try (ServerSocketChannel server = ns.run(() -> ServerSocketChannel.open()
                    .bind(new InetSocketAddress("127.0.0.1", 0)))) {
                object.map("sockets").putSocket(key(0), server);
                try (BpfLink link = object.program("steer").attachNetworkNamespace(ns.path())) {
                    assertEquals(Optional.of(LinkType.NETNS), link.info().type());
                    String echoed = ns.run(() -> {
                        try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1",
                                STEER_PORT)); SocketChannel accepted = server.accept()) {
                            assertEquals(STEER_PORT, ((InetSocketAddress) accepted.getLocalAddress()).getPort(),
                                    "the listener took a connection to the steered port");
                            client.write(StandardCharsets.UTF_8.encode("steered"));
                            ByteBuffer in = ByteBuffer.allocate(16);
                            accepted.read(in);
                            return new String(in.array(), 0, in.position(), StandardCharsets.UTF_8);
                        }
                    });
                    assertEquals("steered", echoed);
                    assertEquals(1, counter(object, 3));
                }
                assertThrows(ConnectException.class, () -> ns.run(() -> SocketChannel.open(
                        new InetSocketAddress("127.0.0.1", STEER_PORT))), "without the program nothing listens");
            }
        }
    }

    @Test
    void skMsgOnASockmapSeesWhatItsSocketsSend() throws Exception {
        try (BpfObject object = load("msg_count");
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress());
                SocketChannel accepted = server.accept()) {
            try (BpfLink link = object.program("msg_count").attachSocketMap(object.map("msg_sockets"))) {
                if (KernelVersion.running().atLeast(KernelVersion.of(6, 10))) {
                    assertEquals(Optional.of(LinkType.SOCKMAP), link.info().type(), "a sockmap bpf_link");
                    assertEquals(new LinkTarget.SocketMap(object.map("msg_sockets").id(),
                            AttachType.SK_MSG_VERDICT.value()), link.info().target(), "which map, which hook");
                } else {
                    assertThrows(NotSupportedException.class, link::info, "attached to the map, no bpf_link");
                }
                KernelException second = assertThrows(KernelException.class,
                        () -> object.program("msg_count").attachSocketMap(object.map("msg_sockets")));
                assertTrue(second.hint().orElse("").contains("one SK_MSG_VERDICT program at a time"),
                        second.getMessage());
                BpfException notASockmap = assertThrows(BpfException.class,
                        () -> object.program("msg_count").attachSocketMap(object.map("counts")));
                assertTrue(notASockmap.getMessage().contains("SOCKMAP and SOCKHASH"), notASockmap.getMessage());
                object.map("msg_sockets").putSocket(key(0), client);
                client.write(StandardCharsets.UTF_8.encode("one"));
                ByteBuffer in = ByteBuffer.allocate(16);
                accepted.read(in);
                assertEquals("one", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
                assertEquals(1, counter(object, 5), "the verdict program saw the message");
                object.map("msg_sockets").delete(key(0));
            }
        }
    }

    @Test
    void skReuseportHandsEachConnectionToTheListenerItPicks() throws Exception {
        try (BpfObject object = load("reuseport_pick"); ServerSocketChannel first = reusePortListener(0)) {
            int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
            try (ServerSocketChannel second = reusePortListener(port);
                    ServerSocketChannel third = reusePortListener(port)) {
                List<ServerSocketChannel> group = List.of(first, second, third);
                for (int i = 0; i < group.size(); i++) {
                    // One address for all three: each channel's own socket must be found.
                    object.map("reuseport_group").putSocket(i, group.get(i));
                }
                assertTrue(first.getOption(StandardSocketOptions.SO_REUSEADDR), "SO_REUSEADDR is as it was");
                IllegalArgumentException beyond = assertThrows(IllegalArgumentException.class,
                        () -> object.map("reuseport_group").putSocket(4, first));
                assertTrue(beyond.getMessage().contains("index 4 is out of range"), beyond.getMessage());
                object.map("counts").update(key(6), word(2), BpfMap.UpdateFlag.ANY);
                try (BpfLink link = object.program("reuseport_pick").attachReuseport(second)) {
                    assertEquals(List.of(0, 0, 4), acceptedBy(group, port, 4));
                    object.map("counts").update(key(6), word(0), BpfMap.UpdateFlag.ANY);
                    assertEquals(List.of(3, 0, 0), acceptedBy(group, port, 3));
                    assertEquals(7, counter(object, 7), "the program placed every connection");
                }
                assertEquals(3, acceptedBy(group, port, 3).stream().mapToInt(Integer::intValue).sum());
                assertEquals(7, counter(object, 7), "closing the link detached the group's program");
            }
        }
    }

    @Test
    void skReuseportOnASocketWithoutSoReuseportSaysToSetIt() throws Exception {
        try (BpfObject object = load("reuseport_pick");
                ServerSocketChannel plain = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            KernelException attach = assertThrows(KernelException.class,
                    () -> object.program("reuseport_pick").attachReuseport(plain));
            assertTrue(attach.hint().orElse("").contains("SO_REUSEPORT"), attach.getMessage());
            KernelException put = assertThrows(KernelException.class,
                    () -> object.map("reuseport_group").putSocket(0, plain));
            assertTrue(put.hint().orElse("").contains("SO_REUSEPORT"), put.getMessage());
            BpfException wrongType = assertThrows(BpfException.class,
                    () -> object.program("reuseport_pick").attachSocketFilter(plain));
            assertTrue(wrongType.getMessage().contains("attachReuseport"), wrongType.getMessage());
        }
    }

    @Test
    void netfilterCountsWhatLeavesTheNamespaceItWasAttachedIn() throws Exception {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("nf"); BpfObject object = load("netfilter_count")) {
            // A receiver, so no ICMP "port unreachable" leaves through the hook as well.
            DatagramChannel receiver = ns.run(() -> Datagrams.bind("127.0.0.1"));
            try (receiver) {
                InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
                BpfLink link = ns.run(() -> object.program("netfilter_count").attachNetfilter(NetfilterOptions.of(
                        NetfilterOptions.Family.IPV4, NetfilterOptions.Hook.LOCAL_OUT, -128)));
                try (link) {
                    assertEquals(Optional.of(LinkType.NETFILTER), link.info().type());
                    ns.run(() -> {
                        Datagrams.send(to, "a", "b", "c");
                        return null;
                    });
                    assertEquals(3, Datagrams.receive(receiver, 3, 5000).size());
                    assertEquals(3, counter(object, 4), "three datagrams left through LOCAL_OUT in the namespace");
                }
                ns.run(() -> {
                    Datagrams.send(to, "d");
                    return null;
                });
                assertEquals(1, Datagrams.receive(receiver, 1, 5000).size());
                assertEquals(3, counter(object, 4), "closing the link detached it");
            }
        }
    }

    @Test
    void flowDissectorIsOnePerNamespace() throws Exception {
        try (TestNetworkNamespace ns = TestNetworkNamespace.create("flow"); BpfObject object = load("dissect")) {
            try (BpfLink link = object.program("dissect").attachNetworkNamespace(ns.path())) {
                assertTrue(link.description().contains("FLOW_DISSECTOR"), link.description());
                KernelException second = assertThrows(KernelException.class,
                        () -> object.program("dissect").attachNetworkNamespace(ns.path()));
                assertTrue(second.hint().orElse("").contains("one FLOW_DISSECTOR program at a time"),
                        second.getMessage());
            }
            object.program("dissect").attachNetworkNamespace(ns.path()).close();
            // The link keeps the namespace, not the object it was attached through.
            BpfLink kept;
            try (NetworkNamespace opened = NetworkNamespace.open(ns.path())) {
                kept = object.program("dissect").attachNetworkNamespace(opened);
            }
            try (kept) {
                KernelException second = assertThrows(KernelException.class,
                        () -> object.program("dissect").attachNetworkNamespace(ns.path()));
                assertTrue(second.hint().orElse("").contains("one FLOW_DISSECTOR program at a time"),
                        second.getMessage());
            }
        }
    }

    @Test
    void aPathThatIsNotANetworkNamespaceIsRefusedAsSuch() {
        try (BpfObject object = load("dissect")) {
            IllegalArgumentException mount = assertThrows(IllegalArgumentException.class,
                    () -> object.program("dissect").attachNetworkNamespace(Path.of("/proc/self/ns/mnt")));
            assertTrue(mount.getMessage().contains("is a mount namespace, not a network namespace"),
                    mount.getMessage());
            IllegalArgumentException file = assertThrows(IllegalArgumentException.class,
                    () -> object.program("dissect").attachNetworkNamespace(Path.of("/proc/self/status")));
            assertTrue(file.getMessage().contains("is not a namespace"), file.getMessage());
        }
    }

    private static BpfObject load(String program) {
        return BpfObject.load(BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0)),
                LoadOptions.builder()
                        .constant("steer_port", ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                                .putShort(0, (short) STEER_PORT).array())
                        .programs(Set.of(program)).build());
    }

    private static ServerSocketChannel reusePortListener(int port) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            channel.bind(new InetSocketAddress("127.0.0.1", port));
            channel.configureBlocking(false);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Makes {@code count} connections to {@code port}, one at a time: how many each listener of the group took. */
    private static List<Integer> acceptedBy(List<ServerSocketChannel> group, int port, int count) throws Exception {
        int[] accepted = new int[group.size()];
        for (int i = 0; i < count; i++) {
            try (SocketChannel client = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
                // The handshake is done; the connection reaches its listener's queue as loopback delivers the ACK.
                long deadline = System.nanoTime() + 5_000_000_000L;
                boolean taken = false;
                while (!taken && System.nanoTime() < deadline) {
                    for (int j = 0; j < group.size() && !taken; j++) {
                        try (SocketChannel connection = group.get(j).accept()) {
                            if (connection != null) {
                                accepted[j]++;
                                taken = true;
                            }
                        }
                    }
                    if (!taken) {
                        Thread.sleep(1);
                    }
                }
                assertTrue(taken, "no listener accepted connection " + i);
            }
        }
        return Arrays.stream(accepted).boxed().toList();
    }

    private static byte[] word(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value).array();
    }

    private static byte[] key(int index) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, index).array();
    }
}

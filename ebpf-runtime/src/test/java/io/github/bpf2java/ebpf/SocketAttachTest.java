package io.github.bpf2java.ebpf;

import static io.github.bpf2java.ebpf.NetworkAttachTest.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.attach.NetfilterOptions;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.Datagrams;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Programs on sockets and what routes to them: a socket filter on a Java {@link DatagramChannel}, sk_lookup steering
 * connections to a socket in a sockmap, sk_msg on a sockmap, a netfilter hook and a flow dissector of a network
 * namespace the test creates.
 */
class SocketAttachTest {
    private static final int STEER_PORT = 7007;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
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
                } else {
                    assertThrows(NotSupportedException.class, link::info, "attached to the map, no bpf_link");
                }
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
        }
    }

    private static BpfObject load(String program) {
        return BpfObject.load(BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0)),
                LoadOptions.builder()
                        .constant("steer_port", ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                                .putShort(0, (short) STEER_PORT).array())
                        .programs(Set.of(program)).build());
    }

    private static byte[] key(int index) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, index).array();
    }
}

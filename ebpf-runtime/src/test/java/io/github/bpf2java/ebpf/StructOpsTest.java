package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TCP congestion control written in BPF ({@code src/test/bpf/tcp_cc.c}) registered as a struct_ops, selected for
 * one socket with {@code setsockopt(TCP_CONGESTION)} inside a network namespace the test creates, and used by that
 * socket's connection: its {@code init} and {@code cong_avoid} programs count their calls. Never a sched_ext
 * scheduler: that would replace the machine's scheduler.
 */
class StructOpsTest {
    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_CONGESTION = 13;
    private static final int BULK = 4 << 20;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
    }

    @Test
    void bpfCongestionControlRegisteredByALinkRunsForTheSocketThatSelectsIt() throws Exception {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("tcp_cc",
                BpfFixtures.installedCompilers().get(0)))) {
            try (BpfLink link = object.attachStructOps("b2j_reno");
                    TestNetworkNamespace ns = TestNetworkNamespace.create("tcpcc")) {
                assertTrue(available().contains("bpf2java_reno"), available());
                assertEquals(Optional.of(LinkType.STRUCT_OPS), link.info().type());
                String used = ns.run(() -> transferWith("bpf2java_reno"));
                assertEquals("bpf2java_reno", used, "getsockopt(TCP_CONGESTION) names the BPF congestion control");
                assertTrue(counter(object, "inits") >= 1, "init ran for the connection");
                assertTrue(counter(object, "cong_avoids") >= 1, "cong_avoid ran on acknowledgements: "
                        + counter(object, "cong_avoids"));
            }
            assertFalse(available().contains("bpf2java_reno"), "closing the link unregistered it: " + available());
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void aSecondRegistrationOfTheSameNameIsBusyAndSaysWhy() throws Exception {
        try (BpfObject first = BpfObject.load(BpfFixtures.hostSpec("tcp_cc",
                BpfFixtures.installedCompilers().get(0)));
                BpfObject second = BpfObject.load(BpfFixtures.hostSpec("tcp_cc",
                        BpfFixtures.installedCompilers().get(0)))) {
            try (BpfLink registered = first.attachStructOps("b2j_reno")) {
                BusyException taken = assertThrows(BusyException.class, () -> second.attachStructOps("b2j_reno"));
                assertTrue(taken.hint().orElse("").contains("a struct_ops of the same name is registered already"),
                        taken.getMessage());
            }
            assertFalse(available().contains("bpf2java_reno"), available());
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void structOpsMapOfTheOldKindIsRegisteredByItsUpdateAndUnregisteredOnClose() throws Exception {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("tcp_cc",
                BpfFixtures.installedCompilers().get(0)))) {
            BpfException bySection = assertThrows(BpfException.class, () -> object.program("b2j_init").attach());
            assertTrue(bySection.hint().orElse("").contains("attachStructOps"), bySection.getMessage());
            try (BpfLink registration = object.attachStructOps("b2j_reno_old")) {
                assertTrue(available().contains("bpf2java_reno_o"), available());
            }
            assertFalse(available().contains("bpf2java_reno_o"), available());
        }
    }

    /** Connects over loopback with {@code congestion} set on the client socket, sends {@link #BULK} bytes. */
    private static String transferWith(String congestion) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            String chosen;
            try (Fd socket = ChannelSockets.duplicate(client)) {
                setCongestion(socket, congestion);
                chosen = congestion(socket);
            }
            client.connect(server.getLocalAddress());
            try (SocketChannel accepted = server.accept()) {
                Thread writer = new Thread(() -> {
                    try {
                        ByteBuffer out = ByteBuffer.allocate(BULK);
                        while (out.hasRemaining()) {
                            client.write(out);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                writer.start();
                ByteBuffer in = ByteBuffer.allocate(64 * 1024);
                long total = 0;
                while (total < BULK) {
                    in.clear();
                    total += accepted.read(in);
                }
                writer.join();
            }
            return chosen;
        }
    }

    private static void setCongestion(Fd socket, String name) {
        try (NativeBuffer value = NativeBuffer.cString(name); Fd.Held raw = socket.hold()) {
            long result = Libc.setsockopt(raw.raw(), IPPROTO_TCP, TCP_CONGESTION, value.address(),
                    name.getBytes(StandardCharsets.US_ASCII).length);
            assertEquals(0, result, "setsockopt(TCP_CONGESTION, " + name + ")");
        }
    }

    private static String congestion(Fd socket) {
        try (NativeBuffer value = new NativeBuffer(16); NativeBuffer length = new NativeBuffer(4);
                Fd.Held raw = socket.hold()) {
            length.putInt(0, 16);
            assertEquals(0, Libc.getsockopt(raw.raw(), IPPROTO_TCP, TCP_CONGESTION, value.address(),
                    length.address()));
            return value.getCString(0, 16);
        }
    }

    private static String available() throws Exception {
        return Files.readString(AVAILABLE).trim();
    }

    private static long counter(BpfObject object, String name) {
        return ByteBuffer.wrap(object.variable(name).get()).order(ByteOrder.nativeOrder()).getLong(0);
    }
}

package io.github.bpf2java.ebpf.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** UDP traffic for the attach tests: sending datagrams and collecting what arrives within a time limit. */
public final class Datagrams {
    private Datagrams() {}

    /** Sends each of {@code payloads} from a new socket (of the calling thread's namespace) to {@code target}. */
    public static void send(InetSocketAddress target, String... payloads) throws IOException {
        try (DatagramChannel out = DatagramChannel.open()) {
            for (String payload : payloads) {
                out.send(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)), target);
            }
        }
    }

    /**
     * The payloads {@code in} receives until {@code expected} have arrived or {@code millis} pass without one; a
     * test that expects nothing waits the whole time.
     */
    public static List<String> receive(DatagramChannel in, int expected, long millis) throws IOException {
        List<String> got = new ArrayList<>();
        boolean blocking = in.isBlocking();
        in.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            SelectionKey key = in.register(selector, SelectionKey.OP_READ);
            ByteBuffer buffer = ByteBuffer.allocate(2048);
            while (got.size() < expected || expected == 0) {
                if (selector.select(millis) == 0) {
                    break;
                }
                selector.selectedKeys().clear();
                buffer.clear();
                while (in.receive(buffer) != null) {
                    buffer.flip();
                    got.add(StandardCharsets.UTF_8.decode(buffer).toString());
                    buffer.clear();
                }
            }
            key.cancel();
            selector.selectNow();
        } finally {
            in.configureBlocking(blocking);
        }
        return got;
    }

    /** A receiving socket bound to {@code address} on an ephemeral port. */
    public static DatagramChannel bind(String address) throws IOException {
        return DatagramChannel.open().bind(new InetSocketAddress(address, 0));
    }

    /** The port {@code channel} is bound to. */
    public static int port(DatagramChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }
}

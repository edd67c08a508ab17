package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.run.Verdicts;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Test runs with a context in and out, for the program types that take one: syscall (context written back), tc
 * ({@code struct __sk_buff}), XDP ({@code struct xdp_md}), flow dissector ({@code struct bpf_flow_keys} back as data out) and
 * sk_lookup ({@code struct bpf_sk_lookup}). Offsets are those of the UAPI structs in {@code linux/bpf.h}.
 */
class ContextTestRunTest {
    private static final byte[] UDP = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53)
            .payload(new byte[8]).build();

    /** {@code struct sum_args} of the fixture, as a Codec: what the "data" helper's generated records provide. */
    record SumArgs(int a, int b, long sum) {
        static final Codec<SumArgs> CODEC = new Codec<>() {
            @Override
            public int size() {
                return 16;
            }

            @Override
            public SumArgs decode(ByteBuffer buffer, int offset) {
                return new SumArgs(buffer.getInt(offset), buffer.getInt(offset + 4), buffer.getLong(offset + 8));
            }

            @Override
            public void encode(SumArgs value, ByteBuffer buffer, int offset) {
                buffer.putInt(offset, value.a).putInt(offset + 4, value.b).putLong(offset + 8, value.sum);
            }
        };
    }

    /** The two {@code struct __sk_buff} fields the test uses, in a 192-byte context. */
    record SkbMarks(int mark, int priority) {
        static final int SIZE = 192; // sizeof(struct __sk_buff) on Linux 5.x/6.x
        static final Codec<SkbMarks> CODEC = new Codec<>() {
            @Override
            public int size() {
                return SIZE;
            }

            @Override
            public SkbMarks decode(ByteBuffer buffer, int offset) {
                return new SkbMarks(buffer.getInt(offset + 8), buffer.getInt(offset + 32));
            }

            @Override
            public void encode(SkbMarks value, ByteBuffer buffer, int offset) {
                for (int i = 0; i < SIZE; i++) {
                    buffer.put(offset + i, (byte) 0); // the kernel refuses other fields set
                }
                buffer.putInt(offset + 8, value.mark).putInt(offset + 32, value.priority);
            }
        };
    }

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    private static BpfObject load() {
        return BpfObject.load(BpfFixtures.hostSpec("context_programs", BpfFixtures.installedCompilers().get(0)));
    }

    private static void assumeKernel(int major, int minor, String what) {
        assumeTrue(KernelVersion.running().atLeast(KernelVersion.of(major, minor)),
                what + " needs Linux " + major + "." + minor);
    }

    @Test
    void aSyscallProgramIsNoProgramAttachAllLeavesIncomplete() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("context_programs",
                BpfFixtures.installedCompilers().get(0)), LoadOptions.builder().programs(Set.of("syscall_sum"))
                        .build())) {
            AttachReport report = object.attachAll();
            assertEquals(1, report.unattached().size());
            assertFalse(report.unattached().get(0).needsAttaching(), report.unattached().toString());
            assertTrue(report.complete(), "run with testRun, never attached");
            report.requireComplete();
        }
    }

    @Test
    void syscallProgramWritesItsTypedContextBack() {
        assumeKernel(5, 14, "syscall programs");
        try (BpfObject object = load()) {
            TestRunResult result = object.program("syscall_sum").testRun(TestRun.builder()
                    .context(SumArgs.CODEC, new SumArgs(40, 2, 0)).contextOut(SumArgs.CODEC).build());
            assertEquals(7, result.returnValue());
            assertEquals(new SumArgs(40, 2, 42), result.context(SumArgs.CODEC));
        }
    }

    @Test
    void tcSeesTheSkbContextAndLeavesANewMark() {
        try (BpfObject object = load()) {
            TestRunResult result = object.program("tc_mark").testRun(TestRun.builder().data(UDP)
                    .context(SkbMarks.CODEC, new SkbMarks(5, 3)).contextOut(SkbMarks.CODEC).build());
            assertEquals(Verdicts.TC_ACT_OK, result.returnValue(), result::tcAction);
            assertEquals(new SkbMarks(13, 3), result.context(SkbMarks.CODEC));
        }
    }

    @Test
    void xdpSeesTheIngressInterfaceOfItsContext() {
        try (BpfObject object = load()) {
            ByteBuffer md = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
            md.putInt(4, UDP.length); // data_end: must equal the data's length
            md.putInt(12, 1); // ingress_ifindex: lo
            TestRunResult result = object.program("xdp_ifindex")
                    .testRun(TestRun.builder().data(UDP).context(md.array()).build());
            assertEquals("XDP_DROP (1)", result.xdpAction());
            assertEquals(1, object.variable("xdp_seen_ifindex").getInt());
        }
    }

    @Test
    void xdpLiveFramesRunInBatches() {
        assumeKernel(5, 18, "XDP live frames");
        try (BpfObject object = load()) {
            TestRun live = TestRun.builder().data(UDP).flag(TestRun.Flag.XDP_LIVE_FRAMES).repeat(64).batchSize(16)
                    .build();
            assertEquals(0, live.dataOutCapacity(), "live frames go out, not back");
            try {
                object.program("xdp_ifindex").testRun(live);
                assertEquals(1, object.variable("xdp_seen_ifindex").getInt(), "live frames arrive on loopback");
            } catch (PermissionException e) {
                // Some kernels refuse live frames (EPERM) where plain runs work: the error must say so clearly.
                assertTrue(e.getMessage().contains("BPF_PROG_TEST_RUN") && e.getMessage().contains("EPERM"),
                        e.getMessage());
            }
        }
    }

    @Test
    void flowDissectorFillsFlowKeys() {
        try (BpfObject object = load()) {
            // The kernel returns the flow keys as data out (not context out): room for sizeof(struct bpf_flow_keys).
            TestRunResult result = object.program("dissect_ipv4_udp").testRun(TestRun.builder().data(UDP)
                    .dataOutCapacity(56).build());
            assertEquals(0, result.returnValue()); // BPF_OK
            byte[] out = result.dataOut();
            assertEquals(56, out.length);
            ByteBuffer keys = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
            assertEquals(14, keys.getShort(0)); // nhoff
            assertEquals(34, keys.getShort(2)); // thoff
            assertEquals(0x0800, keys.getShort(4) & 0xffff); // addr_proto
            assertEquals(17, keys.get(9)); // ip_proto
            ByteBuffer network = keys.duplicate().order(ByteOrder.BIG_ENDIAN);
            assertEquals(0x0800, network.getShort(10) & 0xffff); // n_proto
            assertEquals(40000, network.getShort(12) & 0xffff); // sport
            assertEquals(53, network.getShort(14) & 0xffff); // dport
            assertArrayEquals(new byte[] {10, 0, 0, 1}, Arrays.copyOfRange(out, 16, 20));
            assertArrayEquals(new byte[] {10, 0, 0, 2}, Arrays.copyOfRange(out, 20, 24));
        }
    }

    @Test
    void skLookupDecidesByLocalPort() {
        assumeKernel(5, 14, "sk_lookup test runs");
        try (BpfObject object = load()) {
            BpfProgram lookup = object.program("sk_lookup_port");
            assertEquals(1, lookup.testRun(TestRun.ofContext(skLookup(8080))).returnValue()); // SK_PASS
            assertEquals(0, lookup.testRun(TestRun.ofContext(skLookup(80))).returnValue()); // SK_DROP
        }
    }

    @Test
    void netfilterRunsOnAnIpPacketWithoutEthernetHeader() {
        assumeKernel(6, 4, "netfilter programs");
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("netfilter_run",
                BpfFixtures.installedCompilers().get(0)))) {
            BpfProgram program = object.program("nf_accept_count");
            // The default hook is NF_INET_LOCAL_OUT: the data is an IP packet, no Ethernet header.
            byte[] ip = Arrays.copyOfRange(UDP, TestRun.ETH_HLEN, UDP.length);
            TestRunResult result = program.testRun(TestRun.builder().data(ip).repeat(5).build());
            assertEquals(1, result.returnValue()); // NF_ACCEPT
            assertEquals(5, object.variable("runs").getLong());
            // Shorter than an IPv4 header: refused.
            assertThrows(KernelException.class, () -> program.testRun(TestRun.ofData(new byte[19])));
        }
    }

    /** A {@code struct bpf_sk_lookup} for TCP over IPv4 from 10.0.0.1:40000 to 10.0.0.2:{@code localPort}. */
    private static byte[] skLookup(int localPort) {
        ByteBuffer ctx = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        ctx.putInt(8, 2); // family AF_INET
        ctx.putInt(12, 6); // protocol TCP
        ctx.put(16, new byte[] {10, 0, 0, 1}); // remote_ip4, network order
        ctx.order(ByteOrder.BIG_ENDIAN).putShort(36, (short) 40000).order(ByteOrder.nativeOrder()); // remote_port
        ctx.put(40, new byte[] {10, 0, 0, 2}); // local_ip4
        ctx.putInt(60, localPort); // local_port, host order
        return ctx.array();
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.codec.Codec;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.packet.HexDiff;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.packet.ParsedPacket;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.run.Verdicts;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BpfProgram#testRun}: real programs run by the kernel on frames built by {@link PacketBuilder}. */
class ProgramTestRunTest {
    /** Two raw tracepoint arguments ({@code u64 args[2]}), as a codec: the typed-context path. */
    private static final Codec<long[]> TWO_ARGS = new Codec<>() {
        @Override
        public int size() {
            return 16;
        }

        @Override
        public long[] decode(ByteBuffer buffer, int offset) {
            return new long[] {buffer.getLong(offset), buffer.getLong(offset + 8)};
        }

        @Override
        public void encode(long[] value, ByteBuffer buffer, int offset) {
            buffer.putLong(offset, value[0]).putLong(offset + 8, value[1]);
        }
    };

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    private static ObjectSpec fixture(String name) {
        return BpfFixtures.hostSpec(name, BpfFixtures.installedCompilers().get(0));
    }

    private static PacketBuilder udp4(int port) {
        return PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40000, port).payload("data".getBytes());
    }

    @Test
    void xdpDropsUdpToTheBlockedPortAndPassesTheRest() {
        try (BpfObject object = BpfObject.load(fixture("packet_programs"))) {
            BpfProgram xdp = object.program("xdp_drop_udp_port");
            byte[][] passed = {udp4(53).build(),
                PacketBuilder.ethernet().ipv6("fd00::1", "fd00::2").udp(1, 53).build(),
                PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 9999).build(),
                PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").icmpEcho(1, 1).build()};
            for (byte[] frame : passed) {
                TestRunResult result = xdp.testRun(TestRun.ofData(frame));
                assertEquals(Verdicts.XDP_PASS, result.returnValue(), () -> result.xdpAction() + " for "
                        + ParsedPacket.parse(frame));
                assertArrayEquals(frame, result.dataOut(), () -> HexDiff.diff(frame, result.dataOut()));
            }
            byte[][] dropped = {udp4(9999).build(),
                PacketBuilder.ethernet().ipv6("fd00::1", "fd00::2").udp(1, 9999).build()};
            for (byte[] frame : dropped) {
                TestRunResult result = xdp.testRun(TestRun.ofData(frame));
                assertEquals("XDP_DROP (1)", result.xdpAction());
                assertEquals(ProgramType.XDP, result.programType());
            }
        }
    }

    @Test
    void vlanTagsReachTheProgramWhereTheBuilderPutThem() {
        try (BpfObject object = BpfObject.load(fixture("packet_programs"))) {
            BpfProgram tc = object.program("tc_vlan_tags");
            assertEquals(-1, tc.testRun(TestRun.ofData(udp4(53).build())).returnValue(), "untagged");
            byte[] tagged = udp4(53).vlan(100, 5).build();
            assertEquals(5 << 13 | 100, tc.testRun(TestRun.ofData(tagged)).returnValue(), "priority 5, VLAN 100");
            byte[] qinq = udp4(53).vlan(300).vlan(4094, 1).build();
            assertEquals(300 << 16 | 1 << 13 | 4094, tc.testRun(TestRun.ofData(qinq)).returnValue(),
                    "802.1ad outer tag 300, 802.1Q inner tag 4094");

            // The frame the kernel hands back parses to the same tags and the datagram inside them.
            TestRunResult result = tc.testRun(TestRun.ofData(qinq));
            ParsedPacket out = ParsedPacket.parse(result.dataOut());
            assertEquals(List.of(new ParsedPacket.VlanTag(0x88a8, 0, false, 300),
                    new ParsedPacket.VlanTag(0x8100, 1, false, 4094)), out.vlans());
            assertEquals(0x0800, out.ethernet().etherType());
            assertEquals(53, out.udp().orElseThrow().destinationPort());
            assertTrue(out.udp().orElseThrow().checksumValid());
        }
    }

    @Test
    void tcRewritesTtlAndPortWithValidChecksums() {
        try (BpfObject object = BpfObject.load(fixture("packet_programs"))) {
            BpfProgram tc = object.program("tc_rewrite");
            byte[] in = udp4(5353).ttl(64).build();
            TestRunResult result = tc.testRun(TestRun.builder().data(in).build());
            assertEquals(Verdicts.TC_ACT_OK, result.returnValue(), result::tcAction);
            assertEquals(ProgramType.SCHED_CLS, result.programType());
            ParsedPacket out = ParsedPacket.parse(result.dataOut());
            ParsedPacket.Ipv4 ip = out.ipv4().orElseThrow();
            assertEquals(63, ip.ttl());
            assertTrue(ip.checksumValid(), () -> "IPv4 checksum after bpf_l3_csum_replace\n"
                    + HexDiff.diff(in, result.dataOut()));
            ParsedPacket.Udp udp = out.udp().orElseThrow();
            assertEquals(5354, udp.destinationPort());
            assertTrue(udp.checksumValid(), () -> "UDP checksum after bpf_l4_csum_replace\n"
                    + HexDiff.diff(in, result.dataOut()));
            // The kernel's incremental fix must equal a from-scratch build of the expected frame.
            byte[] expected = udp4(5354).ttl(63).build();
            assertArrayEquals(expected, result.dataOut(), () -> HexDiff.diff(expected, result.dataOut()));

            // Another port: only the TTL changes.
            TestRunResult other = tc.testRun(TestRun.ofData(udp4(80).ttl(2).build()));
            byte[] expectedOther = udp4(80).ttl(1).build();
            assertArrayEquals(expectedOther, other.dataOut(), () -> HexDiff.diff(expectedOther, other.dataOut()));
        }
    }

    @Test
    void socketFilterKeepsUdpAndDropsTcp() {
        try (BpfObject object = BpfObject.load(fixture("packet_programs"))) {
            BpfProgram filter = object.program("socket_keep_udp");
            byte[] udp = udp4(53).build();
            // A socket filter sees the packet from the network header: its verdict is the bytes to keep.
            assertEquals(udp.length - TestRun.ETH_HLEN, filter.testRun(TestRun.ofData(udp)).returnValue());
            byte[] tcp = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
            assertEquals(0, filter.testRun(TestRun.ofData(tcp)).returnValue());
        }
    }

    @Test
    void tooShortAFrameIsRefusedWithTheKernelsReason() {
        try (BpfObject object = BpfObject.load(fixture("packet_programs"))) {
            KernelException e = assertThrows(KernelException.class, () -> object.program("xdp_drop_udp_port")
                    .testRun(TestRun.ofData(new byte[TestRun.ETH_HLEN - 1])));
            assertTrue(e.getMessage().contains("BPF_PROG_TEST_RUN"), e.getMessage());
            assertTrue(e.hint().orElse("").contains("(a packet of 13 bytes, shorter than the 14-byte Ethernet header "
                    + "a frame starts with)"), e.getMessage());
            // A tc program's run also wants the IP header an IPv4 EtherType announces; XDP takes the frame as it is.
            byte[] ipv4 = new byte[30];
            ipv4[12] = 0x08;
            KernelException truncated = assertThrows(KernelException.class, () -> object.program("tc_rewrite")
                    .testRun(TestRun.ofData(ipv4)));
            assertTrue(truncated.hint().orElse("").contains("(an IPv4 frame of 30 bytes: the kernel wants the whole "
                    + "IP header too, 34 bytes, before a program of type SCHED_CLS runs)"), truncated.getMessage());
            object.program("xdp_drop_udp_port").testRun(TestRun.ofData(ipv4));
            // Only raw tracepoints run on a chosen CPU.
            IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class, () -> object
                    .program("xdp_drop_udp_port").testRun(TestRun.builder().data(new byte[64]).cpu(0).build()));
            assertTrue(cpu.getMessage().contains("only raw tracepoint programs take cpu(...)"), cpu.getMessage());
            // A context longer than struct xdp_md (24 bytes) with bytes past it set.
            byte[] context = new byte[64];
            context[4] = 64; // data_end
            context[40] = 1;
            KernelException longContext = assertThrows(KernelException.class, () -> object
                    .program("xdp_drop_udp_port").testRun(TestRun.builder().data(new byte[64]).context(context)
                            .build()));
            assertTrue(longContext.hint().orElse("").contains("the context (64 bytes) is longer than the kernel's "
                    + "context struct for XDP programs, and its bytes past the struct are not zero"),
                    longContext.getMessage());
        }
    }

    @Test
    void repeatRunsManyTimesAndReportsAMeanDuration() {
        try (BpfObject object = BpfObject.load(fixture("packet_programs"))) {
            TestRunResult result = object.program("xdp_drop_udp_port")
                    .testRun(TestRun.builder().data(udp4(9999).build()).repeat(1000).dataOutCapacity(0).build());
            assertEquals(Verdicts.XDP_DROP, result.returnValue());
            assertEquals(0, result.dataOut().length);
            assertTrue(result.meanDurationNs() >= 0);
        }
    }

    @Test
    void rawTracepointRunsWithATypedContextOnTheChosenCpu() {
        try (BpfObject object = BpfObject.load(fixture("raw_tp_run"))) {
            BpfProgram program = object.program("raw_tp_sum");
            int cpu = Runtime.getRuntime().availableProcessors() - 1;
            TestRunResult result = program.testRun(TestRun.builder().context(TWO_ARGS, new long[] {21, 100})
                    .cpu(cpu).build());
            assertEquals(42, result.returnValue());
            assertEquals(121, object.variable("seen_sum").getLong());
            assertEquals(cpu, object.variable("seen_cpu").getInt());

            // The kernel's limits for raw tracepoints, refused with the rule before its bare EINVAL: no repeat, no
            // data, up to 12 u64 arguments.
            IllegalArgumentException repeat = assertThrows(IllegalArgumentException.class, () -> program.testRun(
                    TestRun.builder().context(TWO_ARGS, new long[] {1, 2}).repeat(5).build()));
            assertTrue(repeat.getMessage().startsWith("a raw tracepoint program's test run takes the tracepoint's "
                    + "arguments as its context, up to 12 u64 values, and nothing else: no repeat"),
                    repeat.getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> program.testRun(TestRun.ofData(
                    new byte[64]))).getMessage().endsWith("no data (the arguments go in context(...))"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> program.testRun(TestRun.ofContext(
                    new byte[13 * 8]))).getMessage().contains("a context of 104 bytes is not that"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> program.testRun(TestRun.ofContext(
                    new byte[7]))).getMessage().contains("a context of 7 bytes is not that"));
            assertEquals(0, program.testRun(TestRun.ofContext(new byte[12 * 8])).returnValue(), "twelve arguments");
        }
    }

    @Test
    void aTracepointProgramCannotBeTestRunAndTheErrorSaysSo() {
        try (BpfObject object = BpfObject.load(fixture("counter"))) {
            KernelException e = assertThrows(KernelException.class,
                    () -> object.program("count_execve").testRun(TestRun.ofContext(new byte[8])));
            assertTrue(e.getMessage().contains("a program of type TRACEPOINT cannot be test-run"), e.getMessage());
            assertTrue(e.getMessage().contains("io.github.bpf2java.ebpf.run"), e.getMessage());
        }
    }
}

package com.example;

import static io.github.bpf2java.ebpf.junit.BpfAssertions.assertFrameEquals;
import static io.github.bpf2java.ebpf.junit.BpfAssertions.assertXdpAction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.example.ebpf.XdpFilter;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.junit.BpfTest;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RequiresKernel;
import io.github.bpf2java.ebpf.junit.RequiresProgramType;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.TestRunResult;
import io.github.bpf2java.ebpf.run.Verdicts;
import io.github.bpf2java.ebpf.spec.ProgramType;
import org.junit.jupiter.api.Test;

/**
 * The XDP filter tested as a user would: {@code @BpfTest} loads the generated class for each test and closes it
 * afterwards; the kernel runs the program on frames built in Java ({@code BPF_PROG_TEST_RUN}).
 */
@BpfTest(XdpFilter.class)
@RequiresKernel("5.10")
@RequiresCapability(Capability.BPF)
@RequiresProgramType(ProgramType.XDP)
class XdpFilterTest {

    @Test
    void dropsUdpToTheBlockedPortAndCountsIt(XdpFilter filter, PacketBuilder frame) {
        byte[] blocked = frame.ipv4("10.0.0.1", "10.0.0.2").udp(40000, 9999).payload(new byte[] {1, 2, 3}).build();

        TestRunResult result = filter.xdpDropBlockedPort().testRun(TestRun.ofData(blocked));

        assertXdpAction(Verdicts.XDP_DROP, result);
        assertEquals(1L, filter.dropped().get(0).orElseThrow(), "IPv4 drops counted by the program");
        assertEquals(0L, filter.dropped().get(1).orElseThrow(), "no IPv6 drop");
    }

    @Test
    void passesEverythingElseUnchanged(XdpFilter filter, BpfObject object) {
        assertSame(filter.object(), object, "one load per test, shared by both parameters");
        byte[][] passed = {
            PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53).build(),
            PacketBuilder.ethernet().ipv6("fd00::1", "fd00::2").udp(40000, 53).build(),
            PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 9999).build(),
        };
        for (byte[] frame : passed) {
            TestRunResult result = filter.xdpDropBlockedPort().testRun(TestRun.ofData(frame));
            assertXdpAction(Verdicts.XDP_PASS, result);
            assertFrameEquals(frame, result.dataOut());
        }
        assertEquals(0L, filter.dropped().get(0).orElseThrow(), "a fresh load per test: nothing dropped yet");
    }
}

package com.example;

import static io.github.bpf2java.ebpf.junit.BpfAssertions.assertXdpAction;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.ebpf.XdpFilter;
import io.github.bpf2java.ebpf.junit.BpfLoadOptions;
import io.github.bpf2java.ebpf.junit.BpfTest;
import io.github.bpf2java.ebpf.junit.Capability;
import io.github.bpf2java.ebpf.junit.RequiresCapability;
import io.github.bpf2java.ebpf.junit.RequiresKernel;
import io.github.bpf2java.ebpf.junit.RequiresProgramType;
import io.github.bpf2java.ebpf.packet.PacketBuilder;
import io.github.bpf2java.ebpf.run.TestRun;
import io.github.bpf2java.ebpf.run.Verdicts;
import io.github.bpf2java.ebpf.spec.ProgramType;
import org.junit.jupiter.api.Test;

/** The same filter loaded with another port through {@code @BpfLoadOptions}: the constant reaches the kernel. */
@BpfTest(XdpFilter.class)
@RequiresKernel("5.10")
@RequiresCapability(Capability.BPF)
@RequiresProgramType(ProgramType.XDP)
class OtherPortTest {

    @BpfLoadOptions
    static XdpFilter.Options blockDns() {
        return XdpFilter.options().blockedPort(53);
    }

    @Test
    void dropsTheConfiguredPortAndPassesTheDefaultOne(XdpFilter filter, PacketBuilder frame) {
        byte[] dns = frame.ipv4("10.0.0.1", "10.0.0.2").udp(40000, 53).build();
        byte[] formerlyBlocked = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40000, 9999).build();

        assertXdpAction(Verdicts.XDP_DROP, filter.xdpDropBlockedPort().testRun(TestRun.ofData(dns)));
        assertXdpAction(Verdicts.XDP_PASS, filter.xdpDropBlockedPort().testRun(TestRun.ofData(formerlyBlocked)));
        assertEquals(1L, filter.dropped().get(0).orElseThrow(), "one IPv4 drop");
    }
}

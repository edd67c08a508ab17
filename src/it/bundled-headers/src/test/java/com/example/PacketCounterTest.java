package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.ebpf.PacketCounter;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The object built with the plugin's headers has the program, map and license the source declares. */
class PacketCounterTest {

    @Test
    void objectBuiltWithThePluginsHeadersDescribesItsProgramAndMap() {
        ObjectSpec spec = PacketCounter.spec();
        assertEquals(ByteOrder.nativeOrder(), spec.byteOrder());
        assertEquals("xdp", spec.program("count_ipv4").orElseThrow().sectionName());
        assertEquals(2, spec.map("packets").orElseThrow().maxEntries());
        assertEquals("GPL", spec.license());
    }
}

package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.probes.ExecCounter;
import com.example.probes.PacketTypes;
import com.example.probes.XdpPass;
import org.junit.jupiter.api.Test;

class ClassesTest {

    @Test
    void everySourceHasItsClassAndObject() {
        assertTrue(ExecCounter.spec().program("handle_exec").isPresent());
        assertTrue(PacketTypes.spec().program("count_packets").isPresent());
        assertEquals("xdp", XdpPass.spec().program("xdp_pass").orElseThrow().sectionName());
    }
}

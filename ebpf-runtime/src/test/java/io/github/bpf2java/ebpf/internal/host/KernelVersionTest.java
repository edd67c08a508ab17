package io.github.bpf2java.ebpf.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import org.junit.jupiter.api.Test;

class KernelVersionTest {
    @Test
    void parsesDistributionReleaseStrings() {
        KernelVersion v = KernelVersion.parse("5.15.0-91-generic\n");
        assertEquals(5, v.major());
        assertEquals(15, v.minor());
        assertEquals(0, v.patch());
        assertEquals("5.15.0-91-generic", v.release());

        KernelVersion custom = KernelVersion.parse("6.18.44-fc-v669");
        assertEquals(44, custom.patch());
        assertEquals(6, KernelVersion.parse("6.1").major());
        assertEquals(0, KernelVersion.parse("6.1").patch());
        assertEquals(19, KernelVersion.parse("4.19.0+").minor());
    }

    @Test
    void encodesKernelVersionMacroCappingThePatchLevel() {
        assertEquals((5 << 16) + (10 << 8) + 100, KernelVersion.parse("5.10.100").code());
        assertEquals((4 << 16) + (9 << 8) + 255, KernelVersion.parse("4.9.337").code(), "patch capped at 255");
    }

    @Test
    void ordersByNumbersNotText() {
        assertTrue(KernelVersion.parse("5.10.0").atLeast(KernelVersion.of(5, 9)));
        assertTrue(KernelVersion.parse("5.9.0").compareTo(KernelVersion.of(5, 10)) < 0);
        assertTrue(KernelVersion.parse("6.0.0").atLeast(KernelVersion.of(5, 19)));
    }

    @Test
    void rejectsStringsWithoutAVersion() {
        BpfException e = assertThrows(BpfException.class, () -> KernelVersion.parse("linux"));
        assertTrue(e.getMessage().contains("'linux'"), e.getMessage());
        assertThrows(BpfException.class, () -> KernelVersion.parse("99999999999.1"));
    }

    @Test
    void readsTheRunningKernel() {
        KernelVersion running = KernelVersion.running();
        assertTrue(running.major() >= 3, running.toString());
    }
}

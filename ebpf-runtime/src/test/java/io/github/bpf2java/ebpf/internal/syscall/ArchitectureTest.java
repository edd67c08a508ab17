package io.github.bpf2java.ebpf.internal.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    @Test
    void mapsOsArchNamesToSyscallNumbers() {
        assertEquals(321, Architecture.of("amd64").bpfSyscall());
        assertEquals(298, Architecture.of("x86_64").perfEventOpenSyscall());
        assertEquals(280, Architecture.of("aarch64").bpfSyscall());
        assertEquals(241, Architecture.of("riscv64").perfEventOpenSyscall());
        assertEquals(351, Architecture.of("s390x").bpfSyscall());
        assertEquals(361, Architecture.of("ppc64le").bpfSyscall());
        assertEquals(386, Architecture.of("arm").bpfSyscall());
        assertEquals(357, Architecture.of("i386").bpfSyscall());
        assertEquals(280, Architecture.of("loongarch64").bpfSyscall());
    }

    @Test
    void unknownArchitectureNamesTheKnownOnes() {
        BpfException e = assertThrows(BpfException.class, () -> Architecture.of("mips64el"));
        assertTrue(e.getMessage().contains("'mips64el'"), e.getMessage());
        assertTrue(e.getMessage().contains("X86_64"), e.getMessage());
    }

    @Test
    void encodesPerfIoctlsPerArchitecture() {
        // Values from linux/perf_event.h expanded by the generic and the powerpc asm/ioctl.h.
        assertEquals(0x2400, Architecture.X86_64.io('$', 0));
        assertEquals(0x40042408L, Architecture.AARCH64.iow('$', 8, 4));
        assertEquals(0x20002400L, Architecture.PPC64LE.io('$', 0));
        assertEquals(0x80042408L, Architecture.PPC64LE.iow('$', 8, 4));
        assertEquals(0x80082407L, Architecture.X86_64.ior('$', 7, 8));
    }

    @Test
    void thisJvmsArchitectureIsKnown() {
        assertEquals(Architecture.current(), Libc.architecture());
    }
}

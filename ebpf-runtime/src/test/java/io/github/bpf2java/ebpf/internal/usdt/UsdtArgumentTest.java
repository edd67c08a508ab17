package io.github.bpf2java.ebpf.internal.usdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.usdt.UsdtArgument.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsdtArgumentTest {

    @Test
    void x86ArgumentsBecomeRegistersMemoryAndConstants() {
        assertEquals(List.of(
                new UsdtArgument(Kind.REG, 0, 10 * 8, true, 32),          // -4@%eax: rax
                new UsdtArgument(Kind.REG_DEREF, -8, 4 * 8, false, 0),    // 8@-8(%rbp)
                new UsdtArgument(Kind.CONST, -5, 0, true, 32),            // -4@$-5
                new UsdtArgument(Kind.REG, 0, 14 * 8, false, 48),         // 2@%di: rdi
                new UsdtArgument(Kind.REG_DEREF, 0, 19 * 8, false, 0),    // 8@(%rsp)
                new UsdtArgument(Kind.REG, 0, 9 * 8, true, 56)),          // -1@%r8b
                UsdtArgument.parseAll("-4@%eax 8@-8(%rbp) -4@$-5 2@%di 8@(%rsp) -1@%r8b", "amd64"));
    }

    @Test
    void arm64ArgumentsIncludingBracketedMemory() {
        assertEquals(List.of(
                new UsdtArgument(Kind.REG, 0, 0, true, 32),                 // -4@x0
                new UsdtArgument(Kind.REG_DEREF, 16, 31 * 8, false, 0),     // 8@[sp, 16]
                new UsdtArgument(Kind.CONST, 5, 0, false, 32),              // 4@5
                new UsdtArgument(Kind.REG_DEREF, 0, 30 * 8, false, 0)),     // 8@[x30]
                UsdtArgument.parseAll("-4@x0 8@[sp, 16] 4@5 8@[x30]", "aarch64"));
    }

    @Test
    void badArgumentsAreNamed() {
        BpfException size = assertThrows(BpfException.class, () -> UsdtArgument.parseAll("3@%eax", "amd64"));
        assertTrue(size.getMessage().contains("size 3"), size.getMessage());
        BpfException register = assertThrows(BpfException.class, () -> UsdtArgument.parseAll("8@%xmm0", "amd64"));
        assertTrue(register.getMessage().contains("unknown register %xmm0"), register.getMessage());
        BpfException scaled = assertThrows(BpfException.class,
                () -> UsdtArgument.parseAll("8@-96(%rbp,%rax,8)", "amd64"));
        assertTrue(scaled.getMessage().contains("scaled-index"), scaled.getMessage());
        BpfException global = assertThrows(BpfException.class, () -> UsdtArgument.parseAll("8@v_u64(%rip)", "amd64"));
        assertTrue(global.getMessage().contains("it is variable v_u64 in memory"), global.getMessage());
        assertEquals(List.of(), UsdtArgument.parseAll("", "amd64"));
    }
}

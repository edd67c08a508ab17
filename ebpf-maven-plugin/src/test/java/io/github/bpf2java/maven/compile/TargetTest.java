package io.github.bpf2java.maven.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void parsesCommaSeparatedNamesKeepingOrderAndDroppingDuplicates() throws Exception {
        assertEquals(List.of(Target.BPFEL, Target.BPFEB), Target.parseAll(List.of("bpfel, BPFEB", "bpfel")));
    }

    @Test
    void rejectsUnknownTargetListingTheAllowedOnes() {
        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> Target.parseAll(List.of("bpfel,vax")));
        assertTrue(e.getMessage().contains("'vax'"), e.getMessage());
        assertTrue(e.getMessage().contains("bpfel, bpfeb, amd64"), e.getMessage());
    }

    @Test
    void architectureTargetsDefineTheArchForLibbpf() {
        assertEquals(List.of("-target", "bpfel", "-D__TARGET_ARCH_arm64"), Target.ARM64.clangArguments());
        assertEquals(List.of("-target", "bpfeb", "-D__TARGET_ARCH_s390"), Target.S390X.clangArguments());
        assertEquals(List.of("-target", "bpfel"), Target.BPFEL.clangArguments());
        assertEquals(ByteOrder.BIG_ENDIAN, Target.S390X.byteOrder());
    }
}

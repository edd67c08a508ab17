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
    void anUnknownTargetIsReportedAgainstTheSettingItIsIn() {
        String where = "the <targets> of the <sourceTarget> for pattern 'kprobe_*.c'";
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> Target.parseAll(List.of("amd64,x86_64"), where));
        assertTrue(e.getMessage().startsWith("Unknown eBPF target 'x86_64' in " + where + ". Allowed values: "),
                e.getMessage());
        EbpfBuildException empty = assertThrows(EbpfBuildException.class, () -> Target.parseAll(List.of(" "), where));
        assertTrue(empty.getMessage().startsWith(where + " is empty"), empty.getMessage());
    }

    @Test
    void bpf2goShorthandsMeanThisMachinesByteOrderAndArchitecture() throws Exception {
        Target byteOrder = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? Target.BPFEL : Target.BPFEB;
        assertEquals(List.of(byteOrder), Target.parseAll(List.of("bpf")));
        java.util.Optional<Target> host = Target.forOsArch(System.getProperty("os.arch"));
        if (host.isPresent()) {
            assertEquals(List.of(host.get(), byteOrder), Target.parseAll(List.of("native,bpf")));
        } else {
            EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> Target.parseAll(List.of("native")));
            assertTrue(e.getMessage().contains("no architecture target for this machine"), e.getMessage());
        }
        EbpfBuildException unknown = assertThrows(EbpfBuildException.class, () -> Target.parseAll(List.of("x")));
        assertTrue(unknown.getMessage().endsWith("bpf (this machine's byte order) and native (its architecture)"),
                unknown.getMessage());
    }

    @Test
    void architectureTargetsDefineTheArchForLibbpf() {
        assertEquals(List.of("-target", "bpfel", "-D__TARGET_ARCH_arm64"), Target.ARM64.clangArguments());
        assertEquals(List.of("-target", "bpfeb", "-D__TARGET_ARCH_s390"), Target.S390X.clangArguments());
        assertEquals(List.of("-target", "bpfel"), Target.BPFEL.clangArguments());
        assertEquals(ByteOrder.BIG_ENDIAN, Target.S390X.byteOrder());
    }
}

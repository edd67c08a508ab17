package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedObjectTest {

    @Test
    void prefersTheObjectBuiltForThisArchitecture() {
        List<String> targets = List.of("bpfel", "amd64", "arm64");
        assertEquals(Optional.of("amd64"), EmbeddedObject.select(targets, "amd64", ByteOrder.LITTLE_ENDIAN));
        assertEquals(Optional.of("amd64"), EmbeddedObject.select(targets, "x86_64", ByteOrder.LITTLE_ENDIAN));
        assertEquals(Optional.of("arm64"), EmbeddedObject.select(targets, "aarch64", ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void fallsBackToTheObjectForThisByteOrder() {
        List<String> targets = List.of("bpfel", "bpfeb");
        assertEquals(Optional.of("bpfel"), EmbeddedObject.select(targets, "riscv64", ByteOrder.LITTLE_ENDIAN));
        assertEquals(Optional.of("bpfeb"), EmbeddedObject.select(targets, "s390x", ByteOrder.BIG_ENDIAN));
    }

    @Test
    void findsNothingWhenNoTargetFitsTheHost() {
        assertEquals(Optional.empty(), EmbeddedObject.select(List.of("arm64", "bpfeb"), "amd64",
                ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void missingTargetNamesThoseThereAre() {
        BpfException e = assertThrows(BpfException.class,
                () -> EmbeddedObject.read(EmbeddedObjectTest.class, "counter", "sparc64"));
        assertTrue(e.getMessage().contains("(sparc64)"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("<targets>"));
    }

    @Test
    void missingResourceSaysWhere() {
        String target = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "bpfel" : "bpfeb";
        BpfException e = assertThrows(BpfException.class,
                () -> EmbeddedObject.read(EmbeddedObjectTest.class, "absent", target));
        assertTrue(e.getMessage().contains("absent_" + target + ".o"), e.getMessage());
    }
}

package io.github.bpf2java.ebpf.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects read from files, as a Makefile leaves them: named after the file, with errors naming the file. */
class ObjectSpecFromFileTest {
    @TempDir
    Path dir;

    @Test
    void anObjectFileIsReadAndNamedAfterItUpToItsFirstDot() throws Exception {
        Path file = dir.resolve("procwatch.bpf.o");
        Files.write(file, BpfFixtures.compile("counter").bytes());
        ObjectSpec spec = ObjectSpec.read(file);
        assertEquals("procwatch", spec.name());
        assertTrue(spec.program("count_execve").isPresent(), spec.toString());
    }

    @Test
    void aMissingEmptyOrForeignFileIsNamed() throws Exception {
        NotFoundException missing = assertThrows(NotFoundException.class,
                () -> ObjectSpec.read(dir.resolve("nope.bpf.o")));
        assertEquals("no BPF object at " + dir.resolve("nope.bpf.o"), missing.getMessage().lines().findFirst()
                .orElseThrow());
        assertTrue(missing.hint().orElseThrow().contains("clang -O2 -g -target bpf"), missing.toString());

        Path empty = Files.createFile(dir.resolve("empty.o"));
        ObjectFormatException nothing = assertThrows(ObjectFormatException.class, () -> ObjectSpec.read(empty));
        assertEquals("empty: empty (0 bytes), not an ELF file", nothing.getMessage());

        Path text = Files.writeString(dir.resolve("notes.txt"), "not an object");
        ObjectFormatException foreign = assertThrows(ObjectFormatException.class, () -> ObjectSpec.read(text));
        assertEquals("notes: not an ELF file (bad magic)", foreign.getMessage());
    }
}

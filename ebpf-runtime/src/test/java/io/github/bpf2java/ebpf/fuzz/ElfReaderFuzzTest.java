package io.github.bpf2java.ebpf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;

/** Fuzzes the ELF reader: headers, sections, symbols, every section's bytes and every relocation table. */
class ElfReaderFuzzTest {
    @BeforeAll
    static void seeds() {
        FuzzInputs.writeSeeds(ElfReaderFuzzTest.class, "readsAnyBytesWithinBounds", Optional::of);
    }

    @FuzzTest(maxDuration = "10s")
    void readsAnyBytesWithinBounds(byte[] input) {
        FuzzInputs.bounded(input, () -> {
            ElfFile elf = ElfFile.parse("fuzzed.o", input);
            for (ElfSection s : elf.sections()) {
                elf.contents(s);
            }
            for (ElfSection s : elf.relocationSections()) {
                elf.relocations(s);
            }
            elf.symbols().size();
        });
    }
}

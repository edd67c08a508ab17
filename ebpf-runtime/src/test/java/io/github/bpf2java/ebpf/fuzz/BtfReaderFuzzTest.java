package io.github.bpf2java.ebpf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import org.junit.jupiter.api.BeforeAll;

/** Fuzzes the BTF reader on raw {@code .BTF} bytes: the header, every type decoded, names looked up. */
class BtfReaderFuzzTest {
    @BeforeAll
    static void seeds() {
        FuzzInputs.writeSeeds(BtfReaderFuzzTest.class, "readsAnyBtfWithinBounds",
                object -> FuzzInputs.section(object, ".BTF"));
    }

    @FuzzTest(maxDuration = "10s")
    void readsAnyBtfWithinBounds(byte[] input) {
        FuzzInputs.bounded(input, () -> {
            Btf btf = Btf.parse(input);
            for (BtfType t : btf.types()) {
                if (!t.name().isEmpty()) {
                    btf.findAll(t.name());
                }
            }
        });
    }
}

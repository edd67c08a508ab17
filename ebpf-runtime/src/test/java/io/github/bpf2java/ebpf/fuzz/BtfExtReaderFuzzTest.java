package io.github.bpf2java.ebpf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfExt;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the {@code .BTF.ext} reader together with the BTF whose strings it names: an input is the BTF's length
 * (4 bytes, big-endian), the BTF, then the {@code .BTF.ext}.
 */
class BtfExtReaderFuzzTest {
    @BeforeAll
    static void seeds() {
        FuzzInputs.writeSeeds(BtfExtReaderFuzzTest.class, "readsAnyBtfExtWithinBounds", FuzzInputs::btfAndExt);
    }

    @FuzzTest(maxDuration = "10s")
    void readsAnyBtfExtWithinBounds(byte[] input) {
        FuzzInputs.bounded(input, () -> {
            if (input.length < 4) {
                throw new ObjectFormatException("too short");
            }
            int btfLength = ByteBuffer.wrap(input).getInt();
            if (btfLength < 0 || btfLength > input.length - 4) {
                throw new ObjectFormatException("no room for the BTF");
            }
            Btf btf = Btf.parse(Arrays.copyOfRange(input, 4, 4 + btfLength));
            BtfExt.parse(Arrays.copyOfRange(input, 4 + btfLength, input.length), btf.byteOrder(), btf);
        });
    }
}

package io.github.bpf2java.ebpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which 64-bit enums clang writes with their enumerators cut to 32 bits, told by the BTF kind it chose. */
class TruncatedEnumTest {

    static java.util.List<String> compilers() {
        return BpfFixtures.installedCompilers();
    }

    @ParameterizedTest
    @MethodSource("compilers")
    void enumsWhoseEnumeratorsBtfCutTo32BitsAreKnown(String compiler) {
        ObjectSpec spec = BpfFixtures.hostSpec("fixed_enum", compiler);
        Btf btf = spec.btf().orElseThrow();
        BtfType.Enum fixed = btf.find("fixed_wide", BtfType.Enum.class).orElseThrow();
        BtfType.Enum plain = btf.find("plain_wide", BtfType.Enum.class).orElseThrow();
        BtfType.Enum small = btf.find("small", BtfType.Enum.class).orElseThrow();
        boolean hasEnum64 = plain.values().get(0).value() == 0x123456789abcdef0L; // clang 15+
        assertEquals(true, btf.hasTruncatedEnumValues(fixed.id()), compiler + ": a fixed 64-bit type, cut");
        assertEquals(!hasEnum64, btf.hasTruncatedEnumValues(plain.id()), compiler + ": ENUM64 unless clang 14");
        assertEquals(false, btf.hasTruncatedEnumValues(small.id()), compiler + ": 4 bytes, whole");
        assertEquals(0x9abcdef0L, fixed.values().get(1).value(), "what BTF holds of 0x123456789abcdef0");
        assertEquals(false, Btf.of(btf.types(), btf.byteOrder()).hasTruncatedEnumValues(fixed.id()),
                "BTF built from types keeps no kinds");
    }
}

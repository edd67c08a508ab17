package io.github.bpf2java.ebpf.btf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KernelBtfTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private static byte[] vmlinux() throws IOException {
        KernelSupport.assume(Files.isReadable(VMLINUX), "the kernel exposes no BTF at " + VMLINUX);
        return Files.readAllBytes(VMLINUX);
    }

    @Test
    void findsTaskStructWithPidInKernelBtf() throws IOException {
        Btf btf = Btf.parse(vmlinux());
        assertEquals(ByteOrder.nativeOrder(), btf.byteOrder());
        assertTrue(btf.types().size() > 10_000, "kernel BTF has many types");
        BtfType.Struct task = btf.find("task_struct", BtfType.Struct.class).orElseThrow();
        BtfType.Member pid = task.members().stream().filter(m -> m.name().equals("pid")).findFirst().orElseThrow();
        assertEquals("pid_t", btf.describe(pid.typeId()));
        assertEquals(4, btf.sizeOf(pid.typeId()));
        assertTrue(btf.resolve(pid.typeId()) instanceof BtfType.Int);
        int intId = btf.find("int", BtfType.Int.class).orElseThrow().id();
        assertEquals(4, btf.sizeOf(intId));
        assertEquals("struct task_struct", btf.describe(task.id()));
        assertTrue(btf.sizeOf(task.id()) > 1000);
    }

    @Test
    void indexesEveryTypeOfAName() throws IOException {
        Btf btf = Btf.parse(vmlinux());
        List<BtfType> all = btf.findAll("task_struct");
        assertTrue(all.stream().anyMatch(t -> t instanceof BtfType.Struct));
        assertTrue(all.stream().allMatch(t -> t.name().equals("task_struct")));
        assertTrue(btf.findAll("no_such_type_anywhere_42").isEmpty());
    }

    @Test
    void reencodesKernelBtfToEqualTypes() throws IOException {
        byte[] raw = vmlinux();
        Btf btf = Btf.parse(raw);
        byte[] encoded = BtfEncoder.encode(btf);
        Btf again = Btf.parse(encoded);
        assertEquals(btf.types(), again.types());
        Btf swapped = Btf.parse(BtfEncoder.encode(btf, opposite(btf.byteOrder())));
        assertEquals(btf.types(), swapped.types());
    }

    @Test
    void reencodesKernelBtfByteForByte() throws IOException {
        byte[] raw = vmlinux();
        assertArrayEquals(raw, BtfEncoder.encode(Btf.parse(raw)));
    }

    @Test
    void parsesSplitBtfOfEveryLoadedModuleOnTopOfVmlinux() throws IOException {
        Btf base = Btf.parse(vmlinux());
        List<byte[]> splits = new ArrayList<>();
        try (Stream<Path> s = Files.list(VMLINUX.getParent())) {
            for (Path module : s.filter(p -> !p.getFileName().toString().equals("vmlinux")).limit(5).toList()) {
                splits.add(Files.readAllBytes(module));
            }
        }
        // Kernels with every module built in have none; an empty split BTF still has to sit on the real base.
        splits.add(Btf.of(List.of(new BtfType.Void()), base.byteOrder()).rawBytes());
        for (byte[] raw : splits) {
            Btf split = Btf.parseSplit(raw, base);
            assertEquals(base.types().size(), split.firstTypeId());
            assertEquals(base.find("task_struct", BtfType.Struct.class), split.find("task_struct",
                    BtfType.Struct.class), "the base's types are the split's too");
            for (int id = split.firstTypeId(); id < split.types().size(); id++) {
                split.describe(id);
            }
        }
    }

    static ByteOrder opposite(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }
}

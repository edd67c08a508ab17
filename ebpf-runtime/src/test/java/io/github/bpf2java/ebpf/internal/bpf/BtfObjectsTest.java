package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BtfLoadException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BtfObjectsTest {
    private static final int KIND_INT = 1;
    private static final int INT_SIGNED = 1;

    @BeforeEach
    void needsBpf() {
        KernelSupport.assumeBpf();
    }

    @Test
    void loadsAMinimalIntType() {
        try (Fd btf = BtfObjects.load(btfWithInt(4, 32), "BTF of test 'int'")) {
            BtfInfo info = BtfObjects.info(btf);
            assertTrue(info.id() > 0);
            assertEquals(btfWithInt(4, 32).length, info.size());
            assertFalse(info.kernel());
        }
    }

    @Test
    void mapCreatedWithBtfKeyAndValueTypesReportsTheBtf() {
        try (Fd btf = BtfObjects.load(btfWithInt(4, 32), "BTF of test 'map'");
                MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 4, 1).name("typed")
                        .btf(btf, 1, 1).build())) {
            MapInfo info = map.info();
            assertEquals(BtfObjects.info(btf).id(), info.btfId());
            assertEquals(1, info.btfKeyTypeId());
            assertEquals(1, info.btfValueTypeId());
        }
    }

    @Test
    void malformedIntIsRejectedWithTheKernelsBtfLog() {
        // A 4-byte int claiming 64 bits cannot be.
        BtfLoadException e = assertThrows(BtfLoadException.class,
                () -> BtfObjects.load(btfWithInt(4, 64), "BTF of test 'bad'"));
        assertEquals("EINVAL", e.errnoName());
        assertTrue(e.log().contains("[1] INT int"), e.log());
        assertTrue(e.getMessage().contains("BTF of test 'bad'"), e.getMessage());
        assertTrue(e.getMessage().contains("|"), "the message quotes the log: " + e.getMessage());
    }

    @Test
    void truncatedHeaderIsRejected() {
        byte[] btf = btfWithInt(4, 32);
        byte[] truncated = java.util.Arrays.copyOf(btf, 20);
        assertThrows(io.github.bpf2java.ebpf.error.KernelException.class,
                () -> BtfObjects.load(truncated, "BTF of test 'short'"));
    }

    @Test
    void findsTheKernelsOwnBtf() {
        Optional<Fd> vmlinux = BtfObjects.findKernelBtf("vmlinux");
        KernelSupport.assume(vmlinux.isPresent(), "the kernel exposes no vmlinux BTF object");
        try (Fd fd = vmlinux.get()) {
            BtfInfo info = BtfObjects.info(fd);
            assertTrue(info.kernel());
            assertEquals("vmlinux", info.name());
            assertTrue(info.size() > 1_000_000, "vmlinux BTF is megabytes: " + info.size());
        }
        assertTrue(BtfObjects.findKernelBtf("no_such_module_xyz").isEmpty());
    }

    /** Raw BTF with one type: {@code [1] INT 'int' size=size bits=bits signed}. */
    static byte[] btfWithInt(int size, int bits) {
        byte[] strings = "\0int\0".getBytes(StandardCharsets.US_ASCII);
        int typeLen = 16;
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + strings.length).order(ByteOrder.nativeOrder());
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24); // magic, version, flags, hdr_len
        b.putInt(0).putInt(typeLen).putInt(typeLen).putInt(strings.length); // type_off/len, str_off/len
        b.putInt(1).putInt(KIND_INT << 24).putInt(size).putInt(INT_SIGNED << 24 | bits); // name_off=1 "int"
        b.put(strings);
        return b.array();
    }
}

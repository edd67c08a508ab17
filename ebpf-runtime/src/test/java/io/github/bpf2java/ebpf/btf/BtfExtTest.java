package io.github.bpf2java.ebpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ElfFile;
import io.github.bpf2java.ebpf.internal.elf.ElfSection;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BtfExtTest {

    private record Parts(ElfFile elf, Btf btf, byte[] ext) {}

    private static Parts parts(String fixture) {
        ElfFile elf = ElfFile.parse(BpfFixtures.compile(fixture).bytes());
        Btf btf = Btf.parse(elf.contents(elf.section(".BTF").orElseThrow()), elf.byteOrder());
        return new Parts(elf, btf, elf.contents(elf.section(".BTF.ext").orElseThrow()));
    }

    @Test
    void groupsRecordsBySectionWithByteOffsets() {
        Parts p = parts("globals");
        BtfExt ext = BtfExt.parse(p.ext(), p.elf().byteOrder(), p.btf());
        assertEquals(List.of(".text", "tracepoint/syscalls/sys_enter_getpid", "tracepoint/syscalls/sys_enter_getppid"),
                List.copyOf(ext.funcInfos().keySet()));
        // .text holds global_helper, add_static, loop_cb and each_cb; the getppid section two programs.
        assertEquals(4, ext.funcInfos().get(".text").size());
        assertEquals(2, ext.funcInfos().get("tracepoint/syscalls/sys_enter_getppid").size());
        ElfSection text = p.elf().section(".text").orElseThrow();
        for (BtfExt.FuncInfo fi : ext.funcInfos().get(".text")) {
            assertEquals(0, fi.byteOffset() % 8);
            assertTrue(fi.byteOffset() < text.size());
            assertTrue(p.btf().type(fi.typeId()) instanceof BtfType.Func);
        }
        BtfExt.LineInfo first = ext.lineInfos().get(".text").get(0);
        assertTrue(p.btf().string(first.fileNameOffset()).endsWith("globals.c"));
        assertTrue(first.lineNumber() > 0);
        assertTrue(ext.coreRelocations().isEmpty(), "globals.c uses no CO-RE");
    }

    @Test
    void readsCoreRelocationsWithAccessStrings() {
        Parts p = parts("core");
        BtfExt ext = BtfExt.parse(p.ext(), p.elf().byteOrder(), p.btf());
        List<BtfExt.CoreRelo> relos = ext.coreRelocations().get("tp_btf/sched_process_exec");
        assertTrue(relos.size() >= 3);
        assertTrue(relos.stream().allMatch(r -> r.accessString().matches("\\d+(:\\d+)*") && r.kind() == 0));
    }

    @Test
    void rejectsBadHeaderAndRecordSizes() {
        Parts p = parts("counter");
        byte[] ext = p.ext();
        ByteBuffer b = ByteBuffer.wrap(ext).order(p.elf().byteOrder());
        byte[] badMagic = ext.clone();
        badMagic[0] ^= 1;
        assertThrows(ObjectFormatException.class, () -> BtfExt.parse(badMagic, p.elf().byteOrder(), p.btf()));
        int hdrLen = b.getInt(4);
        int funcInfoOff = b.getInt(8);
        byte[] smallRecord = ext.clone();
        ByteBuffer.wrap(smallRecord).order(p.elf().byteOrder()).putInt(hdrLen + funcInfoOff, 4);
        ObjectFormatException e = assertThrows(ObjectFormatException.class,
                () -> BtfExt.parse(smallRecord, p.elf().byteOrder(), p.btf()));
        assertTrue(e.getMessage().contains("record size 4"), e.getMessage());
        byte[] badName = ext.clone();
        ByteBuffer.wrap(badName).order(p.elf().byteOrder()).putInt(hdrLen + funcInfoOff + 4, 0x7fffffff);
        assertThrows(ObjectFormatException.class, () -> BtfExt.parse(badName, p.elf().byteOrder(), p.btf()));
        assertThrows(ObjectFormatException.class,
                () -> BtfExt.parse(Arrays.copyOf(ext, ext.length - 5), p.elf().byteOrder(), p.btf()));
    }
}

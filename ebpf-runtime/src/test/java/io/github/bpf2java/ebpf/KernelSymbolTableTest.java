package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel addresses named from {@code /proc/kallsyms}: the frames of a stack a program recorded, and the edges. */
class KernelSymbolTableTest {

    @Test
    void theFramesOfAKernelStackAProgramRecordedHaveNames() throws Exception {
        KernelSupport.assumeBpf();
        int self = (int) ProcessHandle.current().pid();
        byte[] tgid = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(self).array();
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("kernel_stack",
                BpfFixtures.installedCompilers().get(0)), LoadOptions.builder().constant("target_tgid", tgid).build())) {
            object.program("record_stack").attach();
            Files.readString(Path.of("/proc/self/stat")); // an openat of this process
            long bytes = object.variable("stack_bytes").getLong();
            assertTrue(bytes >= 8, "bpf_get_stack wrote " + bytes);
            ByteBuffer frames = ByteBuffer.wrap(object.variable("frames").get()).order(ByteOrder.nativeOrder());
            KernelSymbolTable symbols = KernelSymbolTable.load();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < bytes / 8; i++) {
                names.add(symbols.describe(frames.getLong(i * 8)));
            }
            assertTrue(names.stream().noneMatch(n -> n.startsWith("0x")), "every frame named: " + names);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("do_syscall_64+0x")), "a system call: " + names);
        }
    }

    @Test
    void anAddressIsNamedByTheSymbolItLiesIn() {
        KernelSymbolTable symbols = KernelSymbolTable.load();
        assertTrue(symbols.size() > 1000, symbols.toString());
        KernelSymbolTable.Symbol read = symbols.named("vfs_read").orElseThrow();
        assertEquals(Optional.of(read), symbols.find(read.address()));
        assertEquals(Optional.of(read), symbols.find(read.address() + 5));
        assertEquals("vfs_read+0x5", symbols.describe(read.address() + 5));
        assertEquals("vfs_read", symbols.describe(read.address()));
        assertEquals(Optional.empty(), symbols.find(1), "below the first symbol");
        assertEquals("0x1", symbols.describe(1));
    }

    @Test
    void modulesAndHiddenAddressesAndAMissingFile(@TempDir Path dir) throws Exception {
        Path listed = dir.resolve("kallsyms");
        Files.writeString(listed, "ffffffff81000000 T _text\nffffffff81000000 T _stext\nffffffff81001000 D data\n"
                + "ffffffff81002000 t helper\nffffffffc0027440 t bpf_prog_6deef7357e7b4530_trace\t[bpf]\n");
        KernelSymbolTable symbols = KernelSymbolTable.load(listed);
        assertEquals(4, symbols.size(), "code symbols only");
        assertEquals("_stext+0x10", symbols.describe(0xffffffff81000010L), "aliases: the first by name");
        assertEquals("helper+0x4", symbols.describe(0xffffffff81002004L), "data symbols are not code");
        assertEquals("bpf_prog_6deef7357e7b4530_trace+0x8 [bpf]", symbols.describe(0xffffffffc0027448L));

        Path hidden = dir.resolve("hidden");
        Files.writeString(hidden, "0000000000000000 T _text\n0000000000000000 t helper\n");
        PermissionException e = assertThrows(PermissionException.class, () -> KernelSymbolTable.load(hidden));
        assertTrue(e.hint().orElse("").contains("kptr_restrict"), e.getMessage());
        assertThrows(NotFoundException.class, () -> KernelSymbolTable.load(dir.resolve("missing")));
    }
}

package io.github.bpf2java.ebpf.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one reader of kallsyms' format, on a table of every shape of line and on the running kernel's. */
class KallsymsTest {

    record Entry(long address, char type, String name, String module) {}

    @Test
    void readsAddressTypeNameAndModule(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kallsyms");
        Files.writeString(file, String.join("\n",
                "ffffffff81000000 T _stext",
                "ffffffff812a3bf0 t vfs_read",
                "0000000000000000 D hidden_data",
                "ffffffffc0a01000 t ext4_fill_super\t[ext4]",
                "ffffffffc0300000 t bpf_prog_6deef7357e7b4530_sd_fw_egress\t[bpf]",
                "ffffffffc0400000 W weak_function",
                "",
                "garbage",
                "ffffffff81000010 T") + "\n", StandardCharsets.US_ASCII);
        List<Entry> read = new ArrayList<>();
        Kallsyms.read(file, (address, type, name, module) -> read.add(new Entry(address, type, name, module)));
        assertEquals(List.of(
                new Entry(0xffffffff81000000L, 'T', "_stext", null),
                new Entry(0xffffffff812a3bf0L, 't', "vfs_read", null),
                new Entry(0, 'D', "hidden_data", null),
                new Entry(0xffffffffc0a01000L, 't', "ext4_fill_super", "ext4"),
                new Entry(0xffffffffc0300000L, 't', "bpf_prog_6deef7357e7b4530_sd_fw_egress", "bpf"),
                new Entry(0xffffffffc0400000L, 'W', "weak_function", null)), read);
    }

    @Test
    void stopsWhenTheVisitorSaysSo(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("kallsyms");
        Files.writeString(file, "1 T a\n2 T b\n3 T c\n", StandardCharsets.US_ASCII);
        List<String> names = new ArrayList<>();
        Kallsyms.read(file, (address, type, name, module) -> names.add(name) && !name.equals("b"));
        assertEquals(List.of("a", "b"), names);
    }

    @Test
    void aMissingFileIsNoSuchFile(@TempDir Path dir) {
        assertThrows(NoSuchFileException.class, () -> Kallsyms.read(dir.resolve("none"), (a, t, n, m) -> true));
    }

    @Test
    void readsEveryCodeSymbolOfTheRunningKernelAsAwkCountsThem() throws Exception {
        Process awk = new ProcessBuilder("awk", "$2 ~ /^[tTwW]$/ { n++ } END { print n }", "/proc/kallsyms").start();
        long expected = Long.parseLong(new String(awk.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                .trim());
        assertEquals(0, awk.waitFor());
        long[] code = {0};
        boolean[] vfsRead = {false};
        Kallsyms.read(Kallsyms.FILE, (address, type, name, module) -> {
            if (Kallsyms.isCode(type)) {
                code[0]++;
                vfsRead[0] |= name.equals("vfs_read") && module == null;
            }
            return true;
        });
        // Modules and BPF programs may come and go between the two reads; the kernel's own symbols do not.
        assertTrue(Math.abs(code[0] - expected) < 100, code[0] + " code symbols read, awk counted " + expected);
        assertTrue(vfsRead[0], "vfs_read is a function of every kernel");
        assertTrue(KernelFunctions.hasFunction("vfs_read"));
    }
}

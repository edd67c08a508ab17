package io.github.bpf2java.maven.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.maven.check.KernelBtfReader.UnreadableBtfException;
import io.github.bpf2java.maven.toolchain.ExecutableSearch;
import io.github.bpf2java.maven.toolchain.ProcessRunner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KernelBtfReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheBtfSectionOfAnElfFile() throws Exception {
        Path object = CFixtures.kernelObject(dir, "kernel");
        Btf btf = new KernelBtfReader().read(new KernelBtf(object, "kernel.o"));
        BtfType.Struct task = btf.find("task_struct", BtfType.Struct.class).orElseThrow();
        assertEquals(20, task.size());
    }

    /**
     * A vmlinux carries its BTF as a section added to a host ELF file (pahole, then objcopy): ELF32 and ELF64, either
     * byte order, built here the same way with clang for the host targets and llvm-objcopy.
     */
    @ParameterizedTest
    @CsvSource({"i386-linux-gnu, bpfel", "x86_64-linux-gnu, bpfel", "s390x-linux-gnu, bpfeb"})
    void readsTheBtfSectionAddedToAHostElfFile(String hostTarget, String bpfTarget) throws Exception {
        Path kernel = CFixtures.compile(dir.resolve(bpfTarget), "kernel", """
                struct task_struct { int pid; char comm[16]; };
                struct task_struct *current_task;
                """, true, "-target", bpfTarget);
        Btf original = ObjectSpec.read("kernel", Files.readAllBytes(kernel)).btf().orElseThrow();
        Path raw = Files.write(dir.resolve(bpfTarget + ".btf"), original.rawBytes());
        Path host = CFixtures.compile(dir.resolve(hostTarget), "vmlinux", "int host_value = 1;\n", false, "-target",
                hostTarget);
        Path vmlinux = dir.resolve(hostTarget + "-vmlinux");
        Path objcopy = ExecutableSearch.ofEnvironment().find("llvm-objcopy")
                .or(() -> ExecutableSearch.ofEnvironment().findMatching(Pattern.compile("llvm-objcopy-\\d+")).stream()
                        .findFirst())
                .orElseThrow(() -> new AssertionError("llvm-objcopy is not installed (.ci/install-deps installs"
                        + " llvm)"));
        ProcessRunner.Result added = new ProcessRunner().run(List.of(objcopy.toString(), "--add-section",
                ".BTF=" + raw, host.toString(), vmlinux.toString()), dir);
        assertTrue(added.succeeded(), added.output());

        Btf btf = new KernelBtfReader().read(new KernelBtf(vmlinux, "vmlinux"));
        assertEquals(original.byteOrder(), btf.byteOrder());
        assertEquals(20, btf.find("task_struct", BtfType.Struct.class).orElseThrow().size());
    }

    @Test
    void readsRawBtf() throws Exception {
        Path object = CFixtures.kernelObject(dir, "kernel");
        byte[] raw = ObjectSpec.read("kernel", Files.readAllBytes(object)).btf().orElseThrow().rawBytes();
        Path file = Files.write(dir.resolve("kernel.btf"), raw);
        Btf btf = new KernelBtfReader().read(new KernelBtf(file, "kernel.btf"));
        assertTrue(btf.find("task_struct", BtfType.Struct.class).isPresent());
    }

    @Test
    void readsTheRunningKernelsBtf() throws Exception {
        assumeTrue(Files.isReadable(KernelBtfDiscovery.RUNNING_KERNEL), "this kernel exposes no BTF");
        Btf btf = new KernelBtfReader().read(new KernelBtf(KernelBtfDiscovery.RUNNING_KERNEL, "vmlinux"));
        assertTrue(btf.find("task_struct", BtfType.Struct.class).isPresent());
    }

    @Test
    void anElfFileWithoutBtfSaysSo() throws Exception {
        Path object = CFixtures.compile(dir, "nobtf", "int x;\n", false);
        assertEquals("nobtf.o is an ELF file without a .BTF section: build it with BTF (a kernel with"
                + " CONFIG_DEBUG_INFO_BTF=y, an object compiled with clang -g)", problem(object, "nobtf.o"));
    }

    @Test
    void anElfFileWhoseSectionHeadersLieOutsideItIsMalformed() throws Exception {
        Path object = CFixtures.kernelObject(dir, "kernel");
        byte[] bytes = Files.readAllBytes(object);
        // e_shoff of ELF64: the section header table moved past the end of the file.
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0x28, bytes.length + 4096L);
        Path broken = Files.write(dir.resolve("broken.o"), bytes);
        String problem = problem(broken, "broken.o");
        assertTrue(problem.startsWith("broken.o is a malformed ELF file: section header "), problem);
        assertTrue(problem.endsWith("lies outside the file of " + bytes.length + " bytes"), problem);
    }

    @Test
    void truncatedBtfDoesNotParse() throws Exception {
        Path object = CFixtures.kernelObject(dir, "kernel");
        byte[] raw = ObjectSpec.read("kernel", Files.readAllBytes(object)).btf().orElseThrow().rawBytes();
        Path file = Files.write(dir.resolve("cut.btf"), Arrays.copyOf(raw, raw.length / 2));
        String problem = problem(file, "cut.btf");
        assertTrue(problem.startsWith("cut.btf is not valid BTF: this raw BTF does not parse: "), problem);
    }

    @Test
    void somethingElseNamesItsFirstBytes() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.btf"), "hello, kernel");
        assertEquals("notes.btf is neither raw BTF (magic 0xeb9f) nor an ELF file; its first bytes are"
                + " 68 65 6c 6c 6f 2c 20 6b", problem(file, "notes.btf"));
        Path empty = Files.write(dir.resolve("empty.btf"), new byte[0]);
        assertEquals("empty.btf is neither raw BTF (magic 0xeb9f) nor an ELF file; its first bytes are (none: the"
                + " file is empty)", problem(empty, "empty.btf"));
    }

    @Test
    void aCompressedArchiveSaysToExtractIt() throws Exception {
        Path file = Files.write(dir.resolve("5.4.0.btf.tar.xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 0});
        assertTrue(problem(file, "5.4.0.btf.tar.xz").startsWith("5.4.0.btf.tar.xz is compressed (BTFHub ships"
                + " .btf.tar.xz archives): extract it first"));
    }

    @Test
    void aFileThatCannotBeOpenedIsUnreadable() {
        String problem = problem(dir.resolve("gone.btf"), "gone.btf");
        assertTrue(problem.startsWith("gone.btf is unreadable: java.nio.file.NoSuchFileException"), problem);
    }

    private static String problem(Path file, String name) {
        return assertThrows(UnreadableBtfException.class, () -> new KernelBtfReader().read(new KernelBtf(file, name)))
                .getMessage();
    }
}

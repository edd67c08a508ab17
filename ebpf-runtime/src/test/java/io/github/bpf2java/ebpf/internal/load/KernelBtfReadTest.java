package io.github.bpf2java.ebpf.internal.load;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the kernel's BTF is read, and how a machine without it, or with a file that is not BTF, is reported: as an
 * error with the way out (a BTF file given to the load), never as an ExceptionInInitializerError.
 */
class KernelBtfReadTest {

    @Test
    void aMissingFileIsAKernelWithoutBtf(@TempDir Path dir) {
        NotSupportedException e = assertThrows(NotSupportedException.class,
                () -> KernelBtf.read(dir.resolve("vmlinux")));
        assertTrue(e.getMessage().contains("exposes no BTF at " + dir.resolve("vmlinux")), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("CONFIG_DEBUG_INFO_BTF=y"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("-Debpf.kernelBtf=path"), e.getMessage());
    }

    @Test
    void anEmptyOrForeignFileSaysItDoesNotParseAndHowToGiveAnother(@TempDir Path dir) throws IOException {
        for (byte[] content : new byte[][] {new byte[0], "not BTF at all, just text".getBytes()}) {
            Path file = Files.write(dir.resolve("vmlinux"), content);
            BpfException e = assertThrows(BpfException.class, () -> KernelBtf.read(file));
            assertTrue(e.getMessage().startsWith("the kernel's BTF at " + file + " (" + content.length
                    + " bytes) does not parse: "), e.getMessage());
            assertTrue(e.getCause() instanceof ObjectFormatException, String.valueOf(e.getCause()));
            assertTrue(e.hint().orElseThrow().contains("LoadOptions.builder().kernelBtf(path)"), e.getMessage());
        }
    }

    @Test
    void aDirectoryCannotBeRead(@TempDir Path dir) {
        BpfException e = assertThrows(BpfException.class, () -> KernelBtf.read(dir));
        assertTrue(e.getMessage().startsWith("cannot read the kernel's BTF at " + dir), e.getMessage());
    }

    @Test
    void theRunningKernelsBtfIsReadOnceWhenThereIsOne() {
        if (!Files.isReadable(KernelBtf.VMLINUX)) {
            assertThrows(NotSupportedException.class, KernelBtf::vmlinux);
            assertThrows(NotSupportedException.class, KernelBtf::vmlinux, "the same error again, not a class error");
            return;
        }
        assertSame(KernelBtf.vmlinux(), KernelBtf.vmlinux(), "kept after the first read");
    }
}

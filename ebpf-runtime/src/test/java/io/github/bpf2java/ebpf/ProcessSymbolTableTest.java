package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.github.bpf2java.ebpf.attach.UprobeOptions;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.NativeFixtures.Linking;
import io.github.bpf2java.ebpf.testing.TracedProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** User-space addresses named from a process's memory map and the symbols of its files, or its perf map. */
class ProcessSymbolTableTest {

    @Test
    void theFirstFrameOfAUserStackAUprobeRecordedIsTheProbedFunction() {
        KernelSupport.assumeBpf();
        Path target = NativeFixtures.compile("probe_target", Linking.PIE);
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("user_stack",
                BpfFixtures.installedCompilers().get(0)));
                TracedProcess process = TracedProcess.start(target, "1")) {
            // Taken while the process waits, its libraries loaded; it has exited when the frames are named.
            ProcessSymbolTable symbols = ProcessSymbolTable.of(process.pid());
            object.program("record_user_stack").attachUprobe(target.toString(), "probed_add",
                    UprobeOptions.defaults().pid(process.pid()));
            process.go();
            long bytes = object.variable("stack_bytes").getLong();
            assertTrue(bytes >= 8, "bpf_get_stack wrote " + bytes);
            long first = ByteBuffer.wrap(object.variable("frames").get()).order(ByteOrder.nativeOrder()).getLong(0);
            assertEquals("probed_add [" + target.getFileName() + "]", symbols.describe(first));
            assertEquals("probed_add+0x1 [" + target.getFileName() + "]", symbols.describe(first + 1));
            assertEquals(Optional.of(target), symbols.find(first).orElseThrow().file());
        }
    }

    @Test
    void aLibraryFunctionIsNamedFromItsDynamicSymbolsAtItsLoadAddress() {
        int self = (int) ProcessHandle.current().pid();
        ProcessSymbolTable symbols = ProcessSymbolTable.of(self);
        // Where this process's C library has getpid, as the dynamic linker resolved it.
        long getpid = Pointer.nativeValue(NativeLibrary.getInstance("c").getFunction("getpid"));
        ProcessSymbolTable.Location location = symbols.find(getpid).orElseThrow();
        assertEquals(Optional.of("getpid"), location.function(), location.toString());
        assertTrue(location.file().orElseThrow().getFileName().toString().startsWith("libc"), location.toString());
        assertEquals(0, location.offset());
        assertTrue(symbols.describe(getpid + 3).matches("getpid\\+0x3 \\[libc[^\\]]*\\]"),
                symbols.describe(getpid + 3));
        assertEquals("0x10", symbols.describe(0x10), "nothing is mapped at 0x10");
    }

    @Test
    void codeWithoutAFileIsNamedFromThePerfMapAJitWrites() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        Path perfMap = Path.of("/tmp/perf-" + self + ".map");
        KernelSupport.assume(!Files.exists(perfMap), "this JVM writes a perf map of its own");
        // An anonymous mapping of this process stands for a JIT's code.
        String anonymous = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.trim().split("\\s+").length == 5).findFirst().orElseThrow();
        long start = Long.parseUnsignedLong(anonymous.substring(0, anonymous.indexOf('-')), 16);
        // HotSpot writes 0x-prefixed numbers, perf's own format has none: both are read.
        Files.writeString(perfMap, "0x" + Long.toHexString(start) + " 0x20 Lcom/example/Hot;::run\n"
                + Long.toHexString(start + 0x20) + " 10 Interpreter\n");
        try {
            ProcessSymbolTable symbols = ProcessSymbolTable.of(self);
            assertEquals("Lcom/example/Hot;::run+0x10 [perf map]", symbols.describe(start + 0x10));
            assertEquals("Interpreter+0x4 [perf map]", symbols.describe(start + 0x24));
            assertEquals(Optional.empty(), symbols.find(start + 0x40), "past the last entry, nothing names it");
        } finally {
            Files.delete(perfMap);
        }
    }

    @Test
    void aProcessThatDoesNotExistSaysSo() {
        NotFoundException gone = assertThrows(NotFoundException.class, () -> ProcessSymbolTable.of(999_999_999));
        assertTrue(gone.getMessage().contains("there is no process 999999999"), gone.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProcessSymbolTable.of(0));
    }
}

package io.github.bpf2java.ebpf.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.internal.bpf.MapCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.ProgramLoadRequest;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile;
import io.github.bpf2java.ebpf.internal.elf.ProbeSymbols;
import io.github.bpf2java.ebpf.internal.fs.ProbeEvents;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.Asm;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.TracedProcess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The path kernels before 4.17 take (no uprobe perf event source): a probe written into tracefs
 * {@code uprobe_events}, opened as a tracepoint, bound to the program, and removed again when the link closes.
 */
class TracefsUprobeTest {

    @Test
    void aUprobeMadeThroughTracefsCountsAndIsRemovedOnClose() throws Exception {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        Tracefs tracefs = Tracefs.findOrMount();
        KernelSupport.assume(ProbeEvents.available(tracefs, ProbeEvents.Kind.UPROBE), "tracefs has no uprobe_events");
        Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
        long offset = ProbeSymbols.offsetOf(ExecutableFile.open(target), "probed_add");
        String name;
        try (MapFd counter = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("calls").build());
                Fd program = Programs.load(ProgramLoadRequest.builder(ProgramType.KPROBE,
                        Asm.countingInto(counter.fd().raw()), "GPL").name("count_calls").build());
                TracedProcess process = TracedProcess.start(target, "7")) {
            KernelLink link = Probes.uprobeThroughTracefs(program, new Probes.Uprobe(target, offset, false,
                    process.pid(), 0, 0, "uprobe " + target + ":probed_add"));
            name = link.description().replaceAll(".*\\(tracefs (\\S+)\\)$", "$1");
            assertTrue(Files.readString(tracefs.root().resolve("uprobe_events")).contains(name),
                    "the probe event exists while attached");
            process.go();
            assertEquals(7, count(counter));
            link.close();
        }
        assertFalse(Files.readString(tracefs.root().resolve("uprobe_events")).contains(name),
                "closing the link removed " + name);
    }

    private static long count(MapFd counter) {
        byte[] out = new byte[8];
        assertTrue(counter.lookup(new byte[4], out));
        return ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).getLong();
    }
}

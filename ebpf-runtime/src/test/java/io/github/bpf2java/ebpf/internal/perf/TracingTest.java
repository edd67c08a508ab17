package io.github.bpf2java.ebpf.internal.perf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.bpf.LinkInfo;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.MapCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.ProgramLoadRequest;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.MappedRegion;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.Asm;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TracingTest {
    private static Tracefs tracefs;

    @BeforeAll
    static void mountTracefs() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        tracefs = Tracefs.findOrMount();
    }

    @AfterAll
    static void unmountWhatWeMounted() {
        if (tracefs != null) {
            tracefs.unmount();
        }
    }

    @Test
    void readsTheIdOfSysEnterExecve() {
        long id = tracefs.tracepointId("syscalls", "sys_enter_execve");
        assertTrue(id > 0);
        assertTrue(Files.isDirectory(tracefs.root().resolve("events")));
    }

    @Test
    void missingTracepointIsNotFoundWithAListingHint() {
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> tracefs.tracepointId("syscalls", "sys_enter_no_such_call"));
        assertTrue(e.getMessage().contains("syscalls/sys_enter_no_such_call"), e.getMessage());
        assertEquals("ls " + tracefs.root().resolve("events/syscalls") + " lists the tracepoints of this category",
                e.hint().orElseThrow());

        NotFoundException category = assertThrows(NotFoundException.class,
                () -> tracefs.tracepointId("no_such_category", "x"));
        assertTrue(category.hint().orElseThrow().contains("there is no category 'no_such_category'"));
        assertThrows(IllegalArgumentException.class, () -> tracefs.tracepointId("..", "x"));
    }

    @Test
    void countsEveryExecOfTrueThroughAPerfEventTracepoint() throws Exception {
        long id = tracefs.tracepointId("syscalls", "sys_enter_execve");
        try (MapFd counter = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("execs").build());
                Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.TRACEPOINT,
                        Asm.countingInto(counter.fd().raw()), "GPL").name("count_execs").build())) {
            try (Fd event = PerfEvents.open(PerfEventAttr.tracepoint(id), -1, 0, Optional.empty(),
                    "tracepoint syscalls/sys_enter_execve")) {
                PerfEvents.setBpf(event, prog);
                PerfEvents.enable(event);
                long before = count(counter);
                int runs = 3;
                for (int i = 0; i < runs; i++) {
                    assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
                }
                // Other processes exec too; ours are among the counted ones.
                long counted = count(counter) - before;
                assertTrue(counted >= runs, "execs counted: " + counted);

                BusyException twice = assertThrows(BusyException.class, () -> PerfEvents.setBpf(event, prog));
                assertTrue(twice.getMessage().contains("PERF_EVENT_IOC_SET_BPF"), twice.getMessage());
            }
            long afterClose = count(counter);
            assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
            assertEquals(afterClose, count(counter), "closing the event detached the program");
        }
    }

    @Test
    void rawTracepointProgramCountsSyscalls() throws Exception {
        try (MapFd counter = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("sys").build());
                Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.RAW_TRACEPOINT,
                        Asm.countingInto(counter.fd().raw()), "GPL").name("count_sys").build())) {
            long before = count(counter);
            try (Fd link = Links.rawTracepointOpen("sys_enter", prog, 0)) {
                for (int i = 0; i < 10; i++) {
                    Files.exists(tracefs.root().resolve("events"));
                }
                LinkInfo info = Links.info(link);
                assertEquals(LinkType.RAW_TRACEPOINT, info.type().orElseThrow());
                assertEquals(Programs.info(prog).id(), info.programId());
                assertEquals(new LinkTarget.RawTracepoint("sys_enter"), info.target());
            }
            long afterClose = count(counter);
            assertTrue(afterClose - before >= 10, "syscalls counted: " + (afterClose - before));
            Files.exists(tracefs.root());
            assertEquals(afterClose, count(counter), "closing the link detached the program");
        }
    }

    @Test
    void unknownRawTracepointIsNotFound() {
        try (Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.RAW_TRACEPOINT, Asm.returning(0), "GPL")
                .name("nowhere").build())) {
            NotFoundException e = assertThrows(NotFoundException.class,
                    () -> Links.rawTracepointOpen("no_such_tracepoint_xyz", prog, 0));
            assertTrue(e.hint().orElseThrow().contains("no_such_tracepoint_xyz"));
        }
    }

    @Test
    void perfBufferEventOpensAndMaps() {
        int pageSize = 4096;
        try (Fd event = PerfEvents.open(PerfEventAttr.bpfOutput(1), -1, 0, Optional.empty(), "bpf output cpu 0");
                MappedRegion ring = MappedRegion.map(event, pageSize * 3L, true, 0)) {
            // struct perf_event_mmap_page: data_offset (u64 at 1040) and data_size (u64 at 1048), Linux 4.1+.
            long dataSize = ring.buffer(0, pageSize).getLong(1048);
            assertEquals(2L * pageSize, dataSize);
        }
    }

    @Test
    void dynamicUprobePmuHasATypeAndRetprobeBit() {
        int type = DynamicPmu.type(DynamicPmu.UPROBE);
        assertTrue(type > 5, "dynamic PMU types follow the fixed ones: " + type);
        assertEquals(0, DynamicPmu.retprobeBit(DynamicPmu.UPROBE));
    }

    @Test
    void missingPmuIsNotSupported() {
        var e = assertThrows(io.github.bpf2java.ebpf.error.NotSupportedException.class,
                () -> DynamicPmu.type("no_such_pmu"));
        assertInstanceOf(io.github.bpf2java.ebpf.error.KernelException.class, e);
        assertTrue(e.getMessage().contains("no_such_pmu"));
    }

    private static long count(MapFd counter) {
        byte[] out = new byte[8];
        assertTrue(counter.lookup(new byte[4], out));
        return java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.nativeOrder()).getLong();
    }
}

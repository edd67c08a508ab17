package io.github.bpf2java.ebpf.internal.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.fs.MountTable;
import io.github.bpf2java.ebpf.internal.fs.Tracefs;
import io.github.bpf2java.ebpf.internal.perf.PerfEventAttr;
import io.github.bpf2java.ebpf.internal.perf.PerfEvents;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.testing.Asm;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LinksTest {
    private static final int ALLOW = 1;

    private Path cgroup;

    @BeforeEach
    void emptyCgroup() throws Exception {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        Optional<MountTable.Mount> cgroup2 = MountTable.read().ofType("cgroup2").stream().findFirst();
        KernelSupport.assume(cgroup2.isPresent(), "no cgroup v2 hierarchy is mounted");
        // An empty cgroup of our own: what is attached to it affects no process.
        cgroup = Files.createDirectory(cgroup2.get().mountPoint().resolve("bpf2java-test-" + ProcessHandle.current()
                .pid()));
    }

    @AfterEach
    void removeCgroup() throws Exception {
        if (cgroup != null) {
            Files.deleteIfExists(cgroup);
        }
    }

    @Test
    void cgroupLinkReportsItsCgroupAndSwapsPrograms() throws Exception {
        long cgroupId = (Long) Files.getAttribute(cgroup, "unix:ino");
        try (Fd dir = Fd.open(cgroup);
                Fd first = skbProgram("first");
                Fd second = skbProgram("second");
                Fd link = Links.create(new LinkCreateRequest(first, dir.raw(), "cgroup " + cgroup,
                        AttachType.CGROUP_INET_INGRESS, 0, new LinkParameters.None()))) {
            LinkInfo info = Links.info(link);
            assertEquals(LinkType.CGROUP, info.type().orElseThrow());
            assertEquals(Programs.info(first).id(), info.programId());
            LinkTarget.Cgroup target = assertInstanceOf(LinkTarget.Cgroup.class, info.target());
            assertEquals(cgroupId, target.cgroupId());
            assertEquals(AttachType.CGROUP_INET_INGRESS.value(), target.attachTypeValue());
            assertEquals(Optional.of(AttachType.CGROUP_INET_INGRESS), target.attachType());

            KernelException wrongOld = assertThrows(KernelException.class,
                    () -> Links.update(link, second, Optional.of(second)));
            assertEquals("EPERM", wrongOld.errnoName(), "BPF_F_REPLACE with the wrong old program");
            Links.update(link, second, Optional.of(first));
            assertEquals(Programs.info(second).id(), Links.info(link).programId());

            try (Fd reopened = Links.byId(info.id())) {
                assertEquals(info.id(), Links.info(reopened).id());
            }
            Links.detach(link);
        }
    }

    @Test
    void legacyCgroupAttachmentComesAndGoes() throws Exception {
        try (Fd dir = Fd.open(cgroup); Fd prog = skbProgram("legacy")) {
            ProgramAttachment attachment = ProgramAttachment.of(dir, prog, AttachType.CGROUP_INET_EGRESS, 0);
            Programs.attach(attachment);
            Programs.detach(attachment);
            KernelException twice = assertThrows(KernelException.class, () -> Programs.detach(attachment));
            assertTrue(twice.getMessage().contains("BPF_PROG_DETACH"), twice.getMessage());
        }
    }

    @Test
    void perfEventLinkCountsExecsWithACookie() throws Exception {
        Tracefs tracefs = Tracefs.findOrMount();
        try {
            long id = tracefs.tracepointId("syscalls", "sys_enter_execve");
            try (MapFd counter = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("n").build());
                    Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.TRACEPOINT,
                            Asm.countingInto(counter.fd().raw()), "GPL").name("linked").build());
                    Fd event = PerfEvents.open(PerfEventAttr.tracepoint(id), -1, 0, Optional.empty(),
                            "tracepoint syscalls/sys_enter_execve");
                    Fd link = Links.create(new LinkCreateRequest(prog, event.raw(), event.description(),
                            AttachType.PERF_EVENT, 0, new LinkParameters.PerfEvent(42)))) {
                PerfEvents.enable(event);
                assertEquals(LinkType.PERF_EVENT, Links.info(link).type().orElseThrow());
                byte[] before = new byte[8];
                counter.lookup(MapFdTest.key(0), before);
                assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
                byte[] after = new byte[8];
                counter.lookup(MapFdTest.key(0), after);
                assertTrue(MapFdTest.asLong(after) > MapFdTest.asLong(before));
            }
        } finally {
            tracefs.unmount();
        }
    }

    @Test
    void uprobeMultiLinkCountsRunsOfTrue() throws Exception {
        KernelSupport.assume(Files.isDirectory(Path.of("/sys/bus/event_source/devices/uprobe")),
                "the kernel has no uprobes");
        KernelSupport.assume(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the test reads the entry point of a little-endian ELF file");
        Path binary = Path.of("/bin/true").toRealPath();
        long entry = ElfEntry.fileOffsetOfEntry(binary);
        try (MapFd counter = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("u").build());
                Fd prog = Programs.load(ProgramLoadRequest.builder(ProgramType.KPROBE,
                        Asm.countingInto(counter.fd().raw()), "GPL").name("uprobe")
                        .expectedAttachType(AttachType.TRACE_UPROBE_MULTI).build())) {
            try (Fd link = Links.create(new LinkCreateRequest(prog, 0, binary.toString(),
                    AttachType.TRACE_UPROBE_MULTI, 0, new LinkParameters.UprobeMulti(binary.toString(),
                            new long[] {entry}, new long[0], new long[] {7}, 0, 0)))) {
                assertEquals(LinkType.UPROBE_MULTI, Links.info(link).type().orElseThrow());
                for (int i = 0; i < 3; i++) {
                    assertEquals(0, new ProcessBuilder(binary.toString()).start().waitFor());
                }
            }
            byte[] count = new byte[8];
            assertTrue(counter.lookup(MapFdTest.key(0), count));
            assertTrue(MapFdTest.asLong(count) >= 3, "runs of true counted: " + MapFdTest.asLong(count));
        }
    }

    @Test
    void missingPathsAreNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> Fd.open(cgroup.resolve("missing")));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertThrows(NotFoundException.class, () -> Links.byId(Integer.MAX_VALUE));
    }

    private static Fd skbProgram(String name) {
        return Programs.load(ProgramLoadRequest.builder(ProgramType.CGROUP_SKB, Asm.returning(ALLOW), "GPL")
                .name(name).expectedAttachType(AttachType.CGROUP_INET_INGRESS).build());
    }
}

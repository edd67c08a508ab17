package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.fs.MountTable;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.PinRoot;
import io.github.bpf2java.ebpf.testing.NativeFixtures;
import io.github.bpf2java.ebpf.testing.TracedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link BpfLink} as a first-class object: info, pin and reopen, update, detach, close, on real links. */
class LinkLifecycleTest {
    private final String unique = "bpf2java-" + getClass().getSimpleName() + "-" + ProcessHandle.current().pid();
    private PinRoot pins;
    private Path pin;
    private Path cgroup;

    @BeforeEach
    void kernel() throws IOException {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        pins = PinRoot.create("links");
        pin = pins.path().resolve("link");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (pins != null) {
            pins.close(); // and whatever is pinned in it
        }
        if (cgroup != null) {
            Files.deleteIfExists(cgroup);
        }
    }

    @Test
    void aPinnedUprobeLinkOutlivesItsObjectUntilUnpinned() {
        Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
        try (BpfObject object = BpfObject.load(ProbeAttachTest.probes())) {
            BpfProgram program = object.program("on_probed_add");
            BpfLink link = program.attachUprobe(target.toString(), "probed_add");
            BpfLink.Info info = link.info();
            assertEquals(LinkType.PERF_EVENT, info.type().orElseThrow());
            assertEquals(Programs.info(program.handle()).id(), info.programId());
            assertTrue(info.id() > 0);
            boolean reports = KernelVersion.running().atLeast(KernelVersion.of(6, 6)); // perf-event link info
            if (reports) {
                LinkTarget.Uprobe probe = assertInstanceOf(LinkTarget.Uprobe.class, info.target(), info.toString());
                assertEquals(target.toString(), probe.binary());
                assertTrue(probe.offset() > 0 && !probe.returnProbe(), info.toString());
            } else {
                assertEquals(new LinkTarget.Unreported(), info.target());
            }

            link.pin(pin);
            assertEquals(Optional.of(pin), link.pinnedPath());
            link.close();
            assertTrue(link.isClosed());
            assertThrows(IllegalStateException.class, link::info);
            run(target, 3);
            assertEquals(3, ProbeAttachTest.hit(object, 0), "the pin kept the uprobe attached after close()");

            try (BpfLink reopened = BpfLink.openPinned(pin)) {
                assertEquals(info, reopened.info(), "the same kernel link");
                assertEquals(Optional.of(pin), reopened.pinnedPath());
                assertTrue(reopened.description().startsWith("pinned link " + pin + (reports
                        ? " (Uprobe[binary=" + target : "")),
                        "says where it is attached: " + reopened.description());
                reopened.unpin();
                assertFalse(Files.exists(pin));
            }
            run(target, 3);
            assertEquals(3, ProbeAttachTest.hit(object, 0), "unpinned and closed: detached");
        }
    }

    @Test
    void openPinnedRefusesWhatIsNotALink() throws Exception {
        try (BpfObject object = BpfObject.load(ProbeAttachTest.probes())) {
            io.github.bpf2java.ebpf.internal.bpf.Pins.pin(object.map("hits").handle().fd(), pin);
            BpfException e = assertThrows(BpfException.class, () -> BpfLink.openPinned(pin));
            assertTrue(e.getMessage().contains("not a link"), e.getMessage());
        }
    }

    @Test
    void updateMovesAnIteratorLinkToAnotherProgram() throws Exception {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("iter", BpfFixtures.installedCompilers()
                .get(0)))) {
            BpfLink link = object.program("first").attach();
            assertEquals(LinkType.ITER, link.info().type().orElseThrow());
            assertEquals(new LinkTarget.Iterator("bpf_map"), link.info().target());
            link.pin(pin); // reading a pinned iterator link runs it
            BpfException notAMap = assertThrows(BpfException.class, () -> BpfMap.openPinned(pin));
            assertTrue(notAMap.getMessage().startsWith(pin + " holds a link, not a map"), notAMap.getMessage());
            // Removing a link's pin as a map's would detach the program once the link is closed: refused.
            BpfException unpinAsMap = assertThrows(BpfException.class, () -> BpfMap.unpin(pin));
            assertTrue(unpinAsMap.getMessage().startsWith(pin + " holds a link, not a map"), unpinAsMap.getMessage());
            assertTrue(unpinAsMap.hint().orElse("").contains("BpfLink.openPinned(path).unpin()"),
                    unpinAsMap.getMessage());
            assertTrue(Files.exists(pin), "the link's pin is still there");
            // A second pin would outlive unpin(), which knows only one.
            Path second = pin.resolveSibling(pin.getFileName() + "-again");
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> link.pin(second));
            assertTrue(twice.getMessage().contains("is pinned at " + pin + " already; unpin() it before pinning it at "
                    + second), twice.getMessage());
            assertFalse(Files.exists(second));
            assertTrue(Files.readString(pin).startsWith("first\n"), "the first program wrote the output");

            link.update(object.program("second"));
            assertEquals(Programs.info(object.program("second").handle()).id(), link.info().programId());
            assertTrue(Files.readString(pin).startsWith("second\n"), "the second program writes it now");
            KernelException otherIterator = assertThrows(KernelException.class,
                    () -> link.update(object.program("tasks")));
            assertTrue(otherIterator.getMessage().contains("tasks iterates over task (section iter/task) and the "
                    + "link over bpf_map"), otherIterator.getMessage());
            assertTrue(otherIterator.hint().orElse("").contains("SEC(\"iter/bpf_map\")"), otherIterator.getMessage());
            link.unpin();
        }
    }

    @Test
    void anIteratorLinkIsReadAsAStreamOnePassPerOpen() throws Exception {
        // The programs write a line per BPF map in the system; the probes' object has maps, so there are some.
        try (BpfObject maps = BpfObject.load(ProbeAttachTest.probes());
                BpfObject object = BpfObject.load(BpfFixtures.hostSpec("iter", BpfFixtures.installedCompilers()
                        .get(0)))) {
            BpfLink link = object.program("first").attach();
            List<String> lines = readAll(link);
            assertTrue(lines.size() >= maps.maps().size(), lines.size() + " lines for at least "
                    + maps.maps().size() + " maps");
            assertEquals(List.of("first"), lines.stream().distinct().toList(), lines.toString());
            assertEquals(lines.size(), readAll(link).size(), "a second pass runs over the same maps");

            InputStream opened = link.openIterator();
            link.update(object.program("second"));
            assertEquals(List.of("second"), readAll(link).stream().distinct().toList(), "the link's new program");
            link.close();
            try (opened) {
                String before = new String(opened.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(before.startsWith("first\n") || before.startsWith("second\n"), before);
                assertEquals(-1, opened.read(), "the pass ended");
            }
            IOException closed = assertThrows(IOException.class, () -> opened.read(new byte[4]));
            assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
            assertThrows(IllegalStateException.class, link::openIterator, "the link is closed");
        }
    }

    @Test
    void onlyIteratorLinksCanBeRead() {
        Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
        try (BpfObject object = BpfObject.load(ProbeAttachTest.probes())) {
            BpfLink link = object.program("on_probed_add").attachUprobe(target.toString(), "probed_add");
            NotSupportedException e = assertThrows(NotSupportedException.class, link::openIterator);
            assertTrue(e.getMessage().contains("is a link of type PERF_EVENT, not an iterator"), e.getMessage());
        }
    }

    private static List<String> readAll(BpfLink link) throws IOException {
        try (InputStream in = link.openIterator()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void tracingLinksSayTheyCannotBeUpdatedOrDetached() {
        Path target = NativeFixtures.compile("probe_target", NativeFixtures.Linking.PIE);
        try (BpfObject object = BpfObject.load(ProbeAttachTest.probes())) {
            BpfLink link = object.program("on_probed_add").attachUprobe(target.toString(), "probed_add");
            NotSupportedException update = assertThrows(NotSupportedException.class,
                    () -> link.update(object.program("on_libc_call")));
            assertTrue(update.getMessage().contains("a link of type PERF_EVENT cannot change its program"),
                    update.getMessage());
            assertTrue(update.hint().orElse("").startsWith("attach on_libc_call first, then close this link"),
                    "the order that misses no event: " + update.getMessage());
            NotSupportedException detach = assertThrows(NotSupportedException.class, link::detach);
            assertTrue(detach.getMessage().contains("cannot detach a link of type PERF_EVENT"), detach.getMessage());
            run(target, 2);
            assertEquals(2, ProbeAttachTest.hit(object, 0), "still attached after the refusals");
        }
    }

    @Test
    void detachKeepsTheLinkButAttachesItToNothing() throws Exception {
        Optional<MountTable.Mount> cgroup2 = MountTable.read().ofType("cgroup2").stream().findFirst();
        KernelSupport.assume(cgroup2.isPresent(), "no cgroup v2 hierarchy is mounted");
        cgroup = Files.createDirectory(cgroup2.get().mountPoint().resolve(unique));
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("sections", BpfFixtures.installedCompilers()
                .get(0)), LoadOptions.builder().programs(java.util.Set.of("prog_cgroup_skb")).build());
                Fd dir = Fd.open(cgroup)) {
            BpfProgram program = object.program("prog_cgroup_skb");
            Fd fd = Links.create(new LinkCreateRequest(program.handle(), dir.raw(), "cgroup " + cgroup,
                    AttachType.CGROUP_INET_INGRESS, 0, new LinkParameters.None()));
            BpfLink link = object.adopt(new KernelLink("cgroup " + cgroup, List.of(fd)));
            long cgroupId = (Long) Files.getAttribute(cgroup, "unix:ino");
            assertEquals(cgroupId, cgroupOf(fd));

            link.detach();
            assertEquals(0, cgroupOf(fd), "the link now holds no cgroup");
            assertEquals(LinkType.CGROUP, link.info().type().orElseThrow(), "but it is still open");
            link.close();
            assertTrue(link.isClosed());
        }
    }

    private static long cgroupOf(Fd link) {
        return assertInstanceOf(LinkTarget.Cgroup.class, Links.info(link).target()).cgroupId();
    }

    private static void run(Path target, int count) {
        try (TracedProcess process = TracedProcess.start(target, Integer.toString(count))) {
            process.go();
        }
    }
}

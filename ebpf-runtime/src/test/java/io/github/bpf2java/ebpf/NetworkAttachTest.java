package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.attach.ProgramOrder;
import io.github.bpf2java.ebpf.attach.TcOptions;
import io.github.bpf2java.ebpf.attach.TcxOptions;
import io.github.bpf2java.ebpf.attach.XdpMode;
import io.github.bpf2java.ebpf.attach.XdpOptions;
import io.github.bpf2java.ebpf.codec.Codecs;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.BusyException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapSpec;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.Datagrams;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * XDP, tcx and legacy tc programs attached to the host end of a veth pair whose other end is in a network namespace
 * the test creates: datagrams sent from inside to a port the programs drop do not arrive while they are attached,
 * and arrive again once the link is closed; others always arrive.
 */
class NetworkAttachTest {
    private static final long QUIET_MILLIS = 400;

    private TestNetworkNamespace ns;
    private TestNetworkNamespace.Veth veth;
    private DatagramChannel dropped;
    private DatagramChannel passed;

    @BeforeEach
    void vethIntoNamespace() throws Exception {
        KernelSupport.assumeBpf();
        ns = TestNetworkNamespace.create("net");
        veth = ns.veth();
        dropped = Datagrams.bind(veth.hostAddress());
        passed = Datagrams.bind(veth.hostAddress());
        // Resolve the neighbours once, so no datagram waits for ARP later.
        sendFromInside(passed, "hello");
        assertEquals(List.of("hello"), Datagrams.receive(passed, 1, 5000));
    }

    @AfterEach
    void removeNamespace() throws Exception {
        try {
            if (dropped != null) {
                dropped.close();
                passed.close();
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    @Test
    void xdpDropsItsPortOnTheInterfaceUntilClosed() throws Exception {
        try (BpfObject object = load()) {
            BpfLink link = object.program("xdp_drop").attachXdp(veth.hostName());
            assertTrue(link.description().contains(veth.hostName()), link.description());
            assertEquals(Optional.of(LinkType.XDP), link.info().type(), "held by an XDP bpf_link");
            assertEquals(object.program("xdp_drop").id(), link.info().programId());
            int index = NetworkInterface.getByName(veth.hostName()).getIndex();
            assertEquals(new LinkTarget.NetworkInterface(index, AttachType.XDP.value()), link.info().target());
            assertEquals("NetworkInterface[index=" + index + ", attachType=XDP (" + AttachType.XDP.value() + ")]",
                    link.info().target().toString(), "the hook by name");
            assertDropsThenPasses(object, link, "xdp");
        }
    }

    @Test
    void aSingleBufferProgramOnAJumboMtuIsRefusedSayingWhatTakesIt() throws Exception {
        // veth checks the peer's MTU: frames from it must fit one page.
        TestNetworkNamespace.ip("link", "set", "dev", veth.hostName(), "mtu", "9000");
        ns.ipInside("link", "set", "dev", veth.peerName(), "mtu", "9000");
        try (BpfObject object = load()) {
            KernelException jumbo = assertThrows(KernelException.class, () -> object.program("xdp_drop")
                    .attachXdp(veth.hostName(), XdpOptions.defaults().withMode(XdpMode.DRIVER)));
            assertEquals("ERANGE", jumbo.errnoName(), jumbo.getMessage());
            assertTrue(jumbo.hint().orElse("").startsWith("the MTU of " + veth.hostName() + " (for a veth, of its "
                    + "peer) is larger than a single-buffer XDP program takes in the driver's hook: declare the "
                    + "program SEC(\"xdp.frags\")"), jumbo.getMessage());
        } finally {
            ns.ipInside("link", "set", "dev", veth.peerName(), "mtu", "1500");
            TestNetworkNamespace.ip("link", "set", "dev", veth.hostName(), "mtu", "1500");
        }
    }

    @Test
    void deviceAndCpuMapEntriesAreWrittenWithTheirPrograms() throws Exception {
        int hostIndex = NetworkInterface.getByName(veth.hostName()).getIndex();
        MapSpec withPrograms = MapSpec.builder("ports", MapType.DEVMAP).keySize(4).valueSize(8).maxEntries(4).build();
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0)),
                LoadOptions.builder().programs(Set.of("xdp_on_entry", "xdp_drop")).build());
                BpfMap ports = BpfMap.create(withPrograms);
                BpfMap plain = BpfMap.create(withPrograms.toBuilder().valueSize(4).build());
                BpfMap cpus = BpfMap.create(MapSpec.builder("cpus", MapType.CPUMAP).keySize(4).valueSize(8)
                        .maxEntries(1).build())) {
            BpfProgram onEntry = object.program("xdp_on_entry");
            ports.putInterface(0, hostIndex, onEntry);
            ByteBuffer entry = ByteBuffer.wrap(ports.lookup(Codecs.toBytes(Codecs.U32, 0)).orElseThrow())
                    .order(ByteOrder.nativeOrder());
            assertEquals(hostIndex, entry.getInt(0));
            assertEquals(onEntry.id(), entry.getInt(4), "read back, the entry's program is its id");
            ports.putInterface(1, veth.hostName());
            ByteBuffer byName = ByteBuffer.wrap(ports.lookup(Codecs.toBytes(Codecs.U32, 1)).orElseThrow())
                    .order(ByteOrder.nativeOrder());
            assertEquals(hostIndex, byName.getInt(0), "found by its name");
            assertEquals(0, byName.getInt(4), "no program");
            assertThrows(NotFoundException.class, () -> ports.putInterface(3, "b2jnosuchif"));
            KernelException notForEntries = assertThrows(KernelException.class,
                    () -> ports.putInterface(2, hostIndex, object.program("xdp_drop")));
            assertTrue(notForEntries.hint().orElse("").startsWith("an entry's program must be an XDP program "
                    + "declared for entries of this kind, SEC(\"xdp/devmap\"), and program 'xdp_drop' is of section "
                    + "'xdp'"), notForEntries.getMessage());
            plain.putInterface(0, hostIndex);
            IllegalArgumentException noRoom = assertThrows(IllegalArgumentException.class,
                    () -> plain.putInterface(1, hostIndex, onEntry));
            assertTrue(noRoom.getMessage().contains("declare __type(value, struct bpf_devmap_val)"),
                    noRoom.getMessage());

            cpus.putCpu(0, 192);
            assertEquals(192, ByteBuffer.wrap(cpus.lookup(Codecs.toBytes(Codecs.U32, 0)).orElseThrow())
                    .order(ByteOrder.nativeOrder()).getInt(0), "the queue size");
            assertThrows(IllegalArgumentException.class, () -> cpus.putCpu(0, 0));
            assertThrows(IllegalArgumentException.class, () -> cpus.putCpu(1, 192), "past the map's CPUs");
            assertThrows(IllegalStateException.class, () -> cpus.putInterface(0, hostIndex));
        }
    }

    @Test
    void aDeviceMapTakesAnInterfaceOnlyFromTheNamespaceThatHasIt() throws Exception {
        MapSpec spec = MapSpec.builder("ports", MapType.DEVMAP).keySize(4)
                .valueSize(4).maxEntries(4).build();
        try (BpfMap ports = BpfMap.create(spec)) {
            int hostIndex = NetworkInterface.getByName(veth.hostName()).getIndex();
            byte[] key = Codecs.toBytes(Codecs.U32, 0);
            byte[] value = Codecs.toBytes(Codecs.U32, hostIndex);
            // The test's namespace has only lo and the peer end, so no interface of the host end's index.
            assertTrue(hostIndex > 2, "host end index " + hostIndex);
            KernelException refused = assertThrows(KernelException.class, () -> ns.run(() -> {
                ports.put(key, value);
                return null;
            }));
            assertTrue(refused.hint().orElse("").contains("looked up in the network namespace of the thread that "
                    + "writes it"), refused.getMessage());
            ports.put(key, value);
            assertArrayEquals(value, ports.lookup(key).orElseThrow());
        }
    }

    @Test
    void linksOnAnInterfaceThatIsDeletedReportThemselvesDetached() throws Exception {
        // A pair of its own, deleted in the middle of the test: deleting one end deletes both.
        String name = "b2jgone0";
        TestNetworkNamespace.ip("link", "add", name, "type", "veth", "peer", "name", "b2jgone1");
        boolean deleted = false;
        try (BpfObject object = load()) {
            BpfLink xdp = object.program("xdp_drop").attachXdp(name);
            BpfLink tcx = object.program("tcx_drop").attachTcx(name, TcxOptions.ingress());
            assertFalse(assertInstanceOf(LinkTarget.NetworkInterface.class, xdp.info().target()).detached());
            TestNetworkNamespace.ip("link", "del", name);
            deleted = true;
            assertEquals(new LinkTarget.NetworkInterface(0, AttachType.XDP.value()), xdp.info().target());
            assertTrue(assertInstanceOf(LinkTarget.NetworkInterface.class, xdp.info().target()).detached());
            assertTrue(assertInstanceOf(LinkTarget.NetworkInterface.class, tcx.info().target()).detached());
            xdp.close();
            tcx.close();
            assertTrue(xdp.isClosed() && tcx.isClosed(), "a detached link closes as any other");
        } finally {
            if (!deleted) {
                TestNetworkNamespace.ip("link", "del", name);
            }
        }
    }

    @Test
    void xdpThroughRtnetlinkInGenericModeDetachesOnClose() throws Exception {
        try (BpfObject object = load()) {
            BpfLink link = object.program("xdp_drop").attachXdp(veth.hostName(),
                    XdpOptions.defaults().withMode(XdpMode.GENERIC).throughNetlink());
            assertTrue(TestNetworkNamespace.ip("link", "show", "dev", veth.hostName()).contains("xdpgeneric"));
            assertDropsThenPasses(object, link, "xdp netlink");
            assertFalse(TestNetworkNamespace.ip("link", "show", "dev", veth.hostName()).contains("xdp"),
                    "closing the link removed the program from the interface");
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void xdpOnAnInterfaceThatHasOneAlreadyIsBusy() {
        try (BpfObject object = load()) {
            try (BpfLink first = object.program("xdp_drop").attachXdp(veth.hostName())) {
                BusyException busy = assertThrows(BusyException.class,
                        () -> object.program("xdp_drop").attachXdp(veth.hostName()));
                assertTrue(busy.hint().orElse("").contains("already has an XDP program"), busy.getMessage());
            }
        }
    }

    /**
     * What a bpf_link's refusals mean for XDP modes (the kernel's explanation goes to an extended acknowledgement a
     * link cannot return): generic beside native, driver mode where the driver has none, offload of a program loaded
     * for the host.
     */
    @Test
    void xdpModesTheInterfaceCannotTakeAreRefusedSayingWhy() throws Exception {
        try (BpfObject object = load()) {
            BpfProgram xdp = object.program("xdp_drop");
            try (BpfLink driver = xdp.attachXdp(veth.hostName(), XdpOptions.defaults().withMode(XdpMode.DRIVER))) {
                BusyException other = assertThrows(BusyException.class, () -> xdp.attachXdp(veth.hostName(),
                        XdpOptions.defaults().withMode(XdpMode.GENERIC)));
                assertEquals("EEXIST", other.errnoName());
                assertTrue(other.hint().orElse("").startsWith(veth.hostName() + " has an XDP program in another "
                        + "mode: native (driver) and generic XDP cannot be active at once"), other.getMessage());
            }
            KernelException offload = assertThrows(KernelException.class, () -> xdp.attachXdp(veth.hostName(),
                    XdpOptions.defaults().withMode(XdpMode.OFFLOAD)));
            assertTrue(offload.hint().orElse("").startsWith("XdpMode.OFFLOAD runs a program on the network card"),
                    offload.getMessage());
            try (NetworkNamespace inside = NetworkNamespace.open(ns.path())) {
                // The loopback device has no native XDP (veth has).
                NotSupportedException driver = assertThrows(NotSupportedException.class, () -> inside.call(
                        () -> xdp.attachXdp("lo", XdpOptions.defaults().withMode(XdpMode.DRIVER))));
                assertEquals("the driver of lo has no native XDP: attach with XdpMode.GENERIC, or XdpMode.DEFAULT, "
                        + "which takes the driver's hook where there is one and generic XDP elsewhere",
                        driver.hint().orElse(""), driver.getMessage());
                try (BpfLink generic = inside.call(() -> xdp.attachXdp("lo",
                        XdpOptions.defaults().withMode(XdpMode.GENERIC)))) {
                    assertTrue(ns.ipInside("link", "show", "dev", "lo").contains("xdpgeneric"), "GENERIC works there");
                }
            }
        }
    }

    @Test
    void xdpOnAMissingInterfaceOrWithTheWrongProgramSaysWhy() {
        try (BpfObject object = load()) {
            NotFoundException missing = assertThrows(NotFoundException.class,
                    () -> object.program("xdp_drop").attachXdp("b2jnosuchif"));
            assertTrue(missing.getMessage().startsWith("no network interface 'b2jnosuchif' in this network namespace"),
                    missing.getMessage());
            BpfException wrongType = assertThrows(BpfException.class,
                    () -> object.program("tc_drop").attachXdp(veth.hostName()));
            assertTrue(wrongType.getMessage().contains("SCHED_CLS"), wrongType.getMessage());
            BpfException bySection = assertThrows(BpfException.class, () -> object.program("xdp_drop").attach());
            assertTrue(bySection.hint().orElse("").contains("attachXdp("), bySection.getMessage());
        }
    }

    @Test
    void tcxAttachesInsideAnotherNamespaceThroughIt() throws Exception {
        try (BpfObject object = load(); NetworkNamespace inside = NetworkNamespace.open(ns.path())) {
            BpfProgram drop = object.program("tcx_drop");
            assertThrows(NotFoundException.class, () -> drop.attachTcx(veth.peerName(), TcxOptions.egress()),
                    "the namespace's end of the veth pair is not in the caller's namespace");
            // Leaving the namespace, the datagrams the test sends from inside pass its end's egress.
            BpfLink link = inside.call(() -> drop.attachTcx(veth.peerName(), TcxOptions.egress()));
            assertDropsThenPasses(object, link, "tcx link inside the namespace");
        }
    }

    @Test
    void xdpAttachesInsideAnotherNamespaceAndStaysAfterItIsClosed() {
        try (BpfObject object = load()) {
            BpfLink link;
            try (NetworkNamespace inside = NetworkNamespace.open(ns.path())) {
                link = inside.call(() -> object.program("xdp_drop").attachXdp(veth.peerName()));
            }
            assertTrue(ns.ipInside("link", "show", "dev", veth.peerName()).contains("xdp"),
                    "attached to the namespace's interface, and still after the namespace object was closed");
            assertFalse(TestNetworkNamespace.ip("link", "show", "dev", veth.hostName()).contains("xdp"),
                    "not to the host's end");
            link.close();
            assertFalse(ns.ipInside("link", "show", "dev", veth.peerName()).contains("xdp"), "detached on close");
        }
    }

    @Test
    void legacyAttachmentsInsideAnotherNamespaceDetachThereWhenClosedOutsideIt() throws Exception {
        // rtnetlink acts in the namespace of the socket it is sent on: the detach must not use a socket of the
        // closing thread's namespace, where the same interface index is another interface or none.
        try (BpfObject object = load(); NetworkNamespace inside = NetworkNamespace.open(ns.path())) {
            BpfLink tc = inside.call(() -> object.program("tc_drop").attachTc(veth.peerName(),
                    TcOptions.egress().withPriority(9)));
            BpfLink xdp = inside.call(() -> object.program("xdp_drop").attachXdp(veth.peerName(),
                    XdpOptions.defaults().withMode(XdpMode.GENERIC).throughNetlink()));
            assertTrue(tcInside("filter", "show", "dev", veth.peerName(), "egress").contains("tc_drop"));
            assertTrue(ns.ipInside("link", "show", "dev", veth.peerName()).contains("xdpgeneric"));
            assertDropsThenPasses(object, tc, "tc inside the namespace, closed outside it,");
            assertFalse(tcInside("qdisc", "show", "dev", veth.peerName()).contains("clsact"),
                    "the qdisc the attachment added inside the namespace is gone with it");
            xdp.close();
            assertFalse(ns.ipInside("link", "show", "dev", veth.peerName()).contains("xdp"),
                    "the XDP program left the namespace's interface");
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void tcxRunsProgramsInTheOrderAsked() throws Exception {
        try (BpfObject object = load()) {
            BpfProgram drop = object.program("tcx_drop");
            BpfProgram count = object.program("tcx_count");
            try (BpfLink dropLink = drop.attachTcx(veth.hostName(), TcxOptions.ingress())) {
                assertEquals(Optional.of(LinkType.TCX), dropLink.info().type());
                try (BpfLink after = count.attachTcx(veth.hostName(),
                        TcxOptions.ingress().withOrder(ProgramOrder.afterProgram(drop.id())))) {
                    sendFromInside(dropped, "a", "b");
                    assertEquals(List.of(), Datagrams.receive(dropped, 0, QUIET_MILLIS));
                    assertEquals(2, counter(object, 0), "tcx_drop dropped both");
                    assertEquals(0, counter(object, 1), "tcx_count, after it, saw neither");
                }
                try (BpfLink before = count.attachTcx(veth.hostName(),
                        TcxOptions.ingress().withOrder(ProgramOrder.beforeProgram(drop.id())))) {
                    sendFromInside(dropped, "c", "d");
                    assertEquals(List.of(), Datagrams.receive(dropped, 0, QUIET_MILLIS));
                    assertEquals(4, counter(object, 0));
                    assertEquals(2, counter(object, 1), "tcx_count, now before tcx_drop, saw both");
                }
            }
            sendFromInside(dropped, "e");
            assertEquals(List.of("e"), Datagrams.receive(dropped, 1, 5000), "no program is left on the interface");
        }
    }

    @Test
    void tcxAndLegacyTcAttachByInterfaceIndex() throws Exception {
        int index = NetworkInterface.getByName(veth.hostName()).getIndex();
        try (BpfObject object = load()) {
            BpfLink tcx = object.program("tcx_drop").attachTcx(index, TcxOptions.ingress());
            LinkTarget.NetworkInterface device = assertInstanceOf(LinkTarget.NetworkInterface.class,
                    tcx.info().target());
            assertEquals(index, device.index());
            assertEquals(Optional.of(AttachType.TCX_INGRESS), device.attachType());
            assertTrue(tcx.description().contains(veth.hostName()), tcx.description());
            assertDropsThenPasses(object, tcx, "tcx by index");
        }
        try (BpfObject object = load()) {
            BpfLink tc = object.program("tc_drop").attachTc(index, TcOptions.ingress());
            assertTrue(tc("filter", "show", "dev", veth.hostName(), "ingress").contains("tc_drop"));
            assertDropsThenPasses(object, tc, "tc by index");
            NotFoundException missing = assertThrows(NotFoundException.class,
                    () -> object.program("tcx_drop").attachTcx(Integer.MAX_VALUE, TcxOptions.ingress()));
            assertTrue(missing.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), missing.getMessage());
            assertThrows(NotFoundException.class,
                    () -> object.program("tc_drop").attachTc(Integer.MAX_VALUE, TcOptions.ingress()));
        }
    }

    @Test
    void legacyTcAddsClsactAndItsFilterAndRemovesBoth() throws Exception {
        try (BpfObject object = load()) {
            BpfLink link = object.program("tc_drop").attachTc(veth.hostName(), TcOptions.ingress().withPriority(7));
            NotSupportedException noBpfLink = assertThrows(NotSupportedException.class, link::info);
            assertTrue(noBpfLink.getMessage().contains("legacy attachment"), noBpfLink.getMessage());
            assertTrue(tc("qdisc", "show", "dev", veth.hostName()).contains("clsact"));
            String filters = tc("filter", "show", "dev", veth.hostName(), "ingress");
            assertTrue(filters.contains("pref 7") && filters.contains("tc_drop") && filters.contains("direct-action"),
                    filters);
            assertDropsThenPasses(object, link, "tc");
            assertFalse(tc("qdisc", "show", "dev", veth.hostName()).contains("clsact"),
                    "the qdisc this attachment added is gone with it");
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void legacyTcLeavesAQdiscItFoundAndRefusesATakenPriority() throws Exception {
        tc("qdisc", "add", "dev", veth.hostName(), "clsact");
        try (BpfObject object = load()) {
            try (BpfLink link = object.program("tc_drop").attachTc(veth.hostName(), TcOptions.ingress())) {
                BusyException taken = assertThrows(BusyException.class,
                        () -> object.program("tc_drop").attachTc(veth.hostName(), TcOptions.ingress()));
                assertTrue(taken.getMessage().contains("kernel says"), taken.getMessage());
                assertTrue(taken.hint().orElse("").contains("withPriority"), taken.getMessage());
            }
            assertTrue(tc("qdisc", "show", "dev", veth.hostName()).contains("clsact"), "the qdisc was there before");
            assertFalse(tc("filter", "show", "dev", veth.hostName(), "ingress").contains("tc_drop"));
        }
    }

    /** While {@code link} is attached, datagrams to the drop port are dropped and counted; after close they pass. */
    private void assertDropsThenPasses(BpfObject object, BpfLink link, String what) throws Exception {
        sendFromInside(dropped, "1", "2", "3");
        sendFromInside(passed, "kept");
        assertEquals(List.of("kept"), Datagrams.receive(passed, 1, 5000), what + " lets other ports through");
        assertEquals(List.of(), Datagrams.receive(dropped, 0, QUIET_MILLIS), what + " drops its port");
        assertEquals(3, counter(object, 0), what + " counted what it dropped");
        link.close();
        sendFromInside(dropped, "after");
        assertEquals(List.of("after"), Datagrams.receive(dropped, 1, 5000), "closing the " + what + " link detached");
    }

    private BpfObject load() {
        ObjectSpec spec = BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0));
        try {
            int port = Datagrams.port(dropped);
            return BpfObject.load(spec, LoadOptions.builder()
                    .constant("drop_port", ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                            .putShort(0, (short) port).array())
                    .programs(Set.of("xdp_drop", "tc_drop", "tcx_drop", "tcx_count"))
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void sendFromInside(DatagramChannel to, String... payloads) throws Exception {
        InetSocketAddress target = new InetSocketAddress(veth.hostAddress(), Datagrams.port(to));
        ns.run(() -> {
            Datagrams.send(target, payloads);
            return null;
        });
    }

    static long counter(BpfObject object, int slot) {
        byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, slot).array();
        return ByteBuffer.wrap(object.map("counts").lookup(key).orElseThrow()).order(ByteOrder.nativeOrder())
                .getLong(0);
    }

    private String tcInside(String... args) {
        List<String> command = new ArrayList<>(List.of("tc", "-n", ns.name()));
        command.addAll(List.of(args));
        return TestNetworkNamespace.run(command);
    }

    private static String tc(String... args) {
        List<String> command = new ArrayList<>(List.of("tc"));
        command.addAll(List.of(args));
        return TestNetworkNamespace.run(command);
    }
}

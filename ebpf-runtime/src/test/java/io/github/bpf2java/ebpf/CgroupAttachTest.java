package io.github.bpf2java.ebpf;

import static io.github.bpf2java.ebpf.NetworkAttachTest.counter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.CgroupAttachFlag;
import io.github.bpf2java.ebpf.attach.CgroupOptions;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.Datagrams;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestCgroup;
import io.github.bpf2java.ebpf.testing.TestNetworkNamespace;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cgroup_skb programs on a cgroup v2 group the test creates: a child process moves itself into the group and sends
 * datagrams, which the programs count; the test's own datagrams, sent from outside the group, they do not.
 */
class CgroupAttachTest {
    private TestCgroup cgroup;
    private DatagramChannel receiver;
    private InetSocketAddress to;

    @BeforeEach
    void group() throws Exception {
        KernelSupport.assumeBpf();
        KernelSupport.assumeTool("bash");
        cgroup = TestCgroup.create("skb");
        receiver = Datagrams.bind("127.0.0.1");
        to = (InetSocketAddress) receiver.getLocalAddress();
    }

    @AfterEach
    void removeGroup() throws Exception {
        if (receiver != null) {
            receiver.close();
        }
        if (cgroup != null) {
            cgroup.close();
        }
    }

    @Test
    void cgroupSkbLinkCountsTheGroupsTrafficOnly() throws Exception {
        try (BpfObject object = load()) {
            try (BpfLink link = object.program("cgroup_count").attachCgroup(cgroup.path())) {
                assertTrue(link.description().contains("CGROUP_INET_EGRESS"), link.description());
                assertEquals(Optional.of(LinkType.CGROUP), link.info().type());
                assertTrue(link.info().toString().contains(", type=CGROUP, "), link.info().toString());
                sendFromGroup(3);
                assertEquals(3, counter(object, 1), "each datagram the group sent passed the egress hook once");
                Datagrams.send(to, "from the test, outside the group");
                assertEquals(1, Datagrams.receive(receiver, 1, 5000).size());
                assertEquals(3, counter(object, 1), "traffic from outside the group is not counted");
            }
            sendFromGroup(1);
            assertEquals(3, counter(object, 1), "closing the link detached the program");
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void legacyAttachWithAllowMultiRunsBothProgramsUntilDetached() throws Exception {
        try (BpfObject object = load()) {
            CgroupOptions multi = CgroupOptions.legacy(CgroupAttachFlag.ALLOW_MULTI);
            try (BpfLink first = object.program("cgroup_count").attachCgroup(cgroup.path(), multi);
                    BpfLink second = object.program("cgroup_count_too").attachCgroup(cgroup.path(), multi)) {
                assertTrue(first.description().contains("BPF_PROG_ATTACH"), first.description());
                sendFromGroup(2);
                assertEquals(2, counter(object, 1));
                assertEquals(2, counter(object, 0));
            }
            sendFromGroup(1);
            assertEquals(2, counter(object, 1), "closing detached the legacy attachments");
        }
    }

    @Test
    void closingAReplacedExclusiveAttachmentLeavesItsReplacementAttached() throws Exception {
        try (BpfObject object = load()) {
            BpfLink first = object.program("cgroup_count").attachCgroup(cgroup.path(), CgroupOptions.legacy());
            BpfLink second = object.program("cgroup_count_too").attachCgroup(cgroup.path(), CgroupOptions.legacy());
            assertTrue(first.description().contains("BPF_PROG_ATTACH") && !first.description().contains("ALLOW"),
                    "legacy() is the exclusive legacy attachment: " + first.description());
            sendFromGroup(2);
            assertEquals(0, counter(object, 1), "the kernel replaced the first exclusive program");
            assertEquals(2, counter(object, 0));
            first.close(); // its program is gone: nothing to detach, and not the replacement
            sendFromGroup(1);
            assertEquals(3, counter(object, 0), "the replacement is still attached after the first link closed");
            second.close();
            sendFromGroup(1);
            assertEquals(3, counter(object, 0), "closing the replacement detached it");
            assertEquals(0, counter(object, 1));
        }
    }

    @Test
    void closingALegacyAttachmentDetachedFromOutsideIsNotAnError() throws Exception {
        KernelSupport.assumeTool("bpftool");
        try (BpfObject object = load()) {
            BpfProgram count = object.program("cgroup_count");
            BpfLink exclusive = count.attachCgroup(cgroup.path(), CgroupOptions.legacy());
            BpfLink multi = object.program("cgroup_count_too").attachCgroup(cgroup.path(),
                    CgroupOptions.legacy(CgroupAttachFlag.ALLOW_MULTI).withAttachType(AttachType.CGROUP_INET_INGRESS));
            TestNetworkNamespace.run(List.of("bpftool", "cgroup", "detach", cgroup.path().toString(), "egress",
                    "id", Integer.toString(count.id())));
            TestNetworkNamespace.run(List.of("bpftool", "cgroup", "detach", cgroup.path().toString(), "ingress",
                    "id", Integer.toString(object.program("cgroup_count_too").id())));
            exclusive.close(); // exclusive mode: the kernel would answer ENOENT
            multi.close(); // multi mode: likewise
            assertTrue(exclusive.isClosed() && multi.isClosed());
            sendFromGroup(1);
            assertEquals(0, counter(object, 1) + counter(object, 0), "nothing stayed attached");
        }
    }

    @Test
    void sameProgramTwiceWithAllowMultiIsRefusedWithAHintTowardLinks() throws Exception {
        try (BpfObject object = load()) {
            CgroupOptions multi = CgroupOptions.legacy(CgroupAttachFlag.ALLOW_MULTI);
            try (BpfLink once = object.program("cgroup_count").attachCgroup(cgroup.path(), multi)) {
                KernelException twice = assertThrows(KernelException.class,
                        () -> object.program("cgroup_count").attachCgroup(cgroup.path(), multi));
                assertEquals(Errno.EINVAL.number(), twice.errno());
                assertTrue(twice.hint().orElse("").contains("'cgroup_count' (id " + object.program("cgroup_count")
                        .id() + ") is already attached") && twice.hint().orElse("").contains("links"),
                        twice.getMessage());
                try (BpfLink again = object.program("cgroup_count").attachCgroup(cgroup.path())) {
                    sendFromGroup(1);
                    assertEquals(2, counter(object, 1), "the legacy attachment and the link each ran it");
                }
            }
        }
    }

    @Test
    void exclusiveConflictsNameTheProgramInTheWayAndTheFix() throws Exception {
        Path child = Files.createDirectory(cgroup.path().resolve("child"));
        try (BpfObject object = load();
                BpfLink exclusive = object.program("cgroup_count").attachCgroup(cgroup.path(),
                        CgroupOptions.legacy())) {
            String inTheWay = "program 'cgroup_count' (id " + object.program("cgroup_count").id() + ")";
            PermissionException here = assertThrows(PermissionException.class,
                    () -> object.program("cgroup_count_too").attachCgroup(cgroup.path()));
            String hint = here.hint().orElse("");
            assertTrue(hint.contains(cgroup.path() + " already holds " + inTheWay) && hint.contains("exclusive")
                    && hint.contains("bpftool cgroup detach"), here.getMessage());
            PermissionException below = assertThrows(PermissionException.class,
                    () -> object.program("cgroup_count_too").attachCgroup(child));
            hint = below.hint().orElse("");
            assertTrue(hint.contains("ancestor cgroup " + cgroup.path().toRealPath() + " holds " + inTheWay)
                    && hint.contains("ALLOW_MULTI"), below.getMessage());
        } finally {
            Files.delete(child);
        }
    }

    @Test
    void attachTypeIsTakenFromOptionsAndCheckedForACgroupHook() throws Exception {
        try (BpfObject object = load()) {
            try (BpfLink ingress = object.program("cgroup_count").attachCgroup(cgroup.path(),
                    CgroupOptions.defaults().withAttachType(AttachType.CGROUP_INET_INGRESS))) {
                assertTrue(ingress.description().contains("CGROUP_INET_INGRESS"), ingress.description());
            }
            BpfException notCgroup = assertThrows(BpfException.class, () -> object.program("cgroup_count")
                    .attachCgroup(cgroup.path(), CgroupOptions.defaults().withAttachType(AttachType.XDP)));
            assertTrue(notCgroup.getMessage().contains("not a cgroup hook"), notCgroup.getMessage());
        }
    }

    @Test
    void aProgramOfNoCgroupTypeIsRefusedAsSuchWithOrWithoutAnAttachType() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0)),
                LoadOptions.builder().programs(Set.of("socket_drop_d")).build())) {
            for (CgroupOptions options : List.of(CgroupOptions.defaults(),
                    CgroupOptions.defaults().withAttachType(AttachType.CGROUP_INET_INGRESS))) {
                BpfException refused = assertThrows(BpfException.class,
                        () -> object.program("socket_drop_d").attachCgroup(cgroup.path(), options));
                assertTrue(refused.getMessage().contains("has type SOCKET_FILTER, which the kernel attaches to "
                        + "no cgroup hook"), refused.getMessage());
            }
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void sockSockAddrSysctlAndDeviceHooksAttachThroughLinksAtTheirSectionsHooks() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort(); // Nobody listens on it once the probe is closed.
        }
        String script = "(echo x > /dev/tcp/127.0.0.1/" + closedPort + ") 2>&1; (cat /proc/sys/kernel/ostype) 2>&1; "
                + "(cat /dev/null) 2>&1; echo done";
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0)),
                LoadOptions.builder()
                        .constant("drop_port", ByteBuffer.allocate(2).order(ByteOrder.nativeOrder())
                                .putShort(0, (short) closedPort).array())
                        .programs(Set.of("cgroup_sock_count", "cgroup_connect_deny", "cgroup_sysctl_deny_reads",
                                "cgroup_dev_deny_null")).build())) {
            try (BpfLink sock = object.program("cgroup_sock_count").attachCgroup(cgroup.path());
                    BpfLink connect = object.program("cgroup_connect_deny").attachCgroup(cgroup.path());
                    BpfLink sysctl = object.program("cgroup_sysctl_deny_reads").attachCgroup(cgroup.path());
                    BpfLink device = object.program("cgroup_dev_deny_null").attachCgroup(cgroup.path())) {
                assertTrue(connect.description().contains("CGROUP_INET4_CONNECT")
                        && sysctl.description().contains("CGROUP_SYSCTL")
                        && device.description().contains("CGROUP_DEVICE"), connect + " " + sysctl + " " + device);
                String refused = cgroup.runInside(script);
                assertTrue(refused.contains("connect: Operation not permitted")
                        && refused.contains("ostype: Operation not permitted")
                        && refused.contains("/dev/null: Operation not permitted"),
                        "connect, the sysctl read and the device open were refused: " + refused);
                assertEquals(3, counter(object, 7));
                assertTrue(counter(object, 6) >= 1, "the connecting socket's creation was seen");
            }
            String allowed = cgroup.runInside(script);
            assertFalse(allowed.contains("Operation not permitted"), allowed);
            assertTrue(allowed.contains("Connection refused") && allowed.contains("Linux"), allowed);
        }
    }

    private void sendFromGroup(int datagrams) throws Exception {
        cgroup.runInside("for i in $(seq " + datagrams + "); do echo x > /dev/udp/127.0.0.1/" + to.getPort()
                + "; done");
        assertEquals(datagrams, Datagrams.receive(receiver, datagrams, 5000).size());
    }

    private static BpfObject load() {
        return BpfObject.load(BpfFixtures.hostSpec("net", BpfFixtures.installedCompilers().get(0)),
                LoadOptions.builder().programs(Set.of("cgroup_count", "cgroup_count_too")).build());
    }
}

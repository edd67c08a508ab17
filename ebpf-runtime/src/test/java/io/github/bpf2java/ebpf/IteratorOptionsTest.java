package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.attach.IteratorOptions;
import io.github.bpf2java.ebpf.attach.IteratorOptions.CgroupOrder;
import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.GuestKernel;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.TestCgroup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iterators attached with parameters ({@code src/test/bpf/iter_params.c}, {@code iter_map_elem.c}): a task iterator
 * limited to a process, a thread or a pidfd lists exactly those threads, compared with {@code /proc}; a cgroup
 * iterator walks from a cgroup made for the test in the order asked, its ids compared with the directories' inode
 * numbers; parameters a target does not take are refused before the kernel sees them.
 */
class IteratorOptionsTest {
    private static final int SELF = (int) ProcessHandle.current().pid();

    private Process sleeper;

    @TempDir
    Path scratch;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    @AfterEach
    void killSleeper() throws InterruptedException {
        if (sleeper != null) {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static ObjectSpec params() {
        return BpfFixtures.hostSpec("iter_params", BpfFixtures.installedCompilers().get(0));
    }

    @Test
    void aProcessLimitedTaskIteratorListsExactlyThatProcesssThreads() throws Exception {
        int pid = startSleeper();
        try (BpfObject object = BpfObject.load(params())) {
            BpfLink link = object.program("threads").attachIterator(IteratorOptions.process(pid));
            List<String> lines = read(link);
            assertEquals(threadLines(pid), Set.copyOf(lines), "the threads of /proc/" + pid + "/task");
            assertEquals(lines.size(), Set.copyOf(lines).size(), "each thread once: " + lines);
            LinkTarget.Iterator target = assertInstanceOf(LinkTarget.Iterator.class, link.info().target());
            assertEquals(new LinkTarget.Iterator("task", 0, 0, 0, 0, pid), target);

            // This JVM has many threads; limited to it, the iterator lists them and nothing of the sleeper.
            List<String> own = read(object.program("threads").attachIterator(IteratorOptions.process(SELF)));
            assertTrue(own.size() > 1, own.toString());
            assertTrue(own.stream().allMatch(l -> l.startsWith(SELF + " ")), own.toString());
            assertTrue(own.contains(SELF + " " + currentThreadId()), "the calling thread is listed: " + own);

            // Without parameters it walks every task: the sleeper's and this JVM's among them.
            List<String> all = read(object.program("threads").attach());
            assertTrue(all.containsAll(lines) && all.containsAll(own.subList(0, 1)), all.size() + " lines");
        }
    }

    @Test
    void aThreadLimitedTaskIteratorListsExactlyThatThread() throws Exception {
        int tid = currentThreadId();
        try (BpfObject object = BpfObject.load(params())) {
            BpfLink link = object.program("threads").attachIterator(IteratorOptions.thread(tid));
            assertEquals(List.of(SELF + " " + tid), read(link));
            assertEquals(new LinkTarget.Iterator("task", 0, 0, 0, tid, 0), link.info().target());
        }
    }

    @Test
    void aPidfdLimitsTheIteratorToItsProcess() throws Exception {
        int pid = startSleeper();
        long raw = Libc.pidfdOpen(pid);
        KernelSupport.assume(raw >= 0, "pidfd_open failed: " + Errno.nameOf((int) -raw));
        try (Fd pidfd = Fd.adopt((int) raw, "pidfd of " + pid); BpfObject object = BpfObject.load(params())) {
            BpfLink link = object.program("threads").attachIterator(IteratorOptions.pidfd(pidfd.raw()));
            assertEquals(threadLines(pid), Set.copyOf(read(link)));
            assertEquals(new LinkTarget.Iterator("task", 0, 0, 0, 0, pid), link.info().target(),
                    "the kernel reports the process the pidfd referred to");
        }
    }

    @Test
    void aDescriptorThatIsNoPidfdIsRefusedWithAHint() {
        try (BpfObject object = BpfObject.load(params())) {
            BpfProgram threads = object.program("threads");
            // The program's own descriptor is open, but no pidfd.
            KernelException e = assertThrows(KernelException.class,
                    () -> threads.attachIterator(IteratorOptions.pidfd(threads.fd())));
            assertEquals(Errno.EBADF.number(), e.errno(), e.getMessage());
            assertTrue(e.getMessage().contains("is not an open pidfd"), e.getMessage());
        }
    }

    @Test
    void aProcessThatDoesNotExistIsAcceptedAndListsNothing() throws Exception {
        int pid = startSleeper();
        sleeper.destroyForcibly();
        sleeper.waitFor(10, TimeUnit.SECONDS);
        try (BpfObject object = BpfObject.load(params())) {
            // The kernel looks the process up on each read, not at attach: a gone process makes an empty pass.
            assertEquals(List.of(), read(object.program("threads").attachIterator(IteratorOptions.process(pid))));
        }
    }

    @Test
    void aCgroupIteratorWalksFromTheGivenCgroupInTheGivenOrder() throws Exception {
        try (TestCgroup group = TestCgroup.create("iter"); BpfObject object = BpfObject.load(params())) {
            Path child = Files.createDirectory(group.path().resolve("child"));
            try {
                long parentId = inode(group.path());
                long childId = inode(child);
                BpfProgram cgroups = object.program("cgroups");

                BpfLink self = cgroups.attachIterator(IteratorOptions.cgroup(group.path(), CgroupOrder.SELF_ONLY));
                assertEquals(List.of(Long.toString(parentId)), read(self), "the cgroup's id is its inode number");
                LinkTarget.Iterator target = assertInstanceOf(LinkTarget.Iterator.class, self.info().target());
                assertEquals(parentId, target.cgroupId());
                assertEquals(CgroupOrder.SELF_ONLY, target.cgroupOrder().orElseThrow());

                assertEquals(List.of(Long.toString(childId)), read(cgroups.attachIterator(
                        IteratorOptions.cgroup(childId, CgroupOrder.SELF_ONLY))), "by id");
                assertEquals(List.of(Long.toString(parentId), Long.toString(childId)), read(cgroups.attachIterator(
                        IteratorOptions.cgroup(group.path(), CgroupOrder.DESCENDANTS_PRE))), "parents first");
                assertEquals(List.of(Long.toString(childId), Long.toString(parentId)), read(cgroups.attachIterator(
                        IteratorOptions.cgroup(group.path(), CgroupOrder.DESCENDANTS_POST))), "children first");
                List<String> up = read(cgroups.attachIterator(IteratorOptions.cgroup(child, CgroupOrder.ANCESTORS_UP)));
                assertEquals(List.of(Long.toString(childId), Long.toString(parentId)), up.subList(0, 2), up.toString());
                assertEquals(3, up.size(), "child, the test's group, the hierarchy's root: " + up);

                // Without options: the whole hierarchy from its root, parents first.
                List<String> whole = read(cgroups.attach());
                assertEquals(up.get(2), whole.get(0), "the root first: " + whole);
                int parentAt = whole.indexOf(Long.toString(parentId));
                assertTrue(parentAt > 0 && whole.indexOf(Long.toString(childId)) == parentAt + 1, whole.toString());
            } finally {
                Files.delete(child);
            }
        }
    }

    @Test
    void aCgroupIdThatDoesNotExistIsNotFound() {
        try (BpfObject object = BpfObject.load(params())) {
            NotFoundException e = assertThrows(NotFoundException.class, () -> object.program("cgroups")
                    .attachIterator(IteratorOptions.cgroup(Long.MAX_VALUE, CgroupOrder.SELF_ONLY)));
            assertTrue(e.getMessage().contains("no cgroup with id " + Long.MAX_VALUE), e.getMessage());
        }
    }

    @Test
    void optionsATargetDoesNotTakeAreRefusedNamingBoth() {
        try (BpfObject object = BpfObject.load(params());
                BpfObject maps = BpfObject.load(BpfFixtures.hostSpec("iter", BpfFixtures.installedCompilers()
                        .get(0)));
                BpfObject probes = BpfObject.load(ProbeAttachTest.probes())) {
            BpfException cgroupOnTask = assertThrows(BpfException.class, () -> object.program("threads")
                    .attachIterator(IteratorOptions.cgroup(scratch, CgroupOrder.SELF_ONLY)));
            assertTrue(cgroupOnTask.getMessage().contains("iterates iter/task, which takes IteratorOptions.thread"),
                    cgroupOnTask.getMessage());
            assertTrue(cgroupOnTask.getMessage().contains("cgroup " + scratch + " (SELF_ONLY) options are for "
                    + "iter/cgroup"), cgroupOnTask.getMessage());

            BpfException taskOnCgroup = assertThrows(BpfException.class, () -> object.program("cgroups")
                    .attachIterator(IteratorOptions.process(SELF)));
            assertTrue(taskOnCgroup.getMessage().contains("iterates iter/cgroup")
                    && taskOnCgroup.getMessage().contains("process " + SELF + " options are for iter/task, "
                            + "iter/task_file, iter/task_vma"), taskOnCgroup.getMessage());

            BpfMap aMap = probes.maps().get(0);
            BpfException mapOnTask = assertThrows(BpfException.class, () -> object.program("threads")
                    .attachIterator(aMap));
            assertTrue(mapOnTask.getMessage().contains("iterates iter/task")
                    && mapOnTask.getMessage().contains("a map is for iter/bpf_map_elem, iter/bpf_sk_storage_map, "
                            + "iter/sockmap"), mapOnTask.getMessage());

            BpfException onBpfMap = assertThrows(BpfException.class, () -> maps.program("first")
                    .attachIterator(IteratorOptions.thread(1)));
            assertTrue(onBpfMap.getMessage().contains("iterates iter/bpf_map, which takes no parameters"),
                    onBpfMap.getMessage());
            assertTrue(onBpfMap.hint().orElse("").contains("attach()"), onBpfMap.getMessage());
        }
    }

    @Test
    void aProgramThatIsNoIteratorIsRefused() {
        try (BpfObject object = BpfObject.load(ProbeAttachTest.probes())) {
            BpfException e = assertThrows(BpfException.class, () -> object.program("on_probed_add")
                    .attachIterator(IteratorOptions.process(SELF)));
            assertTrue(e.getMessage().contains("is no iterator program"), e.getMessage());
        }
    }

    @Test
    void optionsAreCheckedWhenMade() {
        assertThrows(IllegalArgumentException.class, () -> IteratorOptions.process(0));
        assertThrows(IllegalArgumentException.class, () -> IteratorOptions.thread(-1));
        assertThrows(IllegalArgumentException.class, () -> IteratorOptions.cgroup(0, CgroupOrder.SELF_ONLY));
        assertThrows(IllegalArgumentException.class,
                () -> new IteratorOptions.Cgroup(scratch, 5, CgroupOrder.SELF_ONLY));
    }

    /**
     * This machine refuses to load {@code iter/bpf_map_elem} programs (EPERM, a restriction of the environment); the
     * refusal is a clear one. Where they load, the map iterator is checked as in the guest.
     */
    @Test
    void aMapIteratorLoadsAndWalksItsMapOrIsRefusedClearly() throws Exception {
        BpfObject object;
        try {
            object = BpfObject.load(mapElem());
        } catch (KernelException refused) {
            assertEquals("BPF_PROG_LOAD", refused.operation(), refused.getMessage());
            assertTrue(refused.getMessage().contains("elements"), "names the program: " + refused.getMessage());
            return;
        }
        try (object) {
            walksTheMap(object);
        }
    }

    /** In the test guest (Linux 6.1), where map iterators load: the iterator walks the elements of its map. */
    @Test
    @GuestKernel
    void aMapIteratorWalksTheElementsOfItsMap() throws Exception {
        try (BpfObject object = BpfObject.load(mapElem())) {
            walksTheMap(object);
        }
    }

    private static void walksTheMap(BpfObject object) throws IOException {
        BpfProgram elements = object.program("elements");
        // The section cannot name the map, which the kernel requires: attach() says what to call instead.
        assertFalse(elements.attachesBySection());
        BpfException bySection = assertThrows(BpfException.class, elements::attach);
        assertTrue(bySection.getMessage().contains("needs the map to walk")
                && bySection.hint().orElse("").contains("attachIterator(map)"), bySection.getMessage());

        BpfMap values = object.map("values");
        for (int key = 1; key <= 3; key++) {
            values.put(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, key).array(),
                    ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, key * 100L).array());
        }
        BpfLink link = elements.attachIterator(values);
        assertEquals(Set.of("1 100", "2 200", "3 300"), Set.copyOf(read(link)));
        assertEquals(new LinkTarget.Iterator("bpf_map_elem", values.id(), 0, 0, 0, 0), link.info().target());
        // The program's target takes a map, not task options.
        BpfException e = assertThrows(BpfException.class,
                () -> elements.attachIterator(IteratorOptions.process(SELF)));
        assertTrue(e.getMessage().contains("iterates iter/bpf_map_elem, which walks the map given to "
                + "attachIterator(BpfMap)"), e.getMessage());
    }

    private static ObjectSpec mapElem() {
        return BpfFixtures.hostSpec("iter_map_elem", BpfFixtures.installedCompilers().get(0));
    }

    private int startSleeper() throws IOException {
        sleeper = new ProcessBuilder("sleep", "60").start();
        return (int) sleeper.pid();
    }

    /** {@code "<pid> <tid>"} for each thread of {@code pid}, as {@code /proc/<pid>/task} lists them. */
    private static Set<String> threadLines(int pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.map(t -> pid + " " + t.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The calling thread's kernel thread id: {@code /proc/thread-self} links to {@code <pid>/task/<tid>}. */
    private static int currentThreadId() throws IOException {
        return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
    }

    private static long inode(Path path) throws IOException {
        return ((Number) Files.getAttribute(path, "unix:ino")).longValue();
    }

    private static List<String> read(BpfLink link) throws IOException {
        try (InputStream in = link.openIterator()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.bpf.MapInfo;
import io.github.bpf2java.ebpf.internal.bpf.ObjectIds;
import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.OpenDescriptors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failures the kernel or the machine inject: each gives its specific error and leaves no descriptor or kernel object
 * behind, and a process that dies with live links takes them with it.
 */
class FaultTest {
    private String compiler;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        compiler = BpfFixtures.installedCompilers().get(0);
    }

    @Test
    void aMapTooLargeForTheKernelFailsNamingTheMapAndLeavesNothing() throws Exception {
        ObjectSpec spec = BpfFixtures.hostSpec("rejected", compiler);
        List<String> descriptors = OpenDescriptors.kernelObjects();
        int lastMap = lastId(ObjectIds.Kind.MAP);
        // 2^31 - 1 entries: more buckets than a hash map can have, refused before any memory is allocated.
        LoadOptions huge = LoadOptions.builder().maxEntries("values", Integer.MAX_VALUE)
                .programs(Set.of("checked_lookup")).build();

        KernelException e = assertThrows(KernelException.class, () -> BpfObject.load(spec, huge).close());

        assertTrue(e.getMessage().contains("BPF_MAP_CREATE for map 'values'"), e.getMessage());
        assertTrue(Set.of("ENOMEM", "E2BIG").contains(e.errnoName()), e.getMessage());
        assertTrue(e.hint().isPresent(), e.getMessage());
        assertEquals(descriptors, OpenDescriptors.kernelObjects());
        assertEquals(List.of(), awaitGone(ObjectIds.Kind.MAP, lastMap, "values"), "maps of the failed load");
    }

    @Test
    void aProgramRejectedMidwayReleasesEverythingCreatedBeforeIt() throws Exception {
        ObjectSpec spec = BpfFixtures.hostSpec("rejected", compiler);
        assertEquals(List.of("checked_lookup", "unchecked_lookup"),
                spec.programs().stream().map(p -> p.name()).toList(), "a correct program loads before the rejected one");
        List<String> descriptors = OpenDescriptors.kernelObjects();
        int lastMap = lastId(ObjectIds.Kind.MAP);
        int lastProgram = lastId(ObjectIds.Kind.PROGRAM);

        assertThrows(VerifierException.class, () -> BpfObject.load(spec).close());

        assertEquals(descriptors, OpenDescriptors.kernelObjects());
        assertEquals(List.of(), awaitGone(ObjectIds.Kind.MAP, lastMap, "values"), "maps created before the rejection");
        assertEquals(List.of(), awaitGone(ObjectIds.Kind.PROGRAM, lastProgram, "checked_lookup"),
                "programs loaded before the rejection");
    }

    @Test
    void aProcessThatDiesWithLiveLinksLeavesNoProgramOrLinkBehind() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(DyingChild.class.getName(), compiler));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(DyingChild.EXIT_STATUS, child.exitValue(), output);

        List<Integer> programs = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("PROGRAM ")) {
                programs.add(Integer.parseInt(line.substring("PROGRAM ".length())));
            }
        }
        assertEquals(3, programs.size(), output);
        // The exiting process's descriptors are closed by the kernel; the objects go after an RCU grace period.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Integer> alive = programs;
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            alive = alive.stream().filter(id -> exists(ObjectIds.Kind.PROGRAM, id)).toList();
        }
        assertEquals(List.of(), alive, "programs of the dead process still in the kernel");
    }

    @Test
    void attachingMountsTracefsWhereItIsMissing() throws Exception {
        Path unshare = KernelSupport.assumeTool("unshare");
        KernelSupport.assumeRoot();
        // A private mount namespace of a child process: the host's own mounts stay as they are.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(unshare.toString(), "--mount", "--propagation", "private",
                "--", "sh", "-c", "umount /sys/kernel/debug/tracing 2>/dev/null; umount /sys/kernel/tracing "
                        + "2>/dev/null; ! grep -q ' tracefs ' /proc/self/mounts || exit 3; exec \"$@\"", "sh",
                java.toString(), "-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(TracefsChild.class.getName(), compiler));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("ATTACHED tracepoint syscalls/sys_enter_execve"), output);
        assertTrue(output.contains("TRACEFS MOUNTED"), output);
    }

    @Test
    void pinningWhereNoBpffsIsMountedSaysWhichMountIsMissing() throws Exception {
        Path unshare = KernelSupport.assumeTool("unshare");
        KernelSupport.assumeRoot();
        // A private mount namespace without bpffs: the host's own mounts stay as they are.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(unshare.toString(), "--mount", "--propagation", "private",
                "--", "sh", "-c", "while grep -q ' bpf ' /proc/self/mounts; do umount /sys/fs/bpf || exit 3; done; "
                        + "exec \"$@\"", "sh", java.toString(), "-cp", System.getProperty("java.class.path")));
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(BpffsChild.class.getName(), compiler));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("BPF_OBJ_PIN for map 'counting_map'"), output);
        assertTrue(output.contains(": /sys/fs/bpf is not on a bpffs"), output);
        assertTrue(output.contains("no bpffs is mounted on this machine: mount one (mount -t bpf bpf /sys/fs/bpf)"),
                output);
        assertTrue(output.contains("OPEN: BPF_OBJ_GET for pinned object /sys/fs/bpf/"), output);
        assertFalse(output.contains("PermissionException"), "nothing was refused: " + output);
    }

    /**
     * The ids above {@code after} of objects named {@code name} that are still in the kernel once a grace period
     * has passed: the kernel frees closed objects after RCU, and other processes may create objects meanwhile, so
     * only objects named as ours count.
     */
    private static List<Integer> awaitGone(ObjectIds.Kind kind, int after, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<Integer> alive = new ArrayList<>();
            for (OptionalInt next = ObjectIds.nextId(kind, after); next.isPresent();
                    next = ObjectIds.nextId(kind, next.getAsInt())) {
                if (name.equals(nameOf(kind, next.getAsInt()))) {
                    alive.add(next.getAsInt());
                }
            }
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            Thread.sleep(50);
        }
    }

    private static String nameOf(ObjectIds.Kind kind, int id) {
        try (Fd fd = ObjectIds.open(kind, id)) {
            return kind == ObjectIds.Kind.MAP ? MapInfo.of(fd).name() : ProgramInfo.of(fd).name();
        } catch (NotFoundException gone) {
            return "";
        }
    }

    private static int lastId(ObjectIds.Kind kind) {
        int last = 0;
        for (OptionalInt next = ObjectIds.nextId(kind, 0); next.isPresent();
                next = ObjectIds.nextId(kind, next.getAsInt())) {
            last = next.getAsInt();
        }
        return last;
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    private static boolean exists(ObjectIds.Kind kind, int id) {
        try (Fd fd = ObjectIds.open(kind, id)) {
            return true;
        } catch (NotFoundException gone) {
            return false;
        }
    }


    /** Loads and attaches an object, prints its program ids, and halts without closing anything. */
    public static final class DyingChild {
        static final int EXIT_STATUS = 7;

        private DyingChild() {}

        public static void main(String[] args) {
            BpfObject object = BpfObject.load(BpfFixtures.hostSpec("loader", args[0]));
            object.attachAll();
            object.programs().forEach(p -> System.out.println("PROGRAM " + p.id()));
            System.out.flush();
            // No close, no shutdown hooks: as if the JVM crashed.
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }

    /** Pins a map where no bpffs is mounted and prints the error. */
    public static final class BpffsChild {
        private BpffsChild() {}

        public static void main(String[] args) {
            try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("counter", args[0]))) {
                object.map("counting_map").pin(Path.of("/sys/fs/bpf/bpf2java-fault-" + ProcessHandle.current().pid()));
                System.out.println("PINNED without bpffs");
            } catch (BpfException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            // What a status command sees after a reboot: the pin's directory is no bpffs any more.
            try {
                BpfMap.openPinned(Path.of("/sys/fs/bpf/agent/counts"));
                System.out.println("OPENED without bpffs");
            } catch (BpfException e) {
                System.out.println("OPEN: " + e.getMessage());
            }
        }
    }

    /** Attaches a tracepoint program where tracefs is not mounted and reports what it saw. */
    public static final class TracefsChild {
        private TracefsChild() {}

        public static void main(String[] args) throws IOException {
            try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("counter", args[0]))) {
                BpfLink link = object.program("count_execve").attach();
                System.out.println("ATTACHED " + link.description());
                if (Files.readString(Path.of("/proc/self/mounts")).contains(" tracefs ")) {
                    System.out.println("TRACEFS MOUNTED");
                }
            }
        }
    }
}

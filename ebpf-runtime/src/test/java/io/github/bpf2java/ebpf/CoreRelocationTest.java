package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfEncoder;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.core.CoreCheck;
import io.github.bpf2java.ebpf.core.CoreCheckReport;
import io.github.bpf2java.ebpf.core.CoreFailure;
import io.github.bpf2java.ebpf.core.CoreMode;
import io.github.bpf2java.ebpf.error.CoreRelocationException;
import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.internal.core.CoreOutcome;
import io.github.bpf2java.ebpf.internal.core.CoreRelocator;
import io.github.bpf2java.ebpf.internal.core.TargetTypes;
import io.github.bpf2java.ebpf.internal.load.LinkedProgram;
import io.github.bpf2java.ebpf.internal.load.ProgramLinker;
import io.github.bpf2java.ebpf.spec.CoreRelocationKind;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import io.github.bpf2java.ebpf.testing.PinRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CO-RE in user space on the real kernel: a program whose local types are laid out nothing like the kernel's
 * ({@code src/test/bpf/core_relocations.c}) reads the right task fields, compared with {@code /proc}; a field the
 * kernel lacks gives an error that names it; a BTF file for "another kernel" (this kernel's, with two fields swapped,
 * written by {@link BtfEncoder}) drives the relocation.
 */
@AlsoInGuestKernel
class CoreRelocationTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    private PinRoot pins;
    private int iterations;
    private Process resetOnFork;

    @TempDir
    Path temp;

    @BeforeEach
    void kernel() throws IOException {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        KernelSupport.assume(Files.isReadable(VMLINUX), "the kernel exposes no BTF at " + VMLINUX);
        pins = PinRoot.create("core");
    }

    @AfterEach
    void cleanUp() throws IOException, InterruptedException {
        if (pins != null) {
            pins.close(); // and the iterator links pinned in it
        }
        if (resetOnFork != null) {
            resetOnFork.destroy();
            resetOnFork.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static ObjectSpec fixture() {
        // bpf_core_type_matches needs clang 15 or later; older compilers build the rest.
        String compiler = BpfFixtures.onPath(BpfFixtures.CLANG_19) ? BpfFixtures.CLANG_19
                : BpfFixtures.installedCompilers().get(0);
        return BpfFixtures.hostSpec("core_relocations", compiler);
    }

    private static Btf kernelBtf() throws IOException {
        return Btf.parse(Files.readAllBytes(VMLINUX));
    }

    /** Runs the iterator program and returns its lines by their first word. */
    private Map<String, List<String>> iterate(BpfObject object, String program) throws IOException {
        Path pin = pins.path().resolve("iterator-" + iterations++);
        try (BpfLink link = object.program(program).attach()) {
            link.pin(pin);
            String out = Files.readString(pin);
            link.unpin();
            Map<String, List<String>> lines = new HashMap<>();
            for (String line : out.split("\n")) {
                if (!line.isBlank()) {
                    lines.computeIfAbsent(line.split(" ")[0], k -> new ArrayList<>()).add(line);
                }
            }
            return lines;
        }
    }

    private static String only(Map<String, List<String>> lines, String key) {
        List<String> found = lines.getOrDefault(key, List.of());
        assertEquals(1, found.size(), key + " lines: " + found);
        return found.get(0);
    }

    /** {@code task <pid> <tgid> <ppid> <reset_on_fork> <policy> <comm>} lines by pid. */
    private static Map<Integer, String[]> tasks(Map<String, List<String>> lines) {
        return lines.getOrDefault("task", List.of()).stream().map(l -> l.split(" ", 7))
                .collect(Collectors.toMap(f -> Integer.parseInt(f[1]), f -> f, (a, b) -> a));
    }

    @Test
    void localLayoutsUnlikeTheKernelsReadTheRightFields() throws Exception {
        // A child with SCHED_BATCH (policy 3) and SCHED_RESET_ON_FORK: the bitfield and the policy show in the output.
        resetOnFork = new ProcessBuilder("chrt", "--reset-on-fork", "--batch", "0", "sleep", "60").start();
        long child = resetOnFork.pid();
        waitForPolicy(child);
        ObjectSpec spec = fixture();
        Btf kernel = kernelBtf();
        try (BpfObject object = BpfObject.load(spec)) {
            Map<String, List<String>> out = iterate(object, "dump_tasks");
            Map<Integer, String[]> tasks = tasks(out);

            long self = ProcessHandle.current().pid();
            String[] me = tasks.get((int) self);
            assertEquals(String.valueOf(self), me[2], "tgid of the main thread");
            assertEquals(String.valueOf(ProcessHandle.current().parent().orElseThrow().pid()), me[3], "ppid");
            assertEquals("0", me[4], "this JVM does not reset its policy on fork");
            assertEquals(procComm(self), me[6], "comm");

            // Threads: pid (the thread id) and tgid (the process) differ, and the program tells them apart.
            Set<Integer> threads;
            try (var dir = Files.list(Path.of("/proc/self/task"))) {
                threads = dir.map(p -> Integer.parseInt(p.getFileName().toString())).collect(Collectors.toSet());
            }
            int checked = 0;
            for (int tid : threads) {
                String[] t = tasks.get(tid);
                if (t != null) { // the iterator lists threads only when they exist as it walks
                    assertEquals(String.valueOf(self), t[2], "tgid of thread " + tid);
                    checked++;
                }
            }
            assertTrue(checked > 1, "several JVM threads were listed: " + checked);

            String[] sleeper = tasks.get((int) child);
            assertEquals("1", sleeper[4], "sched_reset_on_fork bitfield of the chrt child");
            assertEquals("3", sleeper[5], "policy SCHED_BATCH, read through a load shrunk from 8 to 4 bytes");
            assertEquals("sleep", sleeper[6]);

            String[] types = only(out, "types").split(" ");
            assertEquals("1", types[1], "task_struct___v1 exists as task_struct");
            assertEquals("0", types[2], "no_such_type does not");
            int taskStruct = kernel.find("task_struct", BtfType.Struct.class).orElseThrow().id();
            assertEquals(String.valueOf(kernel.sizeOf(taskStruct)), types[3], "sizeof the kernel's task_struct");
            if (out.containsKey("matches")) {
                assertEquals("matches 1 0", only(out, "matches"));
            }
            String[] ids = only(out, "ids").split(" ");
            assertEquals(String.valueOf(taskStruct), ids[1], "the kernel's type id");
            Btf local = spec.btf().orElseThrow();
            assertEquals(String.valueOf(local.find("task_struct___v1", BtfType.Struct.class).orElseThrow().id()),
                    ids[2], "the object's type id");

            BtfType.Enum pidType = kernel.find("pid_type", BtfType.Enum.class).orElseThrow();
            long sid = pidType.values().stream().filter(v -> v.name().equals("PIDTYPE_SID")).findFirst()
                    .orElseThrow().value();
            assertNotEquals(0, sid, "the local enum says 0, the kernel's differs");
            assertEquals("enums " + sid + " 1 0", only(out, "enums"));
            assertEquals("fields 0 1 16 1 0", only(out, "fields"),
                    "missing field, present field, comm's size, pid signed, policy unsigned");
            assertEquals(expectedVethLine(kernel), only(out, "module"));
        }
    }

    @Test
    void anUnguardedMissingFieldNamesTheRelocation() {
        BpfObjectLoad load = () -> BpfObject.load(fixture(), LoadOptions.builder()
                .programs(Set.of("read_missing")).build());
        CoreRelocationException e = assertThrows(CoreRelocationException.class, load::run);
        assertEquals("FIELD_BYTE_OFFSET", e.relocationKind());
        assertEquals("task_struct.no_such_field", e.accessString());
        assertEquals("struct task_struct___v1", e.localType());
        assertTrue(e.getMessage().contains("read_missing"), e.getMessage());
        assertTrue(e.getMessage().contains("task_struct.no_such_field"), e.getMessage());
        assertTrue(e.reason().contains("no field 'no_such_field'"), e.reason());
        assertTrue(e.log().contains("unknown#195896080"), "the kernel's own words stay in the log");
        assertFalse(e.getMessage().startsWith("program 'read_missing' was rejected by the verifier: "),
                "the message leads with the relocation, not the raw verifier error");
    }

    @Test
    void aSignedFieldDeclaredWiderIsPoisonedWithTheReason() {
        CoreRelocationException e = assertThrows(CoreRelocationException.class, () -> BpfObject.load(fixture(),
                LoadOptions.builder().programs(Set.of("read_prio_wide")).build()));
        assertEquals("task_struct.prio", e.accessString());
        assertTrue(e.reason().contains("from 8 to 4 bytes"), e.reason());
    }

    @Test
    void theKernelCanStillRelocate() throws Exception {
        try (BpfObject object = BpfObject.load(fixture(), LoadOptions.builder()
                .coreRelocation(CoreMode.KERNEL).build())) {
            Map<Integer, String[]> tasks = tasks(iterate(object, "dump_tasks"));
            long self = ProcessHandle.current().pid();
            assertEquals(String.valueOf(self), tasks.get((int) self)[2]);
        }
    }

    @Test
    void aBtfFileForAnotherKernelDrivesTheRelocation() throws Exception {
        // "Another kernel": this one's BTF with task_struct's pid and tgid swapped. Loaded against it, the program
        // reads each thread's tgid where it wants its pid, which shows the file, not the kernel, was used.
        Btf kernel = kernelBtf();
        BtfType.Struct task = kernel.find("task_struct", BtfType.Struct.class).orElseThrow();
        Path swapped = temp.resolve("swapped.btf");
        Files.write(swapped, BtfEncoder.encode(kernel.with(List.of(swap(task, "pid", "tgid")))));
        Path missing = temp.resolve("missing.btf");
        Files.write(missing, BtfEncoder.encode(kernel.with(List.of(rename(task, "pid", "pid_was_here")))));

        ObjectSpec spec = fixture();
        // The two optional programs fail everywhere (a field no kernel has, a signed field declared wider); the
        // iterator only where pid is missing.
        assertEquals(List.of("read_missing: task_struct.no_such_field", "read_prio_wide: task_struct.prio"),
                summary(CoreCheck.check(spec, kernel)));
        assertEquals(List.of("read_missing: task_struct.no_such_field", "read_prio_wide: task_struct.prio"),
                summary(CoreCheck.check(spec, Btf.parse(Files.readAllBytes(swapped)))));
        CoreCheckReport report = CoreCheck.check(spec, Btf.parse(Files.readAllBytes(missing)));
        assertEquals(List.of("dump_tasks: task_struct.pid", "dump_tasks: task_struct.pid",
                "read_missing: task_struct.no_such_field", "read_prio_wide: task_struct.prio"), summary(report));
        assertTrue(report.relocations() > 20, "every relocation of every program: " + report.relocations());
        List<CoreFailure> failures = report.failures().stream()
                .filter(f -> !f.accessString().startsWith("veth_priv")).toList();
        assertEquals(Set.of(CoreRelocationKind.FIELD_SIGNED, CoreRelocationKind.FIELD_BYTE_OFFSET),
                Set.of(failures.get(0).kind(), failures.get(1).kind()),
                "bpf_core_field_signed(task->pid) and the load of task->pid");
        CoreFailure failure = failures.stream()
                .filter(f -> f.kind() == CoreRelocationKind.FIELD_BYTE_OFFSET).findFirst().orElseThrow();
        assertEquals("struct task_struct___v1", failure.localType());
        assertTrue(failure.reason().contains("no field 'pid'"), failure.reason());
        assertTrue(failure.describe().startsWith("program 'dump_tasks' instruction " + failure.instruction()
                + ": FIELD_BYTE_OFFSET of task_struct.pid (local type struct task_struct___v1): "),
                failure.describe());

        // The linked program as the loader relocates it: the load of task->pid takes tgid's offset from the file.
        long pidOffset = member(task, "pid").bitOffset() / 8;
        long tgidOffset = member(task, "tgid").bitOffset() / 8;
        assertEquals(tgidOffset, relocatedPidLoad(spec, Btf.parse(Files.readAllBytes(swapped))));
        assertEquals(pidOffset, relocatedPidLoad(spec, kernel));

        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().kernelBtf(swapped).build())) {
            List<String> lines = iterate(object, "dump_tasks").get("task");
            long self = ProcessHandle.current().pid();
            // Lines are keyed by what the program thinks is the pid: now the tgid, so every JVM thread reports
            // the process id there and its own thread id as "tgid".
            Set<String> threadIds = new java.util.HashSet<>();
            for (String line : lines) {
                String[] t = line.split(" ");
                if (t[1].equals(String.valueOf(self))) {
                    threadIds.add(t[2]);
                }
            }
            assertTrue(threadIds.size() > 1, "several threads of this JVM, each naming its thread id as tgid: "
                    + threadIds);
        }
    }

    @Test
    void theKernelBtfPropertyNamesTheFileForLoadsThatDoNotNameOne() throws Exception {
        Btf kernel = kernelBtf();
        BtfType.Struct task = kernel.find("task_struct", BtfType.Struct.class).orElseThrow();
        Path missing = temp.resolve("no-pid.btf");
        Files.write(missing, BtfEncoder.encode(kernel.with(List.of(rename(task, "pid", "pid_was_here")))));
        String before = System.getProperty("ebpf.kernelBtf");
        System.setProperty("ebpf.kernelBtf", missing.toString());
        try {
            CoreRelocationException e = assertThrows(CoreRelocationException.class, () -> BpfObject.load(fixture()));
            assertEquals("dump_tasks", e.programName());
            assertEquals("task_struct.pid", e.accessString());
            assertTrue(e.getMessage().contains("the BTF file " + missing), e.getMessage());
            // An explicit file wins over the property.
            try (BpfObject object = BpfObject.load(fixture(), LoadOptions.builder().kernelBtf(VMLINUX).build())) {
                assertTrue(object.program("dump_tasks") != null);
            }
        } finally {
            if (before == null) {
                System.clearProperty("ebpf.kernelBtf");
            } else {
                System.setProperty("ebpf.kernelBtf", before);
            }
        }
    }

    /** The offset of the load of {@code task->pid} in {@code dump_tasks}, linked and relocated against {@code btf}. */
    private static int relocatedPidLoad(ObjectSpec spec, Btf btf) {
        LinkedProgram linked = new ProgramLinker(spec.functions()).link(spec.program("dump_tasks").orElseThrow());
        List<CoreOutcome> outcomes = new CoreRelocator(spec.btf().orElseThrow(), TargetTypes.of(btf))
                .relocate(linked.instructions(), linked.coreRelocations());
        Instructions code = linked.instructions();
        int load = outcomes.stream().filter(o -> o.accessString().equals("task_struct.pid")
                        && o.kind() == CoreRelocationKind.FIELD_BYTE_OFFSET && (code.opcode(o.instruction()) & 7) == 1)
                .findFirst().orElseThrow().instruction();
        return code.offset(load);
    }

    /**
     * What the program says of {@code struct veth_priv}: found in vmlinux when veth is built in, in the veth module's
     * split BTF ({@code /sys/kernel/btf/veth}, as in the Linux 6.1 guest) when it is a module, or nowhere (then the
     * guarded field offset was poisoned and dropped by the verifier).
     */
    private static String expectedVethLine(Btf vmlinux) throws IOException {
        Btf btf = vmlinux;
        Optional<BtfType.Struct> veth = vmlinux.find("veth_priv", BtfType.Struct.class);
        Path module = VMLINUX.resolveSibling("veth");
        if (veth.isEmpty() && Files.isReadable(module)) {
            btf = Btf.parseSplit(Files.readAllBytes(module), vmlinux);
            veth = btf.find("veth_priv", BtfType.Struct.class);
        }
        if (veth.isEmpty()) {
            return "module 0 0 -1";
        }
        return "module 1 " + veth.get().size() + " " + member(veth.get(), "requested_headroom").bitOffset() / 8;
    }

    /** Failures by program and access; a module's type (veth_priv) is not in the vmlinux BTF CoreCheck is given. */
    private static List<String> summary(CoreCheckReport report) {
        return report.failures().stream().filter(f -> !f.accessString().startsWith("veth_priv"))
                .map(f -> f.program() + ": " + f.accessString()).toList();
    }

    private static BtfType.Struct swap(BtfType.Struct s, String a, String b) {
        BtfType.Member ma = member(s, a);
        BtfType.Member mb = member(s, b);
        List<BtfType.Member> members = new ArrayList<>();
        for (BtfType.Member m : s.members()) {
            if (m.name().equals(a)) {
                members.add(new BtfType.Member(a, m.typeId(), mb.bitOffset(), m.bitfieldSize()));
            } else if (m.name().equals(b)) {
                members.add(new BtfType.Member(b, m.typeId(), ma.bitOffset(), m.bitfieldSize()));
            } else {
                members.add(m);
            }
        }
        return new BtfType.Struct(s.id(), s.name(), s.size(), members);
    }

    private static BtfType.Struct rename(BtfType.Struct s, String from, String to) {
        List<BtfType.Member> members = s.members().stream().map(m -> m.name().equals(from)
                ? new BtfType.Member(to, m.typeId(), m.bitOffset(), m.bitfieldSize()) : m).toList();
        return new BtfType.Struct(s.id(), s.name(), s.size(), members);
    }

    private static BtfType.Member member(BtfType.Struct s, String name) {
        return s.members().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static String procComm(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
    }

    private static void waitForPolicy(long pid) throws Exception {
        for (int i = 0; i < 200; i++) {
            Path stat = Path.of("/proc/" + pid + "/stat");
            if (Files.exists(stat)) {
                String s = Files.readString(stat);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                // policy is field 41 of stat (index 38 after the comm) and comm is "sleep" once chrt has exec'd.
                if (f.length > 38 && f[38].equals("3") && procComm(pid).equals("sleep")) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("chrt did not start sleep with SCHED_BATCH");
    }

    private interface BpfObjectLoad {
        BpfObject run() throws Exception;
    }
}

package io.github.bpf2java.maven.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.spec.CoreRelocationKind;
import io.github.bpf2java.maven.build.BuildLog;
import io.github.bpf2java.maven.build.EbpfBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check end to end without Maven: a CO-RE program compiled by clang, "kernels" whose BTF clang wrote from C
 * declarations (one laid out differently but complete, one lacking the fields), and the runtime's real engine.
 */
class CheckOrchestratorTest {
    /** Reads task->pid and task->real_parent->tgid through CO-RE relocations, as BPF_CORE_READ does. */
    private static final String PROBE = """
            struct task_struct {
                int pid;
                int tgid;
                struct task_struct *real_parent;
            } __attribute__((preserve_access_index));

            static long (*bpf_get_current_task)(void) = (void *)35;
            static long (*bpf_probe_read_kernel)(void *dst, unsigned int size, const void *src) = (void *)113;

            __attribute__((section("tracepoint/sched/sched_process_exec"), used))
            int record_exec(void *ctx)
            {
                struct task_struct *task = (struct task_struct *)bpf_get_current_task();
                struct task_struct *parent = 0;
                int pid = 0, tgid = 0;
                bpf_probe_read_kernel(&pid, sizeof(pid), &task->pid);
                bpf_probe_read_kernel(&parent, sizeof(parent), &task->real_parent);
                bpf_probe_read_kernel(&tgid, sizeof(tgid), &parent->tgid);
                return pid + tgid;
            }

            char LICENSE[] __attribute__((section("license"), used)) = "GPL";
            """;
    /** A kernel whose task_struct has the fields, at other offsets than the program's own declaration. */
    private static final String NEW_KERNEL = """
            struct task_struct {
                long state;
                void *stack;
                int tgid;
                int pid;
                struct task_struct *parent;
                struct task_struct *real_parent;
            };
            struct task_struct *current_task;
            """;
    /** A kernel whose task_struct has tgid but neither pid nor real_parent. */
    private static final String OLD_KERNEL = """
            struct task_struct { int other; int tgid; };
            struct task_struct *current_task;
            """;

    @TempDir
    Path project;

    private Path objects;
    private final RecordingLog log = new RecordingLog();

    @BeforeEach
    void build() throws Exception {
        objects = project.resolve("target/generated-resources/ebpf");
        Path pkg = objects.resolve("com/example/ebpf");
        Files.move(CFixtures.compile(project.resolve("build"), "probe", PROBE, true, "-target", "bpfel"),
                Files.createDirectories(pkg).resolve("probe_bpfel.o"));
        Files.move(CFixtures.compile(project.resolve("build-eb"), "probe", PROBE, true, "-target", "bpfeb"),
                pkg.resolve("probe_bpfeb.o"));
        CFixtures.compile(project.resolve("kernels"), "new", NEW_KERNEL, true);
        CFixtures.compile(project.resolve("kernels"), "old", OLD_KERNEL, true);
    }

    @Test
    void passesOnAKernelThatHasEveryFieldAndNamesTheObjectsNoKernelMatches() throws Exception {
        CheckResult result = new CheckOrchestrator().execute(request(true, "kernels/new.o"), log);
        assertEquals(1, result.kernels().size());
        KernelResult kernel = result.kernels().get(0);
        assertTrue(kernel.ok(), kernel.toString());
        assertEquals(1, kernel.objects());
        assertTrue(kernel.relocations() >= 3, "pid, real_parent and tgid are relocated: " + kernel);
        assertEquals(List.of("com/example/ebpf/probe_bpfeb.o"), result.unchecked());
        assertTrue(log.infos.contains("  kernels/new.o: OK (" + kernel.relocations() + " relocations in 1 object)"),
                log.infos.toString());
    }

    @Test
    void failsNamingTheObjectProgramInstructionRelocationAndKernel() throws Exception {
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new CheckOrchestrator().execute(request(true, "kernels/new.o", "kernels/old.o"), log));
        String message = e.getMessage();
        assertTrue(message.startsWith("CO-RE check failed: 2 relocations in 1 object cannot be satisfied on 1 of 2"
                + " kernels (kernels/old.o)"), message);
        assertTrue(message.contains("com/example/ebpf/probe_bpfel.o: program 'record_exec' instruction "), message);
        assertTrue(message.contains(": " + CoreRelocationKind.FIELD_BYTE_OFFSET + " of task_struct.pid (local type"
                + " struct task_struct)"), message);
        assertTrue(message.contains(": " + CoreRelocationKind.FIELD_BYTE_OFFSET + " of task_struct.real_parent"
                + " (local type struct task_struct)"), message);
        assertTrue(message.contains(": kernels/old.o"), message);
        assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith("  kernels/old.o: 2 failures (of ")),
                log.warnings.toString());
        assertTrue(log.infos.stream().anyMatch(w -> w.startsWith("  kernels/new.o: OK (")), log.infos.toString());
    }

    @Test
    void theRunningKernelPassesAndACopyOfItWithoutTaskStructPidFailsOnlyThere() throws Exception {
        if (!Files.isReadable(KernelBtfDiscovery.RUNNING_KERNEL)) {
            assertFalse("1".equals(System.getenv("EBPF_REQUIRE_KERNEL")), "EBPF_REQUIRE_KERNEL=1 but this kernel"
                    + " exposes no BTF at " + KernelBtfDiscovery.RUNNING_KERNEL);
            Assumptions.assumeTrue(false, "this kernel exposes no BTF");
        }
        // Another kernel: this one's BTF, with task_struct's pid renamed away, written by the runtime's encoder.
        Btf running = Btf.parse(Files.readAllBytes(KernelBtfDiscovery.RUNNING_KERNEL));
        BtfType.Struct task = running.find("task_struct", BtfType.Struct.class).orElseThrow();
        BtfType.Struct withoutPid = new BtfType.Struct(task.id(), task.name(), task.size(), task.members().stream()
                .map(m -> m.name().equals("pid") ? new BtfType.Member("pid_gone", m.typeId(), m.bitOffset(),
                        m.bitfieldSize()) : m).toList());
        Files.createDirectories(project.resolve("btfhub/x86_64"));
        Files.write(project.resolve("btfhub/x86_64/no-pid.btf"), running.with(List.of(withoutPid)).rawBytes());

        EbpfBuildException e = assertThrows(EbpfBuildException.class, () -> new CheckOrchestrator().execute(
                request(true, KernelBtfDiscovery.RUNNING_KERNEL.toString(), "btfhub"), log));
        assertTrue(log.infos.stream().anyMatch(l -> l.startsWith("  /sys/kernel/btf/vmlinux: OK (")),
                log.infos.toString());
        assertTrue(log.warnings.stream().anyMatch(l -> l.startsWith("  btfhub/x86_64/no-pid.btf: 1 failure (of ")),
                log.warnings.toString());
        assertTrue(e.getMessage().contains(": " + CoreRelocationKind.FIELD_BYTE_OFFSET + " of task_struct.pid (local"
                + " type struct task_struct)"), e.getMessage());
        assertFalse(e.getMessage().contains("real_parent"), e.getMessage());
    }

    @Test
    void aBigEndianObjectIsCheckedAgainstABigEndianKernel() throws Exception {
        CFixtures.compile(project.resolve("kernels-eb"), "old", OLD_KERNEL, true, "-target", "bpfeb");
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new CheckOrchestrator().execute(request(true, "kernels/new.o", "kernels-eb/old.o"), log));
        assertTrue(e.getMessage().startsWith("CO-RE check failed: 2 relocations in 1 object cannot be satisfied on 1"
                + " of 2 kernels (kernels-eb/old.o). Each relocation"), e.getMessage());
        assertTrue(e.getMessage().contains("com/example/ebpf/probe_bpfeb.o: program 'record_exec' instruction "),
                e.getMessage());
        assertFalse(e.getMessage().contains("probe_bpfel.o"), e.getMessage());
    }

    @Test
    void onlyWarnsWhenToldNotToFail() throws Exception {
        CheckResult result = new CheckOrchestrator().execute(request(false, "kernels/new.o", "kernels/old.o"), log);
        assertTrue(result.hasFailures());
        assertTrue(log.warnings.contains("CO-RE relocations that cannot be satisfied (failOnError is false, so the"
                + " build goes on):"), log.warnings.toString());
        assertTrue(log.warnings.stream().anyMatch(w -> w.startsWith("  com/example/ebpf/probe_bpfel.o: program"
                + " 'record_exec' instruction ")), log.warnings.toString());
        assertTrue(log.warnings.get(log.warnings.size() - 1).startsWith("CO-RE check failed: 2 relocations in 1"
                + " object cannot be satisfied on 1 of 2 kernels (kernels/old.o)"), log.warnings.toString());
    }

    @Test
    void aKernelBtfThatCannotBeUsedFailsEvenWhenOnlyWarning() throws Exception {
        Files.writeString(project.resolve("kernels/broken.btf"), "not btf");
        EbpfBuildException e = assertThrows(EbpfBuildException.class,
                () -> new CheckOrchestrator().execute(request(false, "kernels/new.o", "kernels/broken.btf"), log));
        assertEquals("CO-RE check failed: 1 kernel BTF cannot be used (kernels/broken.btf). Not checked, as no kernel"
                + " listed has their byte order: com/example/ebpf/probe_bpfeb.o", e.getMessage());
        assertTrue(log.warnings.contains("  kernels/broken.btf: cannot be used: kernels/broken.btf is neither raw BTF"
                + " (magic 0xeb9f) nor an ELF file; its first bytes are 6e 6f 74 20 62 74 66"),
                log.warnings.toString());
    }

    @Test
    void noObjectsIsNothingToCheck() throws Exception {
        CheckResult result = new CheckOrchestrator().execute(new CheckRequest(project, project.resolve("nowhere"),
                List.of(), List.of(), List.of(Path.of("kernels/old.o")), true, 2), log);
        assertTrue(result.kernels().isEmpty());
        assertEquals(List.of("No eBPF objects to check in " + project.resolve("nowhere")), log.infos);
    }

    @Test
    void includesAndExcludesSelectObjects() throws Exception {
        CheckResult result = new CheckOrchestrator().execute(new CheckRequest(project, objects,
                List.of("**/*_bpfeb.o"), List.of(), List.of(Path.of("kernels/old.o")), true, 2), log);
        assertEquals(List.of("com/example/ebpf/probe_bpfeb.o"), result.objects());
        assertFalse(result.hasFailures(), "a big-endian object is not checked against a little-endian kernel");
    }

    private CheckRequest request(boolean failOnError, String... kernels) {
        return new CheckRequest(project, objects, List.of(), List.of(), List.of(kernels).stream().map(Path::of)
                .toList(), failOnError, 2);
    }

    /** Keeps what was logged, by level. */
    private static final class RecordingLog implements BuildLog {
        final List<String> infos = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public synchronized void info(String message) {
            infos.add(message);
        }

        @Override
        public synchronized void warn(String message) {
            warnings.add(message);
        }

        @Override
        public void debug(String message) {}

        @Override
        public boolean isDebugEnabled() {
            return false;
        }
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.bpf.TestRunRequest;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.GuestKernel;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fentry, fexit, LSM and freplace programs: loaded and attached through BPF trampolines where the kernel allows them,
 * with their real effect checked; where it refuses trampolines (some kernels and hypervisors do, even to root), the
 * test asserts the runtime's clear error instead. They run in the test guest as well (Debian's Linux 6.1, see
 * docs/testing-kernels.md), whose kernel allows trampolines: there a refusal fails the test.
 */
@AlsoInGuestKernel
class TrampolineTest {
    private static final int XDP_DROP = 1;
    private static final int XDP_PASS = 2;

    @TempDir
    Path scratch;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
    }

    private static ObjectSpec fixture(String name) {
        return BpfFixtures.hostSpec(name, BpfFixtures.installedCompilers().get(0));
    }

    @Test
    void fentryAndFexitCountCallsOrTheRefusalSaysWhy() throws Exception {
        BpfObject object;
        try {
            object = BpfObject.load(fixture("trampolines"), LoadOptions.builder()
                    .programs(Set.of("on_open_entry", "on_open_exit")).build());
        } catch (PermissionException e) {
            assertRefusedTrampolines(e);
            return;
        }
        try (object) {
            AttachReport report = object.attachAll().requireComplete();
            assertEquals(2, report.links().size());
            assertEquals(LinkType.TRACING, report.links().get(0).info().type().orElseThrow());
            object.variable("target_tgid").set(u32((int) ProcessHandle.current().pid()));
            for (int i = 0; i < 5; i++) {
                Files.readString(Path.of("/proc/self/stat"));
            }
            assertTrue(object.variable("entries").getLong() >= 5, "fentry counted openat2 calls");
            assertTrue(object.variable("exits").getLong() >= 5, "fexit counted their returns");
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void lsmDeniesAnOperationOrSaysWhyItCannot() throws Exception {
        BpfObject object;
        try {
            object = BpfObject.load(fixture("trampolines"), LoadOptions.builder().programs(Set.of("deny_open"))
                    .build());
        } catch (PermissionException e) {
            assertRefusedTrampolines(e);
            return;
        }
        try (object) {
            Path active = Path.of("/sys/kernel/security/lsm");
            if (Files.isReadable(active) && !Files.readString(active).contains("bpf")) {
                NotSupportedException e = assertThrows(NotSupportedException.class,
                        () -> object.program("deny_open").attach());
                assertTrue(e.getMessage().contains("the BPF LSM is not active"), e.getMessage());
                return;
            }
            try (BpfLink link = object.program("deny_open").attach()) {
                // A program named bpf2java-denied (its comm) may not open files: not even its own libraries.
                Path denied = Files.copy(Path.of("/bin/cat"), scratch.resolve("bpf2java-denied"),
                        StandardCopyOption.COPY_ATTRIBUTES);
                Process p = new ProcessBuilder(denied.toString(), "/proc/self/stat").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertNotEquals(0, p.waitFor(), "the LSM program denied it: " + out);
                assertTrue(object.variable("denials").getLong() > 0);
                assertEquals(0, new ProcessBuilder("/bin/cat", "/proc/self/stat").start().waitFor(),
                        "other programs open files as before");
            }
        }
    }

    @Test
    void freplaceSwapsAGlobalFunctionOfALoadedProgramOrTheRefusalSaysWhy() {
        try (BpfObject target = BpfObject.load(fixture("freplace_target"))) {
            BpfProgram entry = target.program("entry");
            assertEquals(XDP_PASS, run(entry));

            BpfException noTarget = assertThrows(BpfException.class, () -> BpfObject.load(fixture("freplace")));
            assertTrue(noTarget.hint().orElseThrow().contains("replaceFunction(\"drop_everything\""),
                    noTarget.hint().orElseThrow());
            assertThrows(BpfException.class, () -> LoadOptions.builder().replaceFunction("drop_everything", entry,
                    "no_such_function"));

            BpfObject replacement;
            try {
                replacement = BpfObject.load(fixture("freplace"), LoadOptions.builder()
                        .replaceFunction("drop_everything", entry, "decide").build());
            } catch (PermissionException e) {
                assertRefusedTrampolines(e);
                return;
            }
            try (replacement) {
                BpfLink link = replacement.program("drop_everything").attach();
                assertEquals(XDP_DROP, run(entry), "decide() is replaced while the link is open");
                link.close();
                assertEquals(XDP_PASS, run(entry), "and restored once it closes");
            }
        }
    }

    private static void assertRefusedTrampolines(PermissionException e) {
        if (System.getenv(GuestKernel.RELEASE_VARIABLE) != null) {
            fail("the test guest's kernel runs BPF trampolines, yet it refused them", e);
        }
        assertTrue(e.getMessage().contains("although this process may load other programs"), e.getMessage());
        assertTrue(e.hint().orElseThrow().contains("BPF trampolines"), e.hint().orElseThrow());
    }

    private static int run(BpfProgram xdp) {
        return Programs.testRun(xdp.handle(), TestRunRequest.packet(new byte[64])).returnValue();
    }

    private static byte[] u32(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
    }
}

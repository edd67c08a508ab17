package io.github.bpf2java.ebpf.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.BpfObject;
import io.github.bpf2java.ebpf.LoadOptions;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.GuestKernel;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fentry, fexit and LSM programs on unlink, attached through BPF trampolines, with their exact effects checked: the
 * kinds of program the build machine's kernel may refuse, so they run only in the test guest (Debian's Linux 6.1, see
 * docs/testing-kernels.md), where a refusal is a failure. Each program acts only for this JVM's process, named to it
 * through a {@code .rodata} constant.
 */
@GuestKernel
class UnlinkTrampolinesTest {
    private static final int SELF = (int) ProcessHandle.current().pid();
    /** errno's EPERM, which the LSM program returns (negated, as inside the kernel) to refuse an unlink. */
    private static final int EPERM = 1;

    @TempDir
    Path scratch;

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    @Test
    void runsInTheGuestKernelWithKprobesAndTheBpfLsm() throws IOException {
        String release = System.getenv(GuestKernel.RELEASE_VARIABLE);
        assertNotNull(release, GuestKernel.RELEASE_VARIABLE + " is unset: this test belongs to the guest run");
        assertEquals(release, Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        assertTrue(release.startsWith("6.1."), "the guest boots Debian's Linux 6.1, not " + release);
        // ProbeAttachTest's kprobe tests, which run here too, take the path of a kernel with kprobes on this one.
        assertTrue(Files.exists(Path.of("/sys/bus/event_source/devices/kprobe")), "kprobes are built in");
        assertTrue(List.of(Files.readString(Path.of("/sys/kernel/security/lsm")).strip().split(",")).contains("bpf"),
                "the BPF LSM is active");
    }

    @Test
    void fentryCountsEveryUnlinkOfThisProcess() throws IOException {
        try (BpfObject object = load("count_unlink_entry")) {
            List<BpfLink> links = object.attachAll().requireComplete().links();
            assertEquals(1, links.size(), "the fentry program attaches by its section: " + links);

            unlinkFiles(5);
            assertEquals(5, object.variable("unlink_entries").getLong(), "one entry per unlink(2) of ours");

            links.get(0).close();
            unlinkFiles(2);
            assertEquals(5, object.variable("unlink_entries").getLong(), "a closed link no longer runs the program");
        }
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    @Test
    void fexitSeesWhatTheFunctionReturned() throws IOException {
        try (BpfObject object = load("record_unlink_result", "deny_unlink")) {
            object.program("record_unlink_result").attach();
            assertEquals(1, object.variable("last_unlink_result").getLong(), "nothing recorded before an unlink");

            unlinkFiles(1);
            assertEquals(0, object.variable("last_unlink_result").getLong(), "a successful unlink");

            // Java checks that a file exists before it unlinks it, so a failing unlink comes from the LSM program.
            Path file = Files.createTempFile(scratch, "kept", ".tmp");
            try (BpfLink denial = object.program("deny_unlink").attach()) {
                assertThrows(FileSystemException.class, () -> Files.delete(file));
            }
            assertEquals(-EPERM, object.variable("last_unlink_result").getLong(), "the unlink the LSM refused");
        }
    }

    @Test
    void lsmProgramDeniesUnlinkWhileItIsAttached() throws IOException {
        Path file = Files.writeString(scratch.resolve("protected"), "kept");
        try (BpfObject object = load("deny_unlink")) {
            BpfLink link = object.program("deny_unlink").attach();

            FileSystemException denied = assertThrows(FileSystemException.class, () -> Files.delete(file));
            assertTrue(String.valueOf(denied.getReason()).contains("Operation not permitted"), denied.toString());
            assertTrue(Files.exists(file), "the LSM program kept the file");
            assertEquals(1, object.variable("unlinks_denied").getLong());

            link.close();
            Files.delete(file);
            assertFalse(Files.exists(file), "without the program the unlink goes through");
        }
    }

    /** The fixture with only {@code programs} loaded, acting for this process only. */
    private static BpfObject load(String... programs) {
        ObjectSpec spec = BpfFixtures.hostSpec("unlink_trampolines", BpfFixtures.installedCompilers().get(0));
        return BpfObject.load(spec, LoadOptions.builder()
                .constant("target_tgid", ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(SELF).array())
                .programs(Set.of(programs))
                .build());
    }

    private void unlinkFiles(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Files.delete(Files.createTempFile(scratch, "unlinked", ".tmp"));
        }
    }
}

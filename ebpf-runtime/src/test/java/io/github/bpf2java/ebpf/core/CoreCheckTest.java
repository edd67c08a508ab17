package io.github.bpf2java.ebpf.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CoreCheck} over the project's CO-RE fixtures, built with this kernel's {@code vmlinux.h}, against this
 * kernel's BTF: every relocation resolves, and every value clang wrote into an instruction agrees with what the
 * engine computes from the object's own BTF (a disagreement is reported as a failure), across both compilers and
 * both byte orders.
 */
class CoreCheckTest {
    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    @ParameterizedTest
    @ValueSource(strings = {"core", "execsnoop", "iter", "loader"})
    void projectFixturesRelocateCleanlyAgainstThisKernel(String fixture) throws IOException {
        KernelSupport.assume(Files.isReadable(VMLINUX), "the kernel exposes no BTF at " + VMLINUX);
        Btf kernel = Btf.parse(Files.readAllBytes(VMLINUX));
        for (String compiler : BpfFixtures.installedCompilers()) {
            // Big-endian objects too: the engine reads and patches instructions in the object's byte order.
            for (String target : List.of(BpfFixtures.BPFEL, BpfFixtures.BPFEB)) {
                ObjectSpec spec = ObjectSpec.read(fixture, BpfFixtures.compile(fixture, compiler, target, false)
                        .bytes());
                CoreCheckReport report = CoreCheck.check(spec, kernel);
                assertEquals(List.of(), report.failures().stream().map(CoreFailure::describe).toList(),
                        fixture + " built by " + compiler + " for " + target);
                assertTrue(report.ok());
                assertTrue(report.relocations() > 0, fixture + " has CO-RE relocations");
            }
        }
    }

    @Test
    void aRenamedFieldReadBehindAnExistenceCheckIsGuardedNotAFailure() throws IOException {
        KernelSupport.assume(Files.isReadable(VMLINUX), "the kernel exposes no BTF at " + VMLINUX);
        Btf kernel = Btf.parse(Files.readAllBytes(VMLINUX));
        boolean renamed = kernel.find("task_struct", BtfType.Struct.class).orElseThrow().members().stream()
                .anyMatch(m -> m.name().equals("__state"));
        for (String compiler : BpfFixtures.installedCompilers()) {
            ObjectSpec spec = ObjectSpec.read("core_renamed_field", BpfFixtures.compile("core_renamed_field",
                    compiler, BpfFixtures.BPFEL, false).bytes());
            CoreCheckReport report = CoreCheck.check(spec, kernel);
            // The field no kernel has, read without a check, fails; in on_switch only the flavor this kernel
            // lacks is unsatisfied, and that one is behind bpf_core_field_exists.
            assertEquals(List.of("unguarded"), report.failures().stream().map(CoreFailure::program).toList(),
                    compiler + ": " + report.failures().stream().map(CoreFailure::describe).toList());
            assertTrue(report.failures().get(0).accessString().length() > 0);
            assertEquals(1, report.guarded().size(), compiler + ": " + report.guarded());
            CoreFailure guarded = report.guarded().get(0);
            assertEquals("on_switch", guarded.program());
            assertTrue(guarded.localType().contains(renamed ? "task_struct___old" : "task_struct___new"),
                    guarded.describe());
            assertFalse(report.ok(), "the unguarded failure still fails the check");
        }
    }
}

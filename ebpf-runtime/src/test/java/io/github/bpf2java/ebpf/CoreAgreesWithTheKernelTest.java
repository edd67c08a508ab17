package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.core.CoreMode;
import io.github.bpf2java.ebpf.internal.load.KernelBtf;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.Relocation;
import io.github.bpf2java.ebpf.testing.AlsoInGuestKernel;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * User-space CO-RE against the kernel's own (Linux 5.17+, the same relocation rules compiled into the kernel):
 * every program of the project's CO-RE fixtures is loaded once relocated here and once relocated by the kernel, and
 * the kernel's tags must be equal. The tag is the kernel's SHA-1 of the instructions after CO-RE and before the
 * verifier's own rewrites (map descriptors left out), so equal tags mean the same patched instructions. The fixtures
 * built with this kernel's {@code vmlinux.h} relocate to what they were compiled with; {@code core_relocations}'
 * local layouts differ from the kernel's, so there every relocation changes an instruction (and equal tags also show
 * the kernel computes the tag after its CO-RE). In the Linux 6.1 guest the objects, built with the build machine's
 * newer {@code vmlinux.h}, relocate to another kernel's layouts.
 */
@AlsoInGuestKernel
class CoreAgreesWithTheKernelTest {
    @ParameterizedTest
    @ValueSource(strings = {"core", "execsnoop", "core_relocations", "iter", "loader"})
    void userSpaceRelocationGivesTheInstructionsTheKernelDoes(String fixture) {
        KernelSupport.assumeBpf();
        KernelSupport.assumeRoot();
        KernelSupport.assume(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), "the kernel exposes no BTF");
        for (String compiler : BpfFixtures.installedCompilers()) {
            ObjectSpec spec = BpfFixtures.hostSpec(fixture, compiler);
            Map<String, String> user = tags(spec, CoreMode.USER_SPACE);
            Map<String, String> kernel = tags(spec, CoreMode.KERNEL);
            assertFalse(user.isEmpty());
            assertEquals(kernel, user, fixture + " built by " + compiler);
        }
    }

    /**
     * Each program's tag and translated size, by name, for the programs whose kernel functions this kernel has (the
     * Linux 6.1 guest lacks {@code bpf_task_acquire}, which has nothing to do with CO-RE).
     */
    private static Map<String, String> tags(ObjectSpec spec, CoreMode mode) {
        Set<String> loadable = spec.programs().stream().filter(p -> p.autoload() && kernelHasFunctionsOf(spec, p))
                .map(ProgramSpec::name).collect(Collectors.toSet());
        Map<String, String> out = new LinkedHashMap<>();
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().coreRelocation(mode)
                .programs(loadable).build())) {
            for (BpfProgram program : object.programs()) {
                BpfProgramInfo info = program.info();
                out.put(program.name(), info.tag() + " " + info.translatedBytes());
            }
        }
        return out;
    }

    private static boolean kernelHasFunctionsOf(ObjectSpec spec, ProgramSpec program) {
        return program.function().relocations().stream()
                .filter(r -> r instanceof Relocation.ExternReference e && e.kind() == Relocation.ExternKind.KSYM)
                .map(r -> ((Relocation.ExternReference) r).symbolName())
                .allMatch(name -> KernelBtf.find(name, BtfType.Func.class).isPresent()
                        || KernelBtf.find(name, BtfType.Var.class).isPresent());
    }
}

package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.bpf2java.ebpf.core.CoreMode;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * User-space CO-RE against the kernel's own (Linux 5.17+, the same relocation rules compiled into the kernel):
 * every program of the project's CO-RE fixtures is loaded once relocated here and once relocated by the kernel, and
 * the kernel's tags must be equal. The tag is the kernel's SHA-1 of the instructions after CO-RE and before the
 * verifier's own rewrites (map descriptors left out), so equal tags mean the same patched instructions. The fixtures
 * built with this kernel's {@code vmlinux.h} relocate to what they were compiled with; {@code core_relocations}'
 * local layouts differ from the kernel's, so there every relocation changes an instruction (and equal tags also show
 * the kernel computes the tag after its CO-RE).
 */
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

    /** Each program's tag and translated size, by name. */
    private static Map<String, String> tags(ObjectSpec spec, CoreMode mode) {
        Map<String, String> out = new LinkedHashMap<>();
        try (BpfObject object = BpfObject.load(spec, LoadOptions.builder().coreRelocation(mode).build())) {
            for (BpfProgram program : object.programs()) {
                BpfProgramInfo info = program.info();
                out.put(program.name(), info.tag() + " " + info.translatedBytes());
            }
        }
        return out;
    }
}

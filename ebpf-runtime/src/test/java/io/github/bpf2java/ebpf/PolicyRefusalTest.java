package io.github.bpf2java.ebpf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.testing.BpfFixtures;
import io.github.bpf2java.ebpf.testing.KernelSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A program the kernel refuses to root before verifying any instruction (EPERM with a log of "processed 0 insns",
 * as some sandboxes answer map-element iterators) is a {@link PermissionException} saying so, not a
 * {@link VerifierException} that sends the reader looking for a bug in the C code. Kernels that allow the program
 * load it.
 */
class PolicyRefusalTest {

    @BeforeEach
    void kernel() {
        KernelSupport.assumeBpf();
    }

    @Test
    void aRefusalBeforeVerificationIsAPermissionError() {
        try (BpfObject object = BpfObject.load(BpfFixtures.hostSpec("iter_map_elem",
                BpfFixtures.installedCompilers().get(0)))) {
            assertTrue(object.program("elements").id() > 0, "loaded where the kernel allows it");
        } catch (PermissionException refused) {
            String hint = refused.hint().orElse("");
            assertTrue(hint.contains("before verifying any instruction, so not for what its code does"), hint);
            assertFalse(hint.indexOf("CAP_SYS_ADMIN") != hint.lastIndexOf("CAP_SYS_ADMIN"), "said once: " + hint);
            assertTrue(refused.getMessage().contains("elements"), refused.getMessage());
        } catch (VerifierException wrongKind) {
            assertFalse(wrongKind.log().contains("processed 0 insns"),
                    "a refusal before the first instruction reported as a verifier rejection: "
                            + wrongKind.getMessage());
            throw wrongKind;
        }
    }
}

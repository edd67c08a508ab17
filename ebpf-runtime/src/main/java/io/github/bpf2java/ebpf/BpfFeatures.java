package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.bpf.ProgramLoadRequest;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the running kernel supports, found by asking it: for tests that need a feature, and for programs that
 * choose between implementations. Answers are cached for the life of the process.
 */
public final class BpfFeatures {
    // "r0 = 0; exit": the same bytes in either byte order, since both registers are r0 and the immediate is 0.
    private static final byte[] RETURN_ZERO = {
        (byte) 0xb7, 0, 0, 0, 0, 0, 0, 0,
        (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
    private static final Map<ProgramType, Boolean> PROGRAM_TYPES = new ConcurrentHashMap<>();

    private BpfFeatures() {}

    /**
     * Whether the kernel loads a trivial program of {@code type} ("return 0"). Types that cannot load without an
     * attach target (tracing, LSM, extension, struct_ops) answer false even where the kernel has them.
     *
     * @throws PermissionException when the process may not load programs at all (no CAP_BPF / CAP_SYS_ADMIN), so
     *                             the question has no answer
     */
    public static boolean supports(ProgramType type) {
        Boolean known = PROGRAM_TYPES.get(type);
        if (known != null) {
            return known;
        }
        boolean answer = probe(type);
        PROGRAM_TYPES.put(type, answer);
        return answer;
    }

    @SuppressWarnings("try") // resources held open for the block, not used in it
    private static boolean probe(ProgramType type) {
        ProgramLoadRequest request = ProgramLoadRequest.builder(type, RETURN_ZERO, "GPL").name("probe").build();
        try (Fd fd = Programs.load(request)) {
            return true;
        } catch (PermissionException e) {
            throw e;
        } catch (KernelException e) {
            return false;
        }
    }
}

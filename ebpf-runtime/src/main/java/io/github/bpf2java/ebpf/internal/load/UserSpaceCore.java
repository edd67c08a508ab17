package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.CoreRelocationException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.core.CoreOutcome;
import io.github.bpf2java.ebpf.internal.core.CoreRelocator;
import io.github.bpf2java.ebpf.internal.core.CoreSpecException;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loader's side of user-space CO-RE: relocates each linked program before it goes to the kernel, and when the
 * verifier then stops at a poisoned instruction, says which relocation it was.
 */
final class UserSpaceCore {
    /** How the verifier prints a reachable poisoned instruction: {@code 12: (85) call unknown#195896080}. */
    private static final Pattern POISONED_CALL = Pattern.compile(
            "(?m)^(\\d+): \\(85\\) call unknown#" + CoreRelocator.POISON_HELPER + "\\b");

    private final ObjectSpec spec;
    private final CoreSettings settings;
    private CoreRelocator relocator;

    UserSpaceCore(ObjectSpec spec, CoreSettings settings) {
        this.spec = spec;
        this.settings = settings;
    }

    /**
     * Relocates {@code linked}'s instructions in place.
     *
     * @return the relocations whose instructions were poisoned
     * @throws BpfException naming the program when a relocation cannot be applied at all, or the target BTF cannot
     *     be read
     */
    List<CoreOutcome> relocate(ProgramSpec program, LinkedProgram linked) {
        if (linked.coreRelocations().isEmpty()) {
            return List.of();
        }
        Btf local = spec.btf().orElseThrow(() -> new ObjectFormatException("program '" + program.name()
                + "' has CO-RE relocations but " + spec.name() + " has no BTF for them",
                "compile with -g so clang emits .BTF", null));
        if (relocator == null) {
            try {
                relocator = new CoreRelocator(local, CoreTargets.of(settings));
            } catch (NotSupportedException e) {
                // The first line: the kernel's hint is about the kernel, this one about the program.
                throw new BpfException("program '" + program.name() + "' of " + spec.name() + " has CO-RE "
                        + "relocations, but " + e.getMessage().lines().findFirst().orElse(""), "give the kernel's "
                        + "BTF as a file (e.g. from BTFHub) with LoadOptions.builder().kernelBtf(path) or -D"
                        + CoreSettings.KERNEL_BTF_PROPERTY + "=path", e);
            }
        }
        try {
            return relocator.relocate(linked.instructions(), linked.coreRelocations()).stream()
                    .filter(CoreOutcome::poisoned).toList();
        } catch (CoreSpecException e) {
            throw new BpfException("program '" + program.name() + "' of " + spec.name() + ": " + e.getMessage(),
                    "check the object against " + target() + " with CoreCheck.check(object, btf); an object "
                            + "built with vmlinux.h of another kernel may need a ___flavor type for this one", null);
        }
    }

    /**
     * The verifier's rejection explained by the poisoned relocation it reached, or {@code e} itself when it did not
     * reach one.
     */
    VerifierException explain(ProgramSpec program, VerifierException e, List<CoreOutcome> poisoned) {
        if (poisoned.isEmpty() || !e.log().contains("unknown#" + CoreRelocator.POISON_HELPER)) {
            return e;
        }
        CoreOutcome reached = poisoned.get(0);
        Matcher m = POISONED_CALL.matcher(e.log());
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        for (CoreOutcome o : poisoned) {
            if (o.instruction() == last) {
                reached = o;
            }
        }
        return new CoreRelocationException(program.name(), e.errno(), e.log(), e.truncated(), reached.instruction(),
                reached.kind().name(), reached.accessString(), reached.localType(), reached.reason(), target());
    }

    private String target() {
        return settings.targetFile().map(p -> "the BTF file " + p).orElse("the running kernel's BTF");
    }
}

package io.github.bpf2java.ebpf.core;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.internal.asm.Reachability;
import io.github.bpf2java.ebpf.internal.core.CoreOutcome;
import io.github.bpf2java.ebpf.internal.core.CoreSpecException;
import io.github.bpf2java.ebpf.internal.core.CoreRelocator;
import io.github.bpf2java.ebpf.internal.core.TargetTypes;
import io.github.bpf2java.ebpf.spec.FunctionSpec;
import io.github.bpf2java.ebpf.spec.FunctionSpec.CoreRelocation;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.Relocation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves every CO-RE relocation of every program of an object against a kernel's BTF, with the engine the loader
 * uses, without touching the kernel: a build can check an object against the kernels it must run on (e.g. BTF files
 * from BTFHub) before it ships.
 *
 * <pre>{@code
 * CoreCheckReport report = CoreCheck.check(ObjectSpec.read("probe", bytes),
 *         Btf.parse(Files.readAllBytes(Path.of("5.10.0-debian.btf"))));
 * report.failures().forEach(f -> System.err.println(f.describe()));
 * }</pre>
 */
public final class CoreCheck {
    private CoreCheck() {}

    /**
     * Checks {@code object} against {@code target} (a kernel's {@code vmlinux} BTF, or a module's split BTF parsed
     * on top of it).
     */
    public static CoreCheckReport check(ObjectSpec object, Btf target) {
        if (object.btf().isEmpty()) {
            return new CoreCheckReport(0, List.of(), List.of());
        }
        CoreRelocator relocator = new CoreRelocator(object.btf().get(), TargetTypes.of(target));
        int count = 0;
        List<CoreFailure> failures = new ArrayList<>();
        List<CoreFailure> guarded = new ArrayList<>();
        for (ProgramSpec program : object.programs()) {
            for (Map.Entry<FunctionSpec, Integer> placed : layout(object, program).entrySet()) {
                FunctionSpec function = placed.getKey();
                int start = placed.getValue();
                if (function.coreRelocations().isEmpty()) {
                    continue;
                }
                Instructions code = Instructions.copyOf(function.instructions(), function.byteOrder());
                // Unsatisfied relocations by slot in the function, told apart once every relocation is applied.
                Map<Integer, CoreFailure> poisoned = new LinkedHashMap<>();
                for (CoreRelocation relocation : function.coreRelocations()) {
                    count++;
                    int at = start + relocation.instructionOffset();
                    try {
                        CoreOutcome outcome = relocator.relocate(code, relocation);
                        if (outcome.poisoned()) {
                            poisoned.put(relocation.instructionOffset(), new CoreFailure(program.name(), at,
                                    outcome.kind(), outcome.accessString(), outcome.localType(), outcome.reason()));
                        }
                    } catch (CoreSpecException e) {
                        failures.add(new CoreFailure(program.name(), at, relocation.kind(),
                                relocation.accessString(), localType(object.btf().get(), relocation.typeId()),
                                e.getMessage()));
                    }
                }
                if (!poisoned.isEmpty()) {
                    // With the existence checks resolved to constants, a read behind one that says no cannot run:
                    // the verifier drops it as dead code, as it will on that kernel.
                    BitSet live = Reachability.reachable(code);
                    poisoned.forEach((slot, failure) -> (live.get(slot) ? failures : guarded).add(failure));
                }
            }
        }
        return new CoreCheckReport(count, failures, guarded);
    }

    private static String localType(Btf btf, int id) {
        try {
            return btf.describe(id);
        } catch (RuntimeException e) {
            return "type " + id;
        }
    }

    /**
     * The program's functions where the loader places them: the program first, then every subprogram it reaches,
     * breadth-first, so instruction indices match those of a load's verifier log.
     */
    private static Map<FunctionSpec, Integer> layout(ObjectSpec object, ProgramSpec program) {
        Map<String, Integer> starts = new LinkedHashMap<>();
        Map<FunctionSpec, Integer> out = new LinkedHashMap<>();
        List<FunctionSpec> queue = new ArrayList<>();
        queue.add(program.function());
        starts.put(program.function().name(), 0);
        int next = program.function().instructionCount();
        for (int i = 0; i < queue.size(); i++) {
            FunctionSpec caller = queue.get(i);
            out.put(caller, starts.get(caller.name()));
            for (Relocation relocation : caller.relocations()) {
                String target = relocation instanceof Relocation.FunctionCall call ? call.functionName()
                        : relocation instanceof Relocation.FunctionPointer pointer ? pointer.functionName() : null;
                FunctionSpec callee = target == null ? null : object.functions().get(target);
                if (callee != null && !starts.containsKey(target)) {
                    starts.put(target, next);
                    next += callee.instructionCount();
                    queue.add(callee);
                }
            }
        }
        return out;
    }
}

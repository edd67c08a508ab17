package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.internal.asm.Opcodes;
import io.github.bpf2java.ebpf.internal.load.LinkedProgram.PlacedRelocation;
import io.github.bpf2java.ebpf.spec.FunctionSpec.CoreRelocation;
import io.github.bpf2java.ebpf.spec.FunctionSpec.FuncInfo;
import io.github.bpf2java.ebpf.spec.FunctionSpec.LineInfo;
import io.github.bpf2java.ebpf.spec.FunctionSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.Relocation;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one program and the object's functions into a single instruction stream: the kernel loads each program
 * on its own, so every subprogram it calls (directly, through another subprogram, or as a callback pointer) is
 * appended once, and each call's pc-relative immediate is rewritten for the new layout.
 */
public final class ProgramLinker {
    private final Map<String, FunctionSpec> functions;

    /** @param functions every function of the object, by name ({@link io.github.bpf2java.ebpf.spec.ObjectSpec#functions()}) */
    public ProgramLinker(Map<String, FunctionSpec> functions) {
        this.functions = functions;
    }

    /**
     * Links {@code program}.
     *
     * @throws ObjectFormatException when a call names a function the object does not have
     */
    public LinkedProgram link(ProgramSpec program) {
        Map<String, Integer> starts = layout(program);
        List<FunctionSpec> order = starts.keySet().stream().map(functions::get).toList();
        int total = order.stream().mapToInt(FunctionSpec::instructionCount).sum();
        ByteOrder byteOrder = program.function().byteOrder();
        Instructions linked = Instructions.allocate(total, byteOrder);

        List<PlacedRelocation> remaining = new ArrayList<>();
        List<FuncInfo> funcInfos = new ArrayList<>();
        List<LineInfo> lineInfos = new ArrayList<>();
        List<CoreRelocation> coreRelocations = new ArrayList<>();
        for (FunctionSpec function : order) {
            int start = starts.get(function.name());
            linked.put(start, Instructions.copyOf(function.instructions(), byteOrder));
            for (Relocation relocation : function.relocations()) {
                int at = start + relocation.instructionOffset();
                String target = targetFunction(relocation);
                if (target == null) {
                    remaining.add(new PlacedRelocation(at, relocation, function.name()));
                } else {
                    int pseudo = relocation instanceof Relocation.FunctionCall ? Opcodes.PSEUDO_CALL
                            : Opcodes.PSEUDO_FUNC;
                    pointAt(linked, at, starts.get(target), pseudo, function, target);
                }
            }
            function.funcInfos().forEach(info -> funcInfos.add(
                    new FuncInfo(start + info.instructionOffset(), info.typeId())));
            function.lineInfos().forEach(line -> lineInfos.add(new LineInfo(start + line.instructionOffset(),
                    line.fileNameOffset(), line.lineOffset(), line.lineNumber(), line.column())));
            function.coreRelocations().forEach(core -> coreRelocations.add(new CoreRelocation(
                    start + core.instructionOffset(), core.typeId(), core.accessString(), core.kind())));
        }
        funcInfos.sort(Comparator.comparingInt(FuncInfo::instructionOffset));
        lineInfos.sort(Comparator.comparingInt(LineInfo::instructionOffset));
        return new LinkedProgram(program, linked, remaining, funcInfos, lineInfos, coreRelocations);
    }

    /**
     * Where each reachable function starts, in stream order. The order is libbpf's: depth-first, each function
     * appended when it is first referenced (in instruction order) and its own callees appended right after it, so
     * the kernel sees the same instruction stream from both loaders (LibbpfDifferentialTest compares them).
     * An explicit stack rather than recursion, so a long chain of calls in a hostile object cannot overflow.
     */
    private Map<String, Integer> layout(ProgramSpec program) {
        Map<String, Integer> starts = new LinkedHashMap<>();
        FunctionSpec entry = program.function();
        starts.put(entry.name(), 0);
        int next = entry.instructionCount();
        Deque<Iterator<Relocation>> pending = new ArrayDeque<>();
        Deque<FunctionSpec> callers = new ArrayDeque<>();
        pending.push(byInstruction(entry));
        callers.push(entry);
        while (!pending.isEmpty()) {
            if (!pending.peek().hasNext()) {
                pending.pop();
                callers.pop();
                continue;
            }
            Relocation relocation = pending.peek().next();
            String target = targetFunction(relocation);
            if (target == null || starts.containsKey(target)) {
                continue;
            }
            FunctionSpec caller = callers.peek();
            FunctionSpec callee = functions.get(target);
            if (callee == null) {
                throw new ObjectFormatException("program '" + program.name() + "': function '" + caller.name()
                        + "' calls '" + target + "' at instruction " + relocation.instructionOffset()
                        + ", which the object does not define");
            }
            starts.put(target, next);
            next += callee.instructionCount();
            pending.push(byInstruction(callee));
            callers.push(callee);
        }
        return starts;
    }

    private static Iterator<Relocation> byInstruction(FunctionSpec function) {
        return function.relocations().stream()
                .sorted(Comparator.comparingInt(Relocation::instructionOffset)).iterator();
    }

    /** The function a call or function pointer refers to; null for every other relocation. */
    private static String targetFunction(Relocation relocation) {
        if (relocation instanceof Relocation.FunctionCall call) {
            return call.functionName();
        }
        if (relocation instanceof Relocation.FunctionPointer pointer) {
            return pointer.functionName();
        }
        return null;
    }

    private static void pointAt(Instructions code, int at, int targetStart, int pseudo, FunctionSpec caller,
            String target) {
        boolean call = code.opcode(at) == Opcodes.CALL;
        boolean load = code.isLoadImm64(at);
        if (!(pseudo == Opcodes.PSEUDO_CALL ? call : load)) {
            throw new ObjectFormatException(String.format(
                    "function '%s': instruction %d references '%s' but has opcode 0x%02x", caller.name(),
                    at, target, code.opcode(at)));
        }
        code.setSourceRegister(at, pseudo);
        code.setImmediate(at, targetStart - at - 1);
        if (load) {
            code.setImmediate(at + 1, 0);
        }
    }
}

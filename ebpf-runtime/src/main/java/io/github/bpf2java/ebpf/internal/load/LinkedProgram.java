package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.spec.FunctionSpec.CoreRelocation;
import io.github.bpf2java.ebpf.spec.FunctionSpec.FuncInfo;
import io.github.bpf2java.ebpf.spec.FunctionSpec.LineInfo;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.Relocation;
import java.util.List;

/**
 * A program with every subprogram it reaches appended after it and the calls between them fixed up: the
 * instruction stream the kernel gets, still waiting for map, data and extern references to be filled in.
 * Every offset here counts instructions from the start of the linked stream.
 *
 * @param program         the program this was linked for
 * @param instructions    the program's code followed by its subprograms'
 * @param relocations     the references still to resolve (maps, global data, externs), at linked offsets
 * @param funcInfos       one entry per function in the stream, sorted by offset
 * @param lineInfos       the source lines, sorted by offset
 * @param coreRelocations CO-RE relocations, at linked offsets
 */
public record LinkedProgram(
        ProgramSpec program,
        Instructions instructions,
        List<PlacedRelocation> relocations,
        List<FuncInfo> funcInfos,
        List<LineInfo> lineInfos,
        List<CoreRelocation> coreRelocations) {

    public LinkedProgram {
        relocations = List.copyOf(relocations);
        funcInfos = List.copyOf(funcInfos);
        lineInfos = List.copyOf(lineInfos);
        coreRelocations = List.copyOf(coreRelocations);
    }

    /**
     * A relocation of one function, placed in the linked stream.
     *
     * @param instruction the slot to patch, counted from the start of the linked stream
     * @param relocation  what the function's relocation says
     * @param function    the function the relocation came from, for messages
     */
    public record PlacedRelocation(int instruction, Relocation relocation, String function) {}
}

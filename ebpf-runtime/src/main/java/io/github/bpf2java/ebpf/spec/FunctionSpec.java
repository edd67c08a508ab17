package io.github.bpf2java.ebpf.spec;

import java.nio.ByteOrder;
import java.util.List;

/**
 * One function of an executable section: a program entry point or a subprogram.
 *
 * @param name         the symbol name
 * @param sectionName  the section the code lives in
 * @param global       whether the symbol is global ({@code STB_GLOBAL}); static subprograms are not
 * @param instructions raw 8-byte BPF instructions, in the object's byte order
 * @param byteOrder    the byte order of {@code instructions}
 * @param relocations  references from this function's instructions to maps, data, other functions and externs
 * @param funcInfos    {@code .BTF.ext} function info, offsets in instructions relative to this function
 * @param lineInfos    {@code .BTF.ext} line info, offsets in instructions relative to this function
 * @param coreRelocations {@code .BTF.ext} CO-RE relocations, offsets in instructions relative to this function
 */
public record FunctionSpec(
        String name,
        String sectionName,
        boolean global,
        byte[] instructions,
        ByteOrder byteOrder,
        List<Relocation> relocations,
        List<FuncInfo> funcInfos,
        List<LineInfo> lineInfos,
        List<CoreRelocation> coreRelocations) {

    public FunctionSpec {
        instructions = instructions.clone();
        relocations = List.copyOf(relocations);
        funcInfos = List.copyOf(funcInfos);
        lineInfos = List.copyOf(lineInfos);
        coreRelocations = List.copyOf(coreRelocations);
    }

    /** A copy of the instructions (the record keeps its own). */
    @Override
    public byte[] instructions() {
        return instructions.clone();
    }

    /** The number of 8-byte instruction slots ({@code ld_imm64} takes two). */
    public int instructionCount() {
        return instructions.length / 8;
    }

    /**
     * One line for logs, e.g. {@code FunctionSpec[count_execs in tracepoint/..., global, 42 instructions,
     * 3 relocations, 12 line infos, 1 CO-RE relocation]}; the lists themselves through the accessors.
     */
    @Override
    public String toString() {
        return "FunctionSpec[" + name + " in " + sectionName + (global ? ", global" : ", static") + ", "
                + instructionCount() + " instructions, " + count(relocations.size(), "relocation") + ", "
                + count(lineInfos.size(), "line info") + ", " + count(coreRelocations.size(), "CO-RE relocation")
                + "]";
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    /** {@code bpf_func_info}: the BTF {@code FUNC} type of the function starting at an instruction. */
    public record FuncInfo(int instructionOffset, int typeId) {}

    /** {@code bpf_line_info}: offsets of strings in the object's BTF string table. */
    public record LineInfo(int instructionOffset, int fileNameOffset, int lineOffset, int lineNumber, int column) {}

    /** {@code bpf_core_relo}. */
    public record CoreRelocation(int instructionOffset, int typeId, String accessString, CoreRelocationKind kind) {}
}

package io.github.bpf2java.ebpf.internal.linker;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code .BTF.ext}: a 32-byte header, then the func_info, line_info and CO-RE relocation sub-sections, each
 * a record size followed by, per ELF section, its name's string offset, the record count and the records
 * ({@code struct btf_ext_header}, {@code bpf_func_info}, {@code bpf_line_info}, {@code bpf_core_relo} in
 * {@code linux/btf.h} and {@code linux/bpf.h}).
 */
final class BtfExtWriter {
    private static final int MAGIC = 0xeB9F;
    private static final int HEADER_SIZE = 32;

    /** Records by ELF section name, each record as its 32-bit words. */
    private final Map<Integer, List<int[]>> funcInfos = new LinkedHashMap<>();
    private final Map<Integer, List<int[]>> lineInfos = new LinkedHashMap<>();
    private final Map<Integer, List<int[]>> coreRelos = new LinkedHashMap<>();

    /** Reserves the order of sections: call for every section, in output order, before adding records. */
    void section(int nameOffset) {
        funcInfos.putIfAbsent(nameOffset, new ArrayList<>());
        lineInfos.putIfAbsent(nameOffset, new ArrayList<>());
        coreRelos.putIfAbsent(nameOffset, new ArrayList<>());
    }

    void funcInfo(int section, int insnOffset, int typeId) {
        funcInfos.computeIfAbsent(section, k -> new ArrayList<>()).add(new int[] {insnOffset, typeId});
    }

    void lineInfo(int section, int insnOffset, int fileName, int line, int lineNumber, int column) {
        lineInfos.computeIfAbsent(section, k -> new ArrayList<>())
                .add(new int[] {insnOffset, fileName, line, lineNumber << 10 | (column & 0x3ff)});
    }

    void coreRelo(int section, int insnOffset, int typeId, int accessString, int kind) {
        coreRelos.computeIfAbsent(section, k -> new ArrayList<>())
                .add(new int[] {insnOffset, typeId, accessString, kind});
    }

    /** Whether any record was added. */
    boolean isEmpty() {
        return count(funcInfos) + count(lineInfos) + count(coreRelos) == 0;
    }

    byte[] bytes(ByteOrder order) {
        byte[] func = subSection(funcInfos, 8, order);
        byte[] line = subSection(lineInfos, 16, order);
        byte[] core = subSection(coreRelos, 16, order);
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + func.length + line.length + core.length).order(order);
        out.putShort((short) MAGIC).put((byte) 1).put((byte) 0).putInt(HEADER_SIZE);
        out.putInt(0).putInt(func.length);
        out.putInt(func.length).putInt(line.length);
        out.putInt(func.length + line.length).putInt(core.length);
        out.put(func).put(line).put(core);
        return out.array();
    }

    private static int count(Map<Integer, List<int[]>> records) {
        return records.values().stream().mapToInt(List::size).sum();
    }

    private static byte[] subSection(Map<Integer, List<int[]>> records, int recordSize, ByteOrder order) {
        if (count(records) == 0) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer word = ByteBuffer.allocate(4).order(order);
        write(out, word, recordSize);
        for (Map.Entry<Integer, List<int[]>> section : records.entrySet()) {
            if (section.getValue().isEmpty()) {
                continue;
            }
            write(out, word, section.getKey());
            write(out, word, section.getValue().size());
            for (int[] record : section.getValue()) {
                for (int value : record) {
                    write(out, word, value);
                }
            }
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, ByteBuffer word, int value) {
        word.clear();
        word.putInt(value);
        out.write(word.array(), 0, 4);
    }
}

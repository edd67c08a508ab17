package io.github.bpf2java.ebpf.btf;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.elf.ByteReader;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A parsed {@code .BTF.ext} section: function info, line info and CO-RE relocations, grouped by the ELF section
 * they describe. Offsets here are as in the file, BYTE offsets into that ELF section; the object spec reader turns
 * them into instruction offsets relative to each function.
 *
 * @param funcInfos       {@code bpf_func_info} records by section name
 * @param lineInfos       {@code bpf_line_info} records by section name
 * @param coreRelocations {@code bpf_core_relo} records by section name
 */
public record BtfExt(Map<String, List<FuncInfo>> funcInfos, Map<String, List<LineInfo>> lineInfos,
        Map<String, List<CoreRelo>> coreRelocations) {

    private static final int MAGIC = 0xeB9F;
    private static final String CONTEXT = ".BTF.ext";
    /** The longest section name read, as for ELF section names ({@code ElfFile.MAX_NAME_LENGTH}). */
    private static final int MAX_SECTION_NAME_LENGTH = 1024;
    /** The longest CO-RE access string read; libbpf follows at most 64 accesses, {@code 0:1:...}. */
    private static final int MAX_ACCESS_STRING_LENGTH = 1024;

    public BtfExt {
        funcInfos = copy(funcInfos);
        lineInfos = copy(lineInfos);
        coreRelocations = copy(coreRelocations);
    }

    private static <T> Map<String, List<T>> copy(Map<String, List<T>> m) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    /** {@code bpf_func_info}: the BTF {@code FUNC} type of the function starting at a byte offset. */
    public record FuncInfo(int byteOffset, int typeId) {}

    /**
     * {@code bpf_line_info}: a source line for the instruction at a byte offset.
     *
     * @param fileNameOffset offset of the file name in the BTF string table
     * @param lineOffset     offset of the source line's text in the BTF string table
     */
    public record LineInfo(int byteOffset, int fileNameOffset, int lineOffset, int lineNumber, int column) {}

    /**
     * {@code bpf_core_relo}: a CO-RE relocation of the instruction at a byte offset.
     *
     * @param typeId       the local BTF type the access starts from
     * @param accessString the access spec, e.g. {@code 0:1:2}
     * @param kind         the {@code enum bpf_core_relo_kind} number
     */
    public record CoreRelo(int byteOffset, int typeId, String accessString, int kind) {}

    /**
     * Parses {@code .BTF.ext} data; section names and access strings come from {@code btf}'s string table.
     *
     * @throws ObjectFormatException on a bad header, truncated records, record sizes below the minimum or string
     *     offsets outside the string table
     */
    public static BtfExt parse(byte[] data, ByteOrder order, Btf btf) {
        ByteReader in = new ByteReader(data, order, CONTEXT);
        int magic = in.u16(0, "magic");
        if (magic != MAGIC) {
            throw new ObjectFormatException(CONTEXT + ": bad magic 0x" + Integer.toHexString(magic));
        }
        int version = in.u8(2, "version");
        if (version != 1) {
            throw new ObjectFormatException(CONTEXT + ": unsupported version " + version);
        }
        long hdrLen = in.u32(4, "hdr_len");
        if (hdrLen < 24 || hdrLen > data.length) {
            throw new ObjectFormatException(CONTEXT + ": header length " + hdrLen + " is not between 24 and "
                    + data.length);
        }
        Map<Long, String> names = new HashMap<>();
        Map<String, List<FuncInfo>> funcs = new LinkedHashMap<>();
        Map<String, List<LineInfo>> lines = new LinkedHashMap<>();
        Map<String, List<CoreRelo>> relos = new LinkedHashMap<>();
        readInfo(in, btf, names, hdrLen, 8, 8, "func_info", (sec, at) -> funcs.computeIfAbsent(sec, k -> new ArrayList<>())
                .add(new FuncInfo(offset(in, at), in.s32(at + 4, "func_info type_id"))));
        readInfo(in, btf, names, hdrLen, 16, 16, "line_info", (sec, at) -> {
            int col = in.s32(at + 12, "line_col");
            lines.computeIfAbsent(sec, k -> new ArrayList<>()).add(new LineInfo(offset(in, at),
                    in.s32(at + 4, "file_name_off"), in.s32(at + 8, "line_off"), col >>> 10, col & 0x3ff));
        });
        if (hdrLen >= 32) {
            readInfo(in, btf, names, hdrLen, 24, 16, "core_relo", (sec, at) -> {
                long strOff = in.u32(at + 8, "access_str_off");
                String access = string(btf, names, strOff, MAX_ACCESS_STRING_LENGTH,
                        () -> CONTEXT + ": CO-RE relocation in " + sec + " at offset " + at + ": access string");
                relos.computeIfAbsent(sec, k -> new ArrayList<>()).add(new CoreRelo(offset(in, at),
                        in.s32(at + 4, "core_relo type_id"), access, in.s32(at + 12, "core_relo kind")));
            });
        }
        return new BtfExt(funcs, lines, relos);
    }

    /**
     * A string of the BTF's table, read once per distinct offset however many records refer to it; {@code what}
     * names it in the message when it is bad, and is built only then.
     */
    private static String string(Btf btf, Map<Long, String> names, long offset, int max, Supplier<String> what) {
        String known = names.get(offset);
        if (known == null) {
            if (!btf.strings().isValid(offset) || btf.strings().length(offset, max) < 0) {
                btf.strings().get(offset, max, what.get()); // throws, saying which
            }
            known = btf.strings().get(offset);
            names.put(offset, known);
        }
        return known;
    }

    private static int offset(ByteReader in, long at) {
        int off = in.s32(at, "insn_off");
        if (off < 0 || off % 8 != 0) {
            throw new ObjectFormatException(CONTEXT + ": record at offset " + at + " has instruction offset "
                    + Integer.toUnsignedLong(off) + ", not a multiple of 8");
        }
        return off;
    }

    private interface RecordReader {
        void read(String section, long at);
    }

    /**
     * Reads one info sub-section: a record size, then per ELF section its name offset, record count and records.
     *
     * @param headerField where the sub-section's offset sits in the header (its length follows)
     */
    private static void readInfo(ByteReader in, Btf btf, Map<Long, String> names, long hdrLen, int headerField,
            int minRecord, String what, RecordReader reader) {
        long off = hdrLen + in.u32(headerField, what + "_off");
        long len = in.u32(headerField + 4, what + "_len");
        if (len == 0) {
            return;
        }
        in.check(off, len, what + " sub-section");
        long end = off + len;
        long recSize = in.u32(off, what + " record size");
        if (recSize < minRecord || recSize % 4 != 0 || recSize > len) {
            throw new ObjectFormatException(CONTEXT + ": " + what + " record size " + recSize + " (at least "
                    + minRecord + ", a multiple of 4)");
        }
        long pos = off + 4;
        while (pos < end) {
            if (end - pos < 8) {
                throw new ObjectFormatException(CONTEXT + ": " + what + " section header at offset " + pos
                        + " is truncated");
            }
            long nameOff = in.u32(pos, what + " sec_name_off");
            long n = in.u32(pos + 4, what + " num_info");
            long at = pos;
            String section = string(btf, names, nameOff, MAX_SECTION_NAME_LENGTH,
                    () -> CONTEXT + ": " + what + " at offset " + at + ": section name");
            pos += 8;
            if (n > (end - pos) / recSize) {
                throw new ObjectFormatException(CONTEXT + ": " + what + " of section " + section + " claims " + n
                        + " records of " + recSize + " bytes, more than the " + (end - pos) + " bytes left");
            }
            for (long i = 0; i < n; i++) {
                reader.read(section, pos);
                pos += recSize;
            }
        }
    }
}

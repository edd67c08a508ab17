package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel reports about a loaded program ({@code struct bpf_prog_info}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param typeValue        {@code type}, the raw {@code enum bpf_prog_type} number
 * @param id               the program's system-wide id
 * @param tag              {@code tag}: the hash of the instructions, as 16 hex digits (what bpftool shows)
 * @param jitedLength      {@code jited_prog_len}
 * @param xlatedLength     {@code xlated_prog_len}
 * @param loadTimeNs       {@code load_time}, ns since boot
 * @param createdByUid     {@code created_by_uid}
 * @param mapIds           the ids of the maps the program uses
 * @param name             {@code name}, as the kernel stored it
 * @param ifindex          the offload device, 0 for none
 * @param gplCompatible    whether the license was GPL-compatible
 * @param btfId            the id of the program's BTF, 0 for none
 * @param funcInfoCount    {@code nr_func_info}
 * @param lineInfoCount    {@code nr_line_info}
 * @param runTimeNs        {@code run_time_ns}: total run time, when statistics are enabled
 * @param runCount         {@code run_cnt}, when statistics are enabled
 * @param recursionMisses  {@code recursion_misses}
 * @param verifiedInsns    {@code verified_insns}: how many instructions the verifier processed
 * @param attachBtfObjId   {@code attach_btf_obj_id}
 * @param attachBtfId      {@code attach_btf_id}
 */
public record ProgramInfo(int typeValue, int id, String tag, int jitedLength, int xlatedLength, long loadTimeNs,
        int createdByUid, List<Integer> mapIds, String name, int ifindex, boolean gplCompatible, int btfId,
        int funcInfoCount, int lineInfoCount, long runTimeNs, long runCount, long recursionMisses,
        int verifiedInsns, int attachBtfObjId, int attachBtfId) {

    public ProgramInfo {
        mapIds = List.copyOf(mapIds);
    }

    /** The program type, if this runtime knows its number. */
    public Optional<ProgramType> type() {
        return ProgramType.of(typeValue);
    }

    public static ProgramInfo of(Fd fd) {
        try (NativeBuffer b = new NativeBuffer(AttrLayout.ProgInfo.SIZE)) {
            ObjectInfo.fill(fd, b);
            int mapCount = b.getInt(AttrLayout.ProgInfo.NR_MAP_IDS);
            List<Integer> mapIds = mapCount == 0 ? List.of() : mapIds(fd, mapCount);
            // gpl_compatible is the first bit of a bit field word: bit 0 on little-endian, bit 31 on big-endian.
            int gplWord = b.getInt(AttrLayout.ProgInfo.GPL_COMPATIBLE_WORD);
            boolean gpl = (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? gplWord & 1 : gplWord >>> 31) != 0;
            return new ProgramInfo(b.getInt(AttrLayout.ProgInfo.TYPE), b.getInt(AttrLayout.ProgInfo.ID),
                    HexFormat.of().formatHex(b.getBytes(AttrLayout.ProgInfo.TAG, 8)),
                    b.getInt(AttrLayout.ProgInfo.JITED_PROG_LEN), b.getInt(AttrLayout.ProgInfo.XLATED_PROG_LEN),
                    b.getLong(AttrLayout.ProgInfo.LOAD_TIME), b.getInt(AttrLayout.ProgInfo.CREATED_BY_UID), mapIds,
                    b.getCString(AttrLayout.ProgInfo.NAME, ObjectName.FIELD_SIZE),
                    b.getInt(AttrLayout.ProgInfo.IFINDEX), gpl, b.getInt(AttrLayout.ProgInfo.BTF_ID),
                    b.getInt(AttrLayout.ProgInfo.NR_FUNC_INFO), b.getInt(AttrLayout.ProgInfo.NR_LINE_INFO),
                    b.getLong(AttrLayout.ProgInfo.RUN_TIME_NS), b.getLong(AttrLayout.ProgInfo.RUN_CNT),
                    b.getLong(AttrLayout.ProgInfo.RECURSION_MISSES), b.getInt(AttrLayout.ProgInfo.VERIFIED_INSNS),
                    b.getInt(AttrLayout.ProgInfo.ATTACH_BTF_OBJ_ID), b.getInt(AttrLayout.ProgInfo.ATTACH_BTF_ID));
        }
    }

    /**
     * The program's instructions as the kernel holds them after the verifier's rewrites ({@code xlated_prog_insns},
     * what {@code bpftool prog dump xlated} prints): 8 bytes each in host order, map references shown as map ids.
     * The length is read first and the instructions asked for with a second query of that size.
     */
    public static byte[] translatedInstructions(Fd fd) {
        int length;
        try (NativeBuffer b = new NativeBuffer(AttrLayout.ProgInfo.SIZE)) {
            ObjectInfo.fill(fd, b);
            length = b.getInt(AttrLayout.ProgInfo.XLATED_PROG_LEN);
        }
        if (length == 0) {
            return new byte[0];
        }
        try (NativeBuffer insns = new NativeBuffer(length);
                NativeBuffer b = new NativeBuffer(AttrLayout.ProgInfo.SIZE)) {
            b.putInt(AttrLayout.ProgInfo.XLATED_PROG_LEN, length)
                    .putPointer(AttrLayout.ProgInfo.XLATED_PROG_INSNS, insns);
            ObjectInfo.fill(fd, b);
            return insns.getBytes(0, Math.min(length, b.getInt(AttrLayout.ProgInfo.XLATED_PROG_LEN)));
        }
    }

    /** A second query that asks only for the map ids: every other count left 0 so nothing else is copied. */
    private static List<Integer> mapIds(Fd fd, int count) {
        try (NativeBuffer ids = new NativeBuffer(4L * count);
                NativeBuffer b = new NativeBuffer(AttrLayout.ProgInfo.SIZE)) {
            b.putInt(AttrLayout.ProgInfo.NR_MAP_IDS, count).putPointer(AttrLayout.ProgInfo.MAP_IDS, ids);
            ObjectInfo.fill(fd, b);
            int filled = Math.min(count, b.getInt(AttrLayout.ProgInfo.NR_MAP_IDS));
            Integer[] out = new Integer[filled];
            for (int i = 0; i < filled; i++) {
                out[i] = ids.getInt(4 * i);
            }
            return List.of(out);
        }
    }
}

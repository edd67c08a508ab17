package io.github.bpf2java.ebpf.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Optional;

/**
 * Compares two loads' translated instructions ({@code xlated_prog_insns}) instruction by instruction. The only
 * field allowed to differ is the map id the kernel writes into a map reference ({@code ld_imm64} with
 * {@code BPF_PSEUDO_MAP_FD}/{@code BPF_PSEUDO_MAP_VALUE} in {@code src_reg}): ids differ between loads, so each
 * side's id is turned into its map's name and the names are compared; the value offset in the second half is
 * compared as it is.
 */
public final class TranslatedCode {
    private static final int SIZE = 8;
    private static final int LD_IMM64 = 0x18;
    /** {@code BPF_OBJ_NAME_LEN} less the terminating zero. */
    private static final int KERNEL_NAME_LENGTH = 15;

    private TranslatedCode() {}

    /**
     * The first difference between {@code ours} and {@code theirs}, decoded; empty when they are equal.
     *
     * @param ourMaps   map id to map name on our side
     * @param theirMaps map id to map name on the other side
     */
    public static Optional<String> firstDifference(byte[] ours, Map<Integer, String> ourMaps, byte[] theirs,
            Map<Integer, String> theirMaps) {
        ByteBuffer a = ByteBuffer.wrap(ours).order(ByteOrder.nativeOrder());
        ByteBuffer b = ByteBuffer.wrap(theirs).order(ByteOrder.nativeOrder());
        int count = Math.min(ours.length, theirs.length) / SIZE;
        for (int i = 0; i < count; i++) {
            if (isMapReference(a, i) && isMapReference(b, i) && i + 1 < count) {
                String ourMap = ourMaps.getOrDefault(a.getInt(i * SIZE + 4), "?");
                String theirMap = theirMaps.getOrDefault(b.getInt(i * SIZE + 4), "?");
                if (a.getInt(i * SIZE) != b.getInt(i * SIZE) || !sameMap(ourMap, theirMap)
                        || a.getLong((i + 1) * SIZE) != b.getLong((i + 1) * SIZE)) {
                    return Optional.of(difference(i, a, ourMaps, b, theirMaps));
                }
                i++;
                continue;
            }
            if (a.getLong(i * SIZE) != b.getLong(i * SIZE)) {
                return Optional.of(difference(i, a, ourMaps, b, theirMaps));
            }
        }
        if (ours.length != theirs.length) {
            return Optional.of("lengths differ: ours " + ours.length / SIZE + " instructions, libbpf's "
                    + theirs.length / SIZE + "; first extra: " + (ours.length > theirs.length
                    ? "ours " + decode(a, count, ourMaps) : "libbpf's " + decode(b, count, theirMaps)));
        }
        return Optional.empty();
    }

    /**
     * Whether two names denote the same map of the object: we name internal maps by their section
     * ({@code .rodata.str1.1}), libbpf by the object's name and the section, cut to the kernel's 15 characters
     * ({@code loader.rodata.s}).
     */
    static boolean sameMap(String ours, String theirs) {
        String a = internalPart(ours);
        String b = internalPart(theirs);
        return a.equals(b) || (theirs.length() == KERNEL_NAME_LENGTH && b.startsWith(".") && a.startsWith(b));
    }

    private static String internalPart(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(dot) : name;
    }

    private static boolean isMapReference(ByteBuffer insns, int i) {
        int src = sourceRegister(insns, i);
        return Byte.toUnsignedInt(insns.get(i * SIZE)) == LD_IMM64 && (src == 1 || src == 2);
    }

    private static int sourceRegister(ByteBuffer insns, int i) {
        int regs = Byte.toUnsignedInt(insns.get(i * SIZE + 1));
        return insns.order() == ByteOrder.LITTLE_ENDIAN ? regs >>> 4 : regs & 0xf;
    }

    private static String difference(int i, ByteBuffer a, Map<Integer, String> ourMaps, ByteBuffer b,
            Map<Integer, String> theirMaps) {
        return "instruction " + i + ": ours " + decode(a, i, ourMaps) + ", libbpf's " + decode(b, i, theirMaps);
    }

    /** One instruction's fields, e.g. {@code ld_imm64 r1 src=2 map 'counts' +8} or {@code code=0xb7 r0 imm=0}. */
    public static String decode(ByteBuffer insns, int i, Map<Integer, String> maps) {
        int code = Byte.toUnsignedInt(insns.get(i * SIZE));
        int regs = Byte.toUnsignedInt(insns.get(i * SIZE + 1));
        int dst = insns.order() == ByteOrder.LITTLE_ENDIAN ? regs & 0xf : regs >>> 4;
        int src = sourceRegister(insns, i);
        short off = insns.getShort(i * SIZE + 2);
        int imm = insns.getInt(i * SIZE + 4);
        if (code == LD_IMM64 && (i + 1) * SIZE < insns.capacity()) {
            int high = insns.getInt((i + 1) * SIZE + 4);
            if (src == 1 || src == 2) {
                return "ld_imm64 r" + dst + " src=" + src + " map '" + maps.getOrDefault(imm, "id " + imm) + "' +"
                        + high;
            }
            return "ld_imm64 r" + dst + " src=" + src + " 0x" + Long.toHexString(((long) high << 32)
                    | Integer.toUnsignedLong(imm));
        }
        return String.format("code=0x%02x dst=r%d src=r%d off=%d imm=%d", code, dst, src, off, imm);
    }
}

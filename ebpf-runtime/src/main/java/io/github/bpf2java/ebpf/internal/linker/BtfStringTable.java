package io.github.bpf2java.ebpf.internal.linker;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The string table of encoded BTF, open for more strings: {@code .BTF.ext} refers to section names, source file
 * names and source lines by their offsets in the BTF's string table, so these are added after the types are encoded.
 */
final class BtfStringTable {
    private static final int HEADER_SIZE = 24;

    private final ByteBuffer header;
    private final byte[] types;
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> offsets = new HashMap<>();

    /** @param encoded BTF as {@code BtfEncoder} writes it: header, types, then strings */
    BtfStringTable(byte[] encoded, ByteOrder order) {
        ByteBuffer in = ByteBuffer.wrap(encoded).order(order);
        int hdrLen = in.getInt(4);
        int typeOff = in.getInt(8);
        int typeLen = in.getInt(12);
        int strOff = in.getInt(16);
        int strLen = in.getInt(20);
        header = ByteBuffer.allocate(HEADER_SIZE).order(order).put(encoded, 0, HEADER_SIZE);
        header.putInt(4, HEADER_SIZE).putInt(8, 0).putInt(12, typeLen).putInt(16, typeLen);
        types = new byte[typeLen];
        System.arraycopy(encoded, hdrLen + typeOff, types, 0, typeLen);
        int start = hdrLen + strOff;
        strings.write(encoded, start, strLen);
        int begin = 0;
        for (int i = 0; i < strLen; i++) {
            if (encoded[start + i] == 0) {
                offsets.putIfAbsent(new String(encoded, start + begin, i - begin, StandardCharsets.UTF_8), begin);
                begin = i + 1;
            }
        }
    }

    /** The offset of {@code s}, added when the table does not have it yet. */
    int offsetOf(String s) {
        Integer known = offsets.get(s);
        if (known != null) {
            return known;
        }
        int offset = strings.size();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        strings.write(bytes, 0, bytes.length);
        strings.write(0);
        offsets.put(s, offset);
        return offset;
    }

    /** The BTF with every string added. */
    byte[] bytes() {
        byte[] strs = strings.toByteArray();
        header.putInt(20, strs.length);
        ByteBuffer out = ByteBuffer.allocate(HEADER_SIZE + types.length + strs.length);
        out.put(header.array()).put(types).put(strs);
        return out.array();
    }
}

package io.github.bpf2java.ebpf.btf;

import io.github.bpf2java.ebpf.error.ObjectFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A BTF string table: NUL-terminated strings addressed by byte offset. For split BTF the offsets continue after the
 * base's table, and offsets below {@link #offsetBase} are looked up in the base.
 */
final class BtfStrings {
    private final byte[] data;
    private final int start;
    private final int length;
    private final int offsetBase;
    private final BtfStrings base;
    private volatile Map<String, Integer> index;

    BtfStrings(byte[] data, int start, int length, BtfStrings base) {
        this.data = data;
        this.start = start;
        this.length = length;
        this.base = base;
        this.offsetBase = base == null ? 0 : base.end();
    }

    /** An empty table holding only the empty string at offset 0. */
    static BtfStrings empty() {
        return new BtfStrings(new byte[] {0}, 0, 1, null);
    }

    /** Checks the table's shape as the kernel does; the context names the BTF in messages. */
    void validate(String context) {
        if (length == 0) {
            if (base == null) {
                throw new ObjectFormatException(context + ": empty string table");
            }
            return;
        }
        if (base == null && data[start] != 0) {
            throw new ObjectFormatException(context + ": string table does not start with the empty string");
        }
        if (data[start + length - 1] != 0) {
            throw new ObjectFormatException(context + ": string table is not NUL-terminated");
        }
    }

    /** The first offset past this table, where a split table's offsets start. */
    int end() {
        return offsetBase + length;
    }

    BtfStrings base() {
        return base;
    }

    int offsetBase() {
        return offsetBase;
    }

    /** A copy of this table's own bytes (not the base's). */
    byte[] ownBytes() {
        return Arrays.copyOfRange(data, start, start + length);
    }

    /** Whether {@code offset} addresses a byte of this table or its base. */
    boolean isValid(long offset) {
        if (offset < 0) {
            return false;
        }
        if (offset < offsetBase) {
            return base.isValid(offset);
        }
        return offset - offsetBase < length;
    }

    /**
     * The length of the string at the valid {@code offset}, or -1 when it is longer than {@code max} bytes; scans at
     * most {@code max + 1} bytes.
     */
    int length(long offset, int max) {
        if (offset < offsetBase) {
            return base.length(offset, max);
        }
        int from = start + (int) (offset - offsetBase);
        int limit = (int) Math.min(start + (long) length, from + (long) max + 1);
        int i = from;
        while (i < limit && data[i] != 0) {
            i++;
        }
        return i - from > max ? -1 : i - from;
    }

    /**
     * The string at {@code offset}, which must be at most {@code max} bytes long.
     *
     * @throws ObjectFormatException naming {@code what} when the offset is outside the table or the string longer
     */
    String get(long offset, int max, String what) {
        if (!isValid(offset)) {
            throw new ObjectFormatException(what + ": string offset " + offset + " is outside the BTF string table ("
                    + end() + " bytes)");
        }
        if (length(offset, max) < 0) {
            throw new ObjectFormatException(what + ": the string at offset " + offset + " is longer than " + max
                    + " bytes");
        }
        return get(offset);
    }

    /** The string at {@code offset}. */
    String get(long offset) {
        if (offset < offsetBase && offset >= 0) {
            return base.get(offset);
        }
        if (!isValid(offset)) {
            throw new ObjectFormatException("BTF string offset " + offset + " is outside the string table ("
                    + end() + " bytes)");
        }
        int from = start + (int) (offset - offsetBase);
        int limit = start + length;
        int i = from;
        boolean ascii = true;
        while (i < limit && data[i] != 0) {
            ascii &= data[i] >= 0;
            i++;
        }
        if (i == from) {
            return "";
        }
        return new String(data, from, i - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /** The offset of the first occurrence of {@code s} as a whole string in this table or its base, or -1. */
    int find(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        if (base != null) {
            int inBase = base.find(s);
            if (inBase >= 0) {
                return inBase;
            }
        }
        Integer off = index().get(s);
        return off == null ? -1 : off;
    }

    private Map<String, Integer> index() {
        Map<String, Integer> idx = index;
        if (idx == null) {
            idx = new HashMap<>();
            int i = 0;
            while (i < length) {
                int from = i;
                while (i < length && data[start + i] != 0) {
                    i++;
                }
                idx.putIfAbsent(new String(data, start + from, i - from, StandardCharsets.UTF_8), offsetBase + from);
                i++;
            }
            index = idx;
        }
        return idx;
    }
}

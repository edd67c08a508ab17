package io.github.bpf2java.ebpf.packet;

/**
 * Shows two byte arrays side by side, 16 bytes a row, marking the bytes that differ: for assertion messages about
 * packets, where "arrays differ at index 22" is hard to read.
 *
 * <pre>
 * 3 bytes differ (first at offset 22); expected 42 bytes, actual 42
 * 0010  expected 00 1c 00 00 40 00 40 11 ...
 *       actual   00 1c 00 00 40 00 3f 11 ...
 *                                  ^^
 * </pre>
 */
public final class HexDiff {
    private static final int ROW = 16;

    private HexDiff() {}

    /** Whether the arrays are equal. */
    public static boolean same(byte[] expected, byte[] actual) {
        return java.util.Arrays.equals(expected, actual);
    }

    /** The rows where {@code expected} and {@code actual} differ, or {@code "identical (n bytes)"}. */
    public static String diff(byte[] expected, byte[] actual) {
        int longest = Math.max(expected.length, actual.length);
        int differing = 0;
        int first = -1;
        for (int i = 0; i < longest; i++) {
            if (!sameAt(expected, actual, i)) {
                differing++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (differing == 0) {
            return "identical (" + expected.length + " bytes)";
        }
        StringBuilder out = new StringBuilder().append(differing).append(differing == 1 ? " byte differs" :
                " bytes differ").append(" (first at offset ").append(first).append("); expected ")
                .append(expected.length).append(" bytes, actual ").append(actual.length).append('\n');
        for (int row = 0; row < longest; row += ROW) {
            boolean rowDiffers = false;
            for (int i = row; i < Math.min(row + ROW, longest); i++) {
                rowDiffers |= !sameAt(expected, actual, i);
            }
            if (!rowDiffers) {
                continue;
            }
            out.append(String.format("%04x  expected ", row)).append(hexRow(expected, row)).append('\n');
            out.append("      actual   ").append(hexRow(actual, row)).append('\n');
            out.append("               ");
            for (int i = row; i < Math.min(row + ROW, longest); i++) {
                out.append(sameAt(expected, actual, i) ? "   " : "^^ ");
            }
            out.setLength(out.length() - 1);
            out.append('\n');
        }
        return out.toString().stripTrailing();
    }

    /** All of {@code bytes} as rows of 16 hex bytes with offsets. */
    public static String dump(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int row = 0; row < bytes.length; row += ROW) {
            out.append(String.format("%04x  ", row)).append(hexRow(bytes, row)).append('\n');
        }
        return out.toString().stripTrailing();
    }

    private static String hexRow(byte[] bytes, int row) {
        StringBuilder s = new StringBuilder();
        for (int i = row; i < row + ROW; i++) {
            s.append(i < bytes.length ? String.format("%02x ", bytes[i] & 0xff) : "-- ");
        }
        return s.toString().stripTrailing();
    }

    private static boolean sameAt(byte[] a, byte[] b, int i) {
        return i < a.length && i < b.length && a[i] == b[i];
    }
}

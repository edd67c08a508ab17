package io.github.bpf2java.ebpf.internal.bpf;

import java.nio.charset.StandardCharsets;

/**
 * The kernel's object names ({@code map_name}, {@code prog_name}): at most 15 characters from {@code [A-Za-z0-9_.]}
 * plus a NUL in a 16-byte field. Other characters are replaced by {@code _} rather than rejected, since the name
 * is only a label for tools like {@code bpftool}.
 */
public final class ObjectName {
    /** {@code BPF_OBJ_NAME_LEN}. */
    static final int FIELD_SIZE = 16;

    private ObjectName() {}

    /** {@code name} reduced to what the kernel accepts. */
    static String sanitize(String name) {
        StringBuilder sb = new StringBuilder(FIELD_SIZE - 1);
        for (int i = 0; i < name.length() && sb.length() < FIELD_SIZE - 1; i++) {
            char c = name.charAt(i);
            boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '.';
            sb.append(allowed ? c : '_');
        }
        return sb.toString();
    }

    /** The 16-byte field for {@code name}, sanitized, NUL-padded. */
    static byte[] field(String name) {
        byte[] field = new byte[FIELD_SIZE];
        byte[] ascii = sanitize(name).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, field, 0, ascii.length);
        return field;
    }
}

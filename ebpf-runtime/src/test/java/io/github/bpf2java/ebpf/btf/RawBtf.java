package io.github.bpf2java.ebpf.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Writes raw BTF byte by byte, so tests can build malformed data the encoder would refuse to produce. */
final class RawBtf {
    private final ByteOrder order;
    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final int stringBase;

    RawBtf(ByteOrder order) {
        this(order, 0, true);
    }

    /** For split BTF: string offsets start at {@code stringBase}, and the table need not start with NUL. */
    RawBtf(ByteOrder order, int stringBase, boolean leadingNul) {
        this.order = order;
        this.stringBase = stringBase;
        if (leadingNul) {
            strings.write(0);
        }
    }

    int str(String s) {
        int off = stringBase + strings.size();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        strings.write(b, 0, b.length);
        strings.write(0);
        return off;
    }

    RawBtf words(int... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(order);
        for (int w : words) {
            b.putInt(w);
        }
        types.write(b.array(), 0, b.capacity());
        return this;
    }

    /** A {@code btf_type} header followed by {@code extra} words. */
    RawBtf type(int nameOff, int kind, int vlen, boolean kflag, int sizeOrType, int... extra) {
        words(nameOff, (kflag ? 1 << 31 : 0) | kind << 24 | vlen, sizeOrType);
        return words(extra);
    }

    byte[] bytes() {
        byte[] t = types.toByteArray();
        byte[] s = strings.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(order);
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24);
        b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
        b.put(t).put(s);
        return b.array();
    }
}

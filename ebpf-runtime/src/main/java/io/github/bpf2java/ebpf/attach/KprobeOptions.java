package io.github.bpf2java.ebpf.attach;

/**
 * How a kprobe or kretprobe attaches beyond its function: where in the function and the BPF cookie. Immutable; start
 * from {@link #defaults()}.
 */
public final class KprobeOptions {
    private static final KprobeOptions DEFAULTS = new KprobeOptions(0, 0);

    private final long offset;
    private final long cookie;

    private KprobeOptions(long offset, long cookie) {
        this.offset = offset;
        this.cookie = cookie;
    }

    /** The function's entry, cookie 0. */
    public static KprobeOptions defaults() {
        return DEFAULTS;
    }

    /** {@code bytes} past the function's first instruction (kprobes only). */
    public KprobeOptions offset(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + bytes);
        }
        return new KprobeOptions(bytes, cookie);
    }

    /** The value {@code bpf_get_attach_cookie()} returns in the program (Linux 5.15+). */
    public KprobeOptions cookie(long cookie) {
        return new KprobeOptions(offset, cookie);
    }

    /** Bytes past the function's start. */
    public long offset() {
        return offset;
    }

    /** The BPF cookie. */
    public long cookie() {
        return cookie;
    }

    @Override
    public String toString() {
        return "KprobeOptions[offset " + offset + ", cookie " + cookie + "]";
    }
}

package io.github.bpf2java.ebpf.attach;

/**
 * How a uprobe or uretprobe attaches, beyond its binary and function: which process, where in the function, the
 * USDT semaphore to count, the BPF cookie. Immutable; start from {@link #defaults()}.
 *
 * <pre>{@code
 * program.attachUprobe("libc.so.6", "getenv", UprobeOptions.defaults().pid(1234).cookie(7));
 * }</pre>
 */
public final class UprobeOptions {
    private static final UprobeOptions DEFAULTS = new UprobeOptions(-1, 0, 0, 0);

    private final int pid;
    private final long offset;
    private final long refCtrOffset;
    private final long cookie;

    private UprobeOptions(int pid, long offset, long refCtrOffset, long cookie) {
        this.pid = pid;
        this.offset = offset;
        this.refCtrOffset = refCtrOffset;
        this.cookie = cookie;
    }

    /** Every process, the function's entry, no semaphore, cookie 0. */
    public static UprobeOptions defaults() {
        return DEFAULTS;
    }

    /** Only in process {@code pid} (its threads included); the default, -1, is every process. */
    public UprobeOptions pid(int pid) {
        if (pid == 0 || pid < -1) {
            throw new IllegalArgumentException("pid must be a process id or -1 for every process: " + pid);
        }
        return new UprobeOptions(pid, offset, refCtrOffset, cookie);
    }

    /**
     * {@code bytes} past the function's start (uprobes only; uretprobes fire at the return). It must be where an
     * instruction starts (as {@code objdump -d} lists them) and within the function: the kernel cannot check the
     * first, and a probe in the middle of an instruction corrupts what the traced process runs.
     */
    public UprobeOptions offset(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + bytes);
        }
        return new UprobeOptions(pid, bytes, refCtrOffset, cookie);
    }

    /**
     * The file offset of a 2-byte USDT semaphore the kernel increments while the probe is attached (Linux 4.20+),
     * so the traced program can tell it is watched.
     */
    public UprobeOptions refCtrOffset(long fileOffset) {
        if (fileOffset < 0) {
            throw new IllegalArgumentException("reference counter offset must not be negative: " + fileOffset);
        }
        return new UprobeOptions(pid, offset, fileOffset, cookie);
    }

    /** The value {@code bpf_get_attach_cookie()} returns in the program (Linux 5.15+). */
    public UprobeOptions cookie(long cookie) {
        return new UprobeOptions(pid, offset, refCtrOffset, cookie);
    }

    /** The process, or -1 for every process. */
    public int pid() {
        return pid;
    }

    /** Bytes past the function's start. */
    public long offset() {
        return offset;
    }

    /** The semaphore's file offset, 0 for none. */
    public long refCtrOffset() {
        return refCtrOffset;
    }

    /** The BPF cookie. */
    public long cookie() {
        return cookie;
    }

    @Override
    public String toString() {
        return "UprobeOptions[pid " + pid + ", offset " + offset + ", refCtrOffset " + refCtrOffset + ", cookie "
                + cookie + "]";
    }
}

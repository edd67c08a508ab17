package io.github.bpf2java.ebpf.attach;

/**
 * How a USDT probe attaches beyond its binary, provider and name: which process and the USDT cookie that
 * {@code bpf_usdt_cookie()} returns (the BPF cookie itself carries the argument spec, as libbpf does). Immutable;
 * start from {@link #defaults()}.
 */
public final class UsdtOptions {
    private static final UsdtOptions DEFAULTS = new UsdtOptions(-1, 0);

    private final int pid;
    private final long cookie;

    private UsdtOptions(int pid, long cookie) {
        this.pid = pid;
        this.cookie = cookie;
    }

    /** Every process, cookie 0. */
    public static UsdtOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Only in process {@code pid}; the default, -1, is every process. A probe's semaphore is then raised in that
     * process only.
     *
     * @throws IllegalArgumentException for 0 or a negative number other than -1
     */
    public UsdtOptions pid(int pid) {
        if (pid == 0 || pid < -1) {
            throw new IllegalArgumentException("pid must be a process id or -1 for every process: " + pid);
        }
        return new UsdtOptions(pid, cookie);
    }

    /** The value {@code bpf_usdt_cookie(ctx)} returns in the program. */
    public UsdtOptions cookie(long cookie) {
        return new UsdtOptions(pid, cookie);
    }

    /** The process, or -1 for every process. */
    public int pid() {
        return pid;
    }

    /** The USDT cookie. */
    public long cookie() {
        return cookie;
    }

    @Override
    public String toString() {
        return "UsdtOptions[pid " + pid + ", cookie " + cookie + "]";
    }
}

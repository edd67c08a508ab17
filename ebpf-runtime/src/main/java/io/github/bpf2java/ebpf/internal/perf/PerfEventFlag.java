package io.github.bpf2java.ebpf.internal.perf;

import java.nio.ByteOrder;

/**
 * The one-bit flags of {@code struct perf_event_attr} ({@code disabled}, {@code inherit}, ...), by their position
 * in the bit field word. C allocates bit fields from the least significant bit on little-endian machines and from
 * the most significant on big-endian ones (s390x); {@link #mask()} accounts for that.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public enum PerfEventFlag {
    /** {@code disabled}: the event starts off; enable it with {@code PERF_EVENT_IOC_ENABLE}. */
    DISABLED(0),
    /** {@code inherit}: children inherit it. */
    INHERIT(1),
    /** {@code pinned}. */
    PINNED(2),
    /** {@code exclusive}. */
    EXCLUSIVE(3),
    /** {@code exclude_user}. */
    EXCLUDE_USER(4),
    /** {@code exclude_kernel}. */
    EXCLUDE_KERNEL(5),
    /** {@code exclude_hv}. */
    EXCLUDE_HV(6),
    /** {@code exclude_idle}. */
    EXCLUDE_IDLE(7),
    /** {@code mmap}. */
    MMAP(8),
    /** {@code comm}. */
    COMM(9),
    /** {@code freq}: {@code sample_freq} instead of {@code sample_period}. */
    FREQ(10),
    /** {@code inherit_stat}. */
    INHERIT_STAT(11),
    /** {@code enable_on_exec}. */
    ENABLE_ON_EXEC(12),
    /** {@code task}. */
    TASK(13),
    /** {@code watermark}: {@code wakeup_watermark} (bytes) instead of {@code wakeup_events}. */
    WATERMARK(14),
    /** {@code mmap_data}. */
    MMAP_DATA(17),
    /** {@code sample_id_all}. */
    SAMPLE_ID_ALL(18),
    /** {@code exclude_host}. */
    EXCLUDE_HOST(19),
    /** {@code exclude_guest}. */
    EXCLUDE_GUEST(20),
    /** {@code exclude_callchain_kernel}. */
    EXCLUDE_CALLCHAIN_KERNEL(21),
    /** {@code exclude_callchain_user}. */
    EXCLUDE_CALLCHAIN_USER(22),
    /** {@code mmap2}. */
    MMAP2(23),
    /** {@code comm_exec}. */
    COMM_EXEC(24),
    /** {@code use_clockid}. */
    USE_CLOCKID(25),
    /** {@code context_switch}. */
    CONTEXT_SWITCH(26),
    /** {@code write_backward}. */
    WRITE_BACKWARD(27),
    /** {@code namespaces}. */
    NAMESPACES(28),
    /** {@code ksymbol}. */
    KSYMBOL(29),
    /** {@code bpf_event}. */
    BPF_EVENT(30),
    /** {@code aux_output}. */
    AUX_OUTPUT(31),
    /** {@code cgroup}. */
    CGROUP(32),
    /** {@code text_poke}. */
    TEXT_POKE(33),
    /** {@code build_id}. */
    BUILD_ID(34),
    /** {@code inherit_thread}. */
    INHERIT_THREAD(35),
    /** {@code remove_on_exec}. */
    REMOVE_ON_EXEC(36),
    /** {@code sigtrap}. */
    SIGTRAP(37);

    private final int bit;

    PerfEventFlag(int bit) {
        this.bit = bit;
    }

    /** The position in declaration order: 0 for {@code disabled}. */
    public int bit() {
        return bit;
    }

    /** The flag's bit in the 64-bit flags word, as read in the host's byte order. */
    public long mask() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 1L << bit : 1L << (63 - bit);
    }
}

package io.github.bpf2java.ebpf.attach;

import java.util.Objects;

/**
 * How to attach a {@code SCHED_CLS} program the legacy way, as a {@code cls_bpf} filter in direct-action mode on the
 * interface's {@code clsact} qdisc (what {@code tc filter add dev X ingress bpf da obj ...} does; any kernel since
 * 4.5). Filters run in priority order, lowest first; the priority and handle identify the filter, so two attachments
 * on one interface and direction need different ones.
 *
 * @param direction ingress or egress
 * @param priority  1 to 65535
 * @param handle    the filter's handle within its priority, at least 1
 */
public record TcOptions(TcDirection direction, int priority, int handle) {

    public TcOptions {
        Objects.requireNonNull(direction, "direction");
        if (priority < 1 || priority > 0xffff) {
            throw new IllegalArgumentException("tc filter priority must be 1..65535: " + priority);
        }
        if (handle < 1) {
            throw new IllegalArgumentException("tc filter handle must be positive: " + handle);
        }
    }

    /** Ingress, priority 1, handle 1. */
    public static TcOptions ingress() {
        return new TcOptions(TcDirection.INGRESS, 1, 1);
    }

    /** Egress, priority 1, handle 1. */
    public static TcOptions egress() {
        return new TcOptions(TcDirection.EGRESS, 1, 1);
    }

    /** These options at {@code newPriority}. */
    public TcOptions withPriority(int newPriority) {
        return new TcOptions(direction, newPriority, handle);
    }

    /** These options with handle {@code newHandle}. */
    public TcOptions withHandle(int newHandle) {
        return new TcOptions(direction, priority, newHandle);
    }
}

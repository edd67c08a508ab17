package io.github.bpf2java.ebpf.attach;

import java.util.Objects;

/**
 * How to attach a {@code SCHED_CLS} program to a network interface through tcx (Linux 6.6+): the direction and
 * where it goes among the programs already there.
 */
public record TcxOptions(TcDirection direction, ProgramOrder order) {

    public TcxOptions {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(order, "order");
    }

    /** Received packets, appended after the programs there. */
    public static TcxOptions ingress() {
        return new TcxOptions(TcDirection.INGRESS, ProgramOrder.last());
    }

    /** Sent packets, appended after the programs there. */
    public static TcxOptions egress() {
        return new TcxOptions(TcDirection.EGRESS, ProgramOrder.last());
    }

    /** These options with the program placed at {@code newOrder}. */
    public TcxOptions withOrder(ProgramOrder newOrder) {
        return new TcxOptions(direction, newOrder);
    }
}

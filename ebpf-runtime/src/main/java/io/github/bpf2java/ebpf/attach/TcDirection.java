package io.github.bpf2java.ebpf.attach;

/** Which traffic of a network interface a tc or tcx program sees. */
public enum TcDirection {
    /** Packets the interface receives. */
    INGRESS,
    /** Packets the interface sends. */
    EGRESS
}

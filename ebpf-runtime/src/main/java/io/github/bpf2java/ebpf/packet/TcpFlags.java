package io.github.bpf2java.ebpf.packet;

/** TCP header flag bits. */
public final class TcpFlags {
    /** FIN. */
    public static final int FIN = 0x01;
    /** SYN. */
    public static final int SYN = 0x02;
    /** RST. */
    public static final int RST = 0x04;
    /** PSH. */
    public static final int PSH = 0x08;
    /** ACK. */
    public static final int ACK = 0x10;
    /** URG. */
    public static final int URG = 0x20;

    private TcpFlags() {}
}

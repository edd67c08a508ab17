package io.github.bpf2java.ebpf.attach;

/** Where an XDP program runs ({@code XDP_FLAGS_*_MODE} of {@code linux/if_link.h}). */
public enum XdpMode {
    /** The kernel chooses: the driver's native hook when it has one, else generic. */
    DEFAULT(0),
    /** {@code XDP_FLAGS_SKB_MODE}: generic XDP on the socket buffer, any device, slower. */
    GENERIC(1 << 1),
    /** {@code XDP_FLAGS_DRV_MODE}: in the driver, before a socket buffer exists; the driver must support it. */
    DRIVER(1 << 2),
    /**
     * {@code XDP_FLAGS_HW_MODE}: offloaded to the network card. It needs a card that offloads XDP and a program
     * loaded for that card's device ({@code BPF_PROG_LOAD} with its interface index), which bpf2java's loader does
     * not do: attaching one of its programs this way fails, saying so.
     */
    OFFLOAD(1 << 3);

    private final int flag;

    XdpMode(int flag) {
        this.flag = flag;
    }

    /** The UAPI flag, 0 for {@link #DEFAULT}. */
    public int flag() {
        return flag;
    }
}

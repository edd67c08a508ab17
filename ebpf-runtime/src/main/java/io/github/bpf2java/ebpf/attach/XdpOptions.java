package io.github.bpf2java.ebpf.attach;

import java.util.Objects;

/**
 * How to attach an XDP program to a network interface.
 *
 * @param mode    where the program runs
 * @param netlink attach through rtnetlink ({@code IFLA_XDP}) instead of a {@code bpf_link}, as kernels before 5.9
 *                require (the runtime falls back to it there by itself); such an attachment is not owned by a
 *                descriptor, so a process that dies without closing it leaves the program on the interface
 */
public record XdpOptions(XdpMode mode, boolean netlink) {

    public XdpOptions {
        Objects.requireNonNull(mode, "mode");
    }

    /** The kernel's choice of mode, through a {@code bpf_link}. */
    public static XdpOptions defaults() {
        return new XdpOptions(XdpMode.DEFAULT, false);
    }

    /** These options in {@code mode}. */
    public XdpOptions withMode(XdpMode newMode) {
        return new XdpOptions(newMode, netlink);
    }

    /** These options through rtnetlink rather than a {@code bpf_link}. */
    public XdpOptions throughNetlink() {
        return new XdpOptions(mode, true);
    }
}

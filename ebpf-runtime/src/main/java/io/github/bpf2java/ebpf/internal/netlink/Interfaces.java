package io.github.bpf2java.ebpf.internal.netlink;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;

/** Network interfaces by name, in the calling thread's network namespace. */
public final class Interfaces {
    private Interfaces() {}

    /**
     * The index of the interface {@code name} ({@code if_nametoindex(3)}, which asks the kernel of the calling
     * thread's network namespace; {@code /sys/class/net} would show the namespace sysfs was mounted in).
     *
     * @throws NotFoundException when there is no such interface
     */
    public static int index(String name) {
        if (name.isEmpty() || name.length() > 15 || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not a network interface name: '" + name + "' (1 to 15 characters, "
                    + "no '/')");
        }
        long index = Libc.ifNameToIndex(name);
        if (index < 0) {
            int errno = (int) -index;
            if (Errno.ENXIO.is(errno) || Errno.ENODEV.is(errno) || Errno.ENOENT.is(errno)) {
                // Said as the attach's caller sees it, not as the C library call that found nothing.
                throw new NotFoundException("no network interface '" + name + "' in this network namespace",
                        "if_nametoindex", Errno.ENOENT.number(), "network interface '" + name + "'",
                        "list the interfaces of this network namespace with: ip link show");
            }
            throw KernelErrors.forErrno("if_nametoindex", errno, "network interface '" + name + "'",
                    "list the interfaces of this network namespace with: ip link show");
        }
        return (int) index;
    }

    /**
     * The name of the interface with index {@code index} ({@code if_indextoname(3)}, in the calling thread's network
     * namespace).
     *
     * @throws NotFoundException when there is no such interface
     */
    public static String name(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("not a network interface index: " + index + " (indexes start at 1)");
        }
        return Libc.ifIndexToName(index).orElseThrow(() -> new NotFoundException("no network interface with index "
                + index + " in this network namespace", "if_indextoname", Errno.ENXIO.number(),
                "network interface " + index, "list the interfaces of this network namespace with: ip link show"));
    }
}

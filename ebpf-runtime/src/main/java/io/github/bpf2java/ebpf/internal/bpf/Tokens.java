package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;

/**
 * BPF tokens ({@code BPF_TOKEN_CREATE}, Linux 6.9+): delegated BPF rights, created from a bpffs mounted with
 * {@code delegate_*} options, for unprivileged containers.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Tokens {
    private Tokens() {}

    /**
     * Creates a token from {@code bpffs}, an open descriptor of a delegating bpffs's root directory.
     *
     * @throws io.github.bpf2java.ebpf.error.KernelException when the kernel has no tokens or the bpffs delegates nothing
     */
    public static Fd create(Fd bpffs) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.TokenCreate.SIZE); Fd.Held held = bpffs.hold()) {
            attr.putInt(AttrLayout.TokenCreate.BPFFS_FD, held.raw());
            return BpfSyscall.callForFd(BpfCommand.TOKEN_CREATE, attr, AttrLayout.TokenCreate.SIZE,
                    "BPF token from " + bpffs.description());
        }
    }
}

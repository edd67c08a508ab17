package io.github.bpf2java.ebpf.core;

/** Who resolves an object's CO-RE relocations when it is loaded. */
public enum CoreMode {
    /**
     * The runtime, in user space, against the running kernel's BTF ({@code /sys/kernel/btf/vmlinux} and its modules')
     * or a BTF file given with {@code LoadOptions.builder().kernelBtf(path)} or the {@code ebpf.kernelBtf} system
     * property, as libbpf does. Works on every kernel with BTF (or with a BTF file, e.g. from BTFHub). The default.
     */
    USER_SPACE,
    /**
     * The kernel, from the relocation records handed over with the program ({@code BPF_PROG_LOAD}'s
     * {@code core_relos}), which Linux 5.17 and later support.
     */
    KERNEL
}

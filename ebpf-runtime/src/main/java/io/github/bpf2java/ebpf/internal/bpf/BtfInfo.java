package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;

/**
 * What the kernel reports about a BTF object ({@code struct bpf_btf_info}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param id     the object's system-wide id
 * @param size   {@code btf_size}: the size of its raw BTF
 * @param name   {@code name}: {@code vmlinux} or the module name for kernel BTF, empty for loaded BTF
 * @param kernel {@code kernel_btf}: whether it is the kernel's or a module's own BTF
 */
public record BtfInfo(int id, int size, String name, boolean kernel) {
    private static final int NAME_CAPACITY = 64;

    static BtfInfo of(Fd fd) {
        try (NativeBuffer name = new NativeBuffer(NAME_CAPACITY);
                NativeBuffer b = new NativeBuffer(AttrLayout.BtfInfo.SIZE)) {
            b.putPointer(AttrLayout.BtfInfo.NAME, name).putInt(AttrLayout.BtfInfo.NAME_LEN, NAME_CAPACITY);
            ObjectInfo.fill(fd, b);
            return new BtfInfo(b.getInt(AttrLayout.BtfInfo.ID), b.getInt(AttrLayout.BtfInfo.BTF_SIZE),
                    name.getCString(0, NAME_CAPACITY), b.getInt(AttrLayout.BtfInfo.KERNEL_BTF) != 0);
        }
    }
}

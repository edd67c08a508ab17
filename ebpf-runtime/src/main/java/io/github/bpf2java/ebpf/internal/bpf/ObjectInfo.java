package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;

/** {@code BPF_OBJ_GET_INFO_BY_FD}: fills a caller's info struct buffer for any BPF object. */
public final class ObjectInfo {
    private ObjectInfo() {}

    /**
     * Asks the kernel to fill {@code info} for the object behind {@code fd}.
     *
     * @return how many bytes the kernel filled (it fills fewer than the buffer when its struct is older)
     */
    static int fill(Fd fd, NativeBuffer info) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.Info.SIZE); Fd.Held held = fd.hold()) {
            attr.putInt(AttrLayout.Info.BPF_FD, held.raw())
                    .putInt(AttrLayout.Info.INFO_LEN, info.size())
                    .putPointer(AttrLayout.Info.INFO, info);
            BpfSyscall.call(BpfCommand.OBJ_GET_INFO_BY_FD, attr, AttrLayout.Info.SIZE, fd.description());
            return attr.getInt(AttrLayout.Info.INFO_LEN);
        }
    }
}

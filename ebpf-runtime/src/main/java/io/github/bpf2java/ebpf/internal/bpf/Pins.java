package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.internal.fs.Bpffs;
import io.github.bpf2java.ebpf.internal.fs.MountTable;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Pinning objects on a bpffs ({@code BPF_OBJ_PIN}) and opening pinned ones ({@code BPF_OBJ_GET}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Pins {
    /** {@code BPF_F_RDONLY}: open the pinned object read-only. */
    public static final int RDONLY = 1 << 3;
    /** {@code BPF_F_WRONLY}: open the pinned object write-only. */
    public static final int WRONLY = 1 << 4;

    private Pins() {}

    /**
     * Pins the object behind {@code fd} at {@code path}, which must be on a bpffs (see {@link Bpffs}).
     *
     * @throws io.github.bpf2java.ebpf.error.BusyException when something is already pinned there
     */
    public static void pin(Fd fd, Path path) {
        try (NativeBuffer name = NativeBuffer.cString(path.toString());
                NativeBuffer attr = new NativeBuffer(AttrLayout.ObjPin.SIZE);
                Fd.Held held = fd.hold()) {
            attr.putPointer(AttrLayout.ObjPin.PATHNAME, name).putInt(AttrLayout.ObjPin.BPF_FD, held.raw());
            long result = BpfSyscall.invoke(BpfCommand.OBJ_PIN, attr, AttrLayout.ObjPin.SIZE);
            if (result < 0) {
                int errno = (int) -result;
                String hint = Errno.EEXIST.is(errno) ? "remove the old pin first (rm " + path + ")"
                        : !onBpffs(path) ? path.getParent() + " must be on a bpffs (mount -t bpf bpf /sys/fs/bpf); "
                                + "no bpffs is mounted there"
                        : Errno.ENOENT.is(errno) ? "create the directory " + path.getParent() + " first"
                        : null;
                throw KernelErrors.forErrno("BPF_OBJ_PIN", errno, fd.description() + " at " + path, hint);
            }
        }
    }

    /** Whether the directory {@code path} would be created in lies on a bpffs mount, as far as the mounts say. */
    private static boolean onBpffs(Path path) {
        Path parent = path.toAbsolutePath().normalize().getParent();
        try {
            return MountTable.read().mounts().stream()
                    .filter(m -> parent != null && parent.startsWith(m.mountPoint()))
                    .max(Comparator.comparingInt(m -> m.mountPoint().getNameCount()))
                    .map(m -> m.fsType().equals("bpf"))
                    .orElse(false);
        } catch (RuntimeException unreadable) {
            return true; // Cannot tell: say nothing about bpffs rather than something wrong.
        }
    }

    /**
     * Opens the object pinned at {@code path}.
     *
     * @param fileFlags 0, {@link #RDONLY} or {@link #WRONLY}
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when nothing is pinned there
     */
    public static Fd get(Path path, int fileFlags) {
        try (NativeBuffer name = NativeBuffer.cString(path.toString());
                NativeBuffer attr = new NativeBuffer(AttrLayout.ObjPin.SIZE)) {
            attr.putPointer(AttrLayout.ObjPin.PATHNAME, name).putInt(AttrLayout.ObjPin.FILE_FLAGS, fileFlags);
            return BpfSyscall.callForFd(BpfCommand.OBJ_GET, attr, AttrLayout.ObjPin.SIZE, "pinned object " + path);
        }
    }
}

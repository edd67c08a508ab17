package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.fs.Bpffs;
import io.github.bpf2java.ebpf.internal.fs.MountTable;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

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
    /** Where bpffs is mounted by convention (systemd, libbpf). */
    private static final Path USUAL_MOUNT = Path.of("/sys/fs/bpf");

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
                String subject = fd.description() + " at " + path;
                if (!Errno.EEXIST.is(errno) && !onBpffs(path)) {
                    throw notOnBpffs("BPF_OBJ_PIN", errno, subject, path.toAbsolutePath().normalize().getParent());
                }
                String hint = Errno.EEXIST.is(errno) ? "something is pinned there already: open it to use it "
                        + "(BpfMap.openPinned or BpfLink.openPinned(" + path + ")), pin at another path, or remove "
                        + "the pin (rm " + path + "; a link whose only holder is the pin detaches then)"
                        : Errno.ENOENT.is(errno) ? "create the directory " + path.getParent() + " first"
                        : null;
                throw KernelErrors.forErrno("BPF_OBJ_PIN", errno, subject, hint);
            }
        }
    }

    /**
     * The refusal of pinning at or opening from {@code directory}, which is not on a bpffs: whatever errno the
     * kernel chose (EPERM from tmpfs, EACCES, ENOENT), that is the cause, not privileges. ENOENT stays a
     * {@link NotFoundException}, which callers take to mean that nothing is pinned there; the others become a plain
     * {@link KernelException} rather than a {@code PermissionException}.
     */
    private static KernelException notOnBpffs(String operation, int errno, String subject, Path directory) {
        List<Path> mounted = bpffsMounts();
        String message = KernelException.describe(operation, errno, subject) + ": " + directory
                + " is not on a bpffs";
        // Mounting a bpffs over the directory itself is advice only for the usual place: over /tmp or a project
        // directory it would hide what is there.
        String mountPoint = directory.startsWith(USUAL_MOUNT) ? directory.toString() : USUAL_MOUNT.toString();
        String hint = (mounted.isEmpty() ? "no bpffs is mounted on this machine: mount one (mount -t bpf bpf "
                + mountPoint + ") and pin under it"
                : "bpffs is mounted at " + mounted.stream().map(Path::toString).collect(Collectors.joining(", "))
                        + ": pin under it");
        return Errno.ENOENT.is(errno) ? new NotFoundException(message, operation, errno, subject, hint)
                : new KernelException(message, operation, errno, subject, hint, null);
    }

    private static List<Path> bpffsMounts() {
        try {
            return MountTable.read().mounts().stream().filter(m -> m.fsType().equals("bpf"))
                    .map(MountTable.Mount::mountPoint).toList();
        } catch (RuntimeException unreadable) {
            return List.of();
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
     * What kind of BPF object {@code fd} is: {@code map}, {@code prog}, {@code link}, {@code btf}, ..., as the kernel
     * names its anonymous inode ({@code anon_inode:bpf-map}; links are {@code bpf_link} or {@code bpf-link} by
     * release). {@code BPF_OBJ_GET} opens whatever is pinned, and a map's info read from a link's descriptor is
     * garbage, so callers check before they use it.
     *
     * @throws IOException when the descriptor's link in {@code /proc/self/fd} cannot be read
     */
    public static String kindOf(Fd fd) throws IOException {
        try (Fd.Held held = fd.hold()) {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + held.raw())).toString();
            return target.replace("anon_inode:", "").replace("bpf-", "").replace("bpf_", "");
        }
    }

    /**
     * Opens the object pinned at {@code path}, which must be a {@code kind}: {@code BPF_OBJ_GET} opens whatever is
     * pinned, so a map's pin found where a link's was expected would otherwise be read as one.
     *
     * @param fileFlags 0, {@link #RDONLY} or {@link #WRONLY}
     * @param kind      as {@link #kindOf} names it: {@code map}, {@code link}, ...
     * @param instead   what to do about another kind there, for the message's hint; may be null
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when nothing is pinned there
     * @throws BpfException when something of another kind is
     */
    public static Fd open(Path path, int fileFlags, String kind, String instead) {
        Fd fd = get(path, fileFlags);
        requireKind(fd, path, kind, instead);
        return fd;
    }

    /** Checks that {@code fd}, opened from the pin at {@code path}, is a {@code kind}; closes it and throws if not. */
    private static void requireKind(Fd fd, Path path, String kind, String instead) {
        String actual;
        try {
            actual = kindOf(fd);
        } catch (IOException | RuntimeException e) {
            fd.close();
            throw new BpfException("cannot inspect " + path + ": " + e, e);
        }
        if (!actual.equals(kind)) {
            fd.close();
            throw new BpfException(path + " holds a " + actual + ", not a " + kind, instead, null);
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
        } catch (KernelException e) {
            // A path outside any bpffs (after a reboot nothing is mounted, or a plain file) cannot hold a pin.
            Path absolute = path.toAbsolutePath().normalize();
            if (absolute.getParent() != null && !onBpffs(absolute)) {
                KernelException explained = notOnBpffs("BPF_OBJ_GET", e.errno(), "pinned object " + path,
                        absolute.getParent());
                explained.setStackTrace(e.getStackTrace());
                throw explained;
            }
            if ((Errno.EACCES.is(e.errno()) || Errno.EPERM.is(e.errno())) && deniedByMode(path, fileFlags)) {
                PermissionException explained = new PermissionException("BPF_OBJ_GET", e.errno(),
                        "pinned object " + path, "the pin's permissions (" + mode(path) + ") do not let this process "
                                + "open it for " + ((fileFlags & RDONLY) != 0 ? "reading" : "reading and writing")
                                + ((fileFlags & RDONLY) != 0 ? "; make it readable (chmod)"
                                        : "; a map that is only to be read opens with BpfMap.openPinnedReadOnly"
                                                + "(path), or make the pin writable (chmod)"));
                explained.setStackTrace(e.getStackTrace());
                throw explained;
            }
            throw e;
        }
    }

    // Whether the pin's mode bits refuse what fileFlags ask for this process (access(2) with its ids and
    // capabilities): then they, not a missing BPF privilege, are why the kernel said no.
    private static boolean deniedByMode(Path path, int fileFlags) {
        try {
            boolean read = (fileFlags & WRONLY) != 0 || Files.isReadable(path);
            boolean write = (fileFlags & RDONLY) != 0 || Files.isWritable(path);
            return Files.exists(path) && !(read && write);
        } catch (SecurityException e) {
            return false;
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) + ", owner "
                    + Files.getOwner(path).getName();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return "unreadable";
        }
    }
}

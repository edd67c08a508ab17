package io.github.bpf2java.ebpf.internal.fs;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import java.nio.file.Path;

/** Mounting and unmounting the pseudo filesystems the runtime needs. */
public final class Mounter {
    private static final System.Logger LOG = System.getLogger(Mounter.class.getName());

    private Mounter() {}

    /**
     * {@code mount(source, target, fsType, 0, NULL)}.
     *
     * @param command the shell command that does the same, for the hint when this process may not mount
     */
    static void mount(String source, Path target, String fsType, String command) {
        long result = Libc.mount(source, target.toString(), fsType, 0);
        if (result < 0) {
            int errno = (int) -result;
            throw KernelErrors.forErrno("mount", errno, fsType + " at " + target,
                    "mount it yourself as root: " + command + "; in a container, mount the host's " + target
                            + " into it (a bind mount or hostPath volume), or grant the container CAP_SYS_ADMIN");
        }
        // Said once per mount: the mount outlives the process, and an administrator should know where it came from.
        LOG.log(System.Logger.Level.INFO, () -> "mounted " + fsType + " at " + target + ", which was not mounted; it "
                + "stays mounted after this process (umount " + target + " removes it)");
    }

    /** {@code umount2(target, 0)}; a busy mount is left in place and reported. */
    static void unmount(Path target) {
        long result = Libc.umount2(target.toString(), 0);
        if (result < 0) {
            int errno = (int) -result;
            throw KernelErrors.forErrno("umount", errno, target.toString(),
                    Errno.EBUSY.is(errno) ? "something still uses it; it stays mounted" : null);
        }
    }
}

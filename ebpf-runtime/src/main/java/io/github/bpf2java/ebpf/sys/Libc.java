package io.github.bpf2java.ebpf.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import io.github.bpf2java.ebpf.BpfException;

/**
 * The C library calls of the runtime, for either word size. Every method returns the call's result, or minus the
 * errno when it failed: the kernel's own convention, so callers decide what is an error (a missing map key is
 * not) without exceptions on their normal path.
 */
final class Libc {
    private static final boolean WORD64 = Native.POINTER_SIZE == 8 && Native.LONG_SIZE == 8;
    // Null on an unknown architecture: the error is raised on first use, not as a class initialisation failure.
    private static final Architecture ARCH = detectArchitecture();

    static final int F_DUPFD_CLOEXEC = 1030;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int RLIMIT_MEMLOCK = 8;
    static final int MNT_DETACH = 2;

    private Libc() {}

    /** The architecture the syscall numbers are taken for; a {@code BpfException} on an unknown one. */
    static Architecture architecture() {
        return ARCH != null ? ARCH : Architecture.current();
    }

    private static Architecture detectArchitecture() {
        try {
            return Architecture.current();
        } catch (BpfException unknown) {
            return null;
        }
    }

    /** Whether C {@code long} and pointers are 64 bits wide. */
    static boolean is64Bit() {
        return WORD64;
    }

    /** {@code bpf(cmd, attr, size)}. */
    static long bpf(int cmd, long attr, int size) {
        try {
            return WORD64
                    ? Libc64.syscall(architecture().bpfSyscall(), cmd, attr, size)
                    : Libc32.syscall((int) architecture().bpfSyscall(), cmd, (int) attr, size);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    /** {@code perf_event_open(attr, pid, cpu, group_fd, flags)}. */
    static long perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        try {
            return WORD64
                    ? Libc64.syscall(architecture().perfEventOpenSyscall(), attr, pid, cpu, groupFd, flags)
                    : Libc32.syscall((int) architecture().perfEventOpenSyscall(), (int) attr, pid, cpu, groupFd,
                            (int) flags);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    static long close(int fd) {
        try {
            return WORD64 ? Libc64.close(fd) : Libc32.close(fd);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    /** {@code fcntl(fd, F_DUPFD_CLOEXEC, lowest)}: a close-on-exec duplicate numbered at least {@code lowest}. */
    static long dupCloexec(int fd, int lowest) {
        try {
            return WORD64
                    ? Libc64.fcntl(fd, F_DUPFD_CLOEXEC, lowest)
                    : Libc32.fcntl(fd, F_DUPFD_CLOEXEC, lowest);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    static long ioctl(int fd, long request, long arg) {
        try {
            return WORD64 ? Libc64.ioctl(fd, request, arg) : Libc32.ioctl(fd, (int) request, (int) arg);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: the address, or minus the errno. */
    static long mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            return WORD64
                    ? Libc64.mmap(0, length, prot, flags, fd, offset)
                    : Integer.toUnsignedLong(Libc32.mmap(0, (int) length, prot, flags, fd, (int) offset));
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    static long munmap(long address, long length) {
        try {
            return WORD64 ? Libc64.munmap(address, length) : Libc32.munmap((int) address, (int) length);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    /** {@code getrlimit(resource, rlimit)}; {@code rlimit} points to two C {@code long}s. */
    static long getrlimit(int resource, long rlimit) {
        try {
            return WORD64 ? Libc64.getrlimit(resource, rlimit) : Libc32.getrlimit(resource, (int) rlimit);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    /** {@code setrlimit(resource, rlimit)}; {@code rlimit} points to two C {@code long}s. */
    static long setrlimit(int resource, long rlimit) {
        try {
            return WORD64 ? Libc64.setrlimit(resource, rlimit) : Libc32.setrlimit(resource, (int) rlimit);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    static long mount(String source, String target, String fsType, long flags) {
        try {
            return WORD64
                    ? Libc64.mount(source, target, fsType, flags, 0)
                    : Libc32.mount(source, target, fsType, (int) flags, 0);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    static long umount2(String target, int flags) {
        try {
            return WORD64 ? Libc64.umount2(target, flags) : Libc32.umount2(target, flags);
        } catch (LastErrorException e) {
            return -e.getErrorCode();
        }
    }

    static int geteuid() {
        return WORD64 ? Libc64.geteuid() : Libc32.geteuid();
    }
}

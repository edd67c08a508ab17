package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.Native;
import io.github.bpf2java.ebpf.error.BpfException;
import java.util.Optional;

/**
 * The C library calls of the runtime, for either word size. Every method returns the call's result, or minus the
 * errno when it failed: the kernel's own convention, so callers decide what is an error (a missing map key is
 * not) without exceptions on their normal path.
 */
public final class Libc {
    private static final boolean WORD64 = NativeAccess.word64();
    // Null on an unknown architecture: the error is raised on first use, not as a class initialisation failure.
    private static final Architecture ARCH = detectArchitecture();
    // Reported when a call fails without setting errno, which the C library never does; never a silent success.
    private static final int UNKNOWN_ERRNO = 5;

    static final int F_DUPFD_CLOEXEC = 1030;
    // O_RDONLY | O_CLOEXEC: the same on every architecture this runtime supports (not on alpha, sparc, parisc).
    static final int O_RDONLY_CLOEXEC = 0x80000;
    // O_CLOEXEC alone; EPOLL_CLOEXEC and EFD_CLOEXEC have its value.
    static final int O_CLOEXEC = 0x80000;
    // O_NONBLOCK: 04000 on the same architectures; EFD_NONBLOCK has its value.
    static final int O_NONBLOCK = 0x800;
    static final short POLLIN = 1;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    // MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS: the same on every architecture this runtime supports (not on mips,
    // sparc, parisc, alpha).
    static final int MAP_PRIVATE = 2;
    static final int MAP_FIXED = 0x10;
    static final int MAP_ANONYMOUS = 0x20;
    public static final int RLIMIT_MEMLOCK = 8;
    /** {@code IF_NAMESIZE}: an interface name with its terminating NUL. */
    private static final int IF_NAMESIZE = 16;

    private Libc() {}

    /** The architecture the syscall numbers are taken for; a {@code BpfException} on an unknown one. */
    public static Architecture architecture() {
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
    public static boolean is64Bit() {
        return WORD64;
    }

    /**
     * {@code bpf(cmd, attr, size)}: through {@link ForeignSyscall} where the JDK offers it, as a map element call
     * costs little more than the syscall there; else through JNA.
     */
    public static long bpf(int cmd, long attr, int size) {
        NativeAccess.require();
        long nr = architecture().bpfSyscall();
        if (ForeignSyscall.AVAILABLE) {
            return ForeignSyscall.syscall(nr, cmd, attr, size);
        }
        return result(WORD64 ? Libc64.syscall(nr, cmd, attr, size) : Libc32.syscall((int) nr, cmd, (int) attr, size));
    }

    /** {@code perf_event_open(attr, pid, cpu, group_fd, flags)}. */
    public static long perfEventOpen(long attr, int pid, int cpu, int groupFd, long flags) {
        NativeAccess.require();
        long nr = architecture().perfEventOpenSyscall();
        return result(WORD64
                ? Libc64.syscall(nr, attr, pid, cpu, groupFd, flags)
                : Libc32.syscall((int) nr, (int) attr, pid, cpu, groupFd, (int) flags));
    }

    /**
     * {@code pidfd_open(pid, 0)} (Linux 5.3+): a descriptor of the process {@code pid}, close-on-exec by the kernel's
     * own rule. Its number is 434 on every architecture: system calls added since 5.1 share one numbering.
     */
    public static long pidfdOpen(int pid) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.syscall(434, pid, 0, 0) : Libc32.syscall(434, pid, 0, 0));
    }

    /** {@code open(path, O_RDONLY | O_CLOEXEC)}. */
    static long openReadOnly(String path) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.open(path, O_RDONLY_CLOEXEC) : Libc32.open(path, O_RDONLY_CLOEXEC));
    }

    /** {@code open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)}. */
    static long openReadOnlyNonBlocking(String path) {
        NativeAccess.require();
        int flags = O_RDONLY_CLOEXEC | O_NONBLOCK;
        return result(WORD64 ? Libc64.open(path, flags) : Libc32.open(path, flags));
    }

    /** {@code read(fd, buffer, count)}: the number of bytes read, 0 at end of file, or minus the errno. */
    static long read(int fd, long buffer, int count) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.read(fd, buffer, count) : Libc32.read(fd, (int) buffer, count));
    }

    /** {@code poll(fds, count, timeoutMillis)}; {@code fds} points to {@code count} {@code struct pollfd}s. */
    static long poll(long fds, int count, int timeoutMillis) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.poll(fds, count, timeoutMillis) : Libc32.poll((int) fds, count, timeoutMillis));
    }

    static long close(int fd) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.close(fd) : Libc32.close(fd));
    }

    /** {@code fcntl(fd, F_DUPFD_CLOEXEC, lowest)}: a close-on-exec duplicate numbered at least {@code lowest}. */
    static long dupCloexec(int fd, int lowest) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.fcntl(fd, F_DUPFD_CLOEXEC, lowest) : Libc32.fcntl(fd, F_DUPFD_CLOEXEC, lowest));
    }

    public static long ioctl(int fd, long request, long arg) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.ioctl(fd, request, arg) : Libc32.ioctl(fd, (int) request, (int) arg));
    }

    /** {@code mmap(NULL, length, prot, flags, fd, offset)}: the address, or minus the errno. */
    static long mmap(long length, int prot, int flags, int fd, long offset) {
        NativeAccess.require();
        return result(WORD64
                ? Libc64.mmap(0, length, prot, flags, fd, offset)
                : unsigned(Libc32.mmap(0, (int) length, prot, flags, fd, (int) offset)));
    }

    /**
     * {@code mmap(address, length, prot, flags | MAP_FIXED, fd, offset)}: replaces whatever was mapped at
     * {@code address} in one step, with no moment at which the range is unmapped.
     */
    static long mmapFixed(long address, long length, int prot, int flags, int fd, long offset) {
        NativeAccess.require();
        return result(WORD64
                ? Libc64.mmap(address, length, prot, flags | MAP_FIXED, fd, offset)
                : unsigned(Libc32.mmap((int) address, (int) length, prot, flags | MAP_FIXED, fd, (int) offset)));
    }

    static long munmap(long address, long length) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.munmap(address, length) : Libc32.munmap((int) address, (int) length));
    }

    /** {@code getrlimit(resource, rlimit)}; {@code rlimit} points to two C {@code long}s. */
    public static long getrlimit(int resource, long rlimit) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.getrlimit(resource, rlimit) : Libc32.getrlimit(resource, (int) rlimit));
    }

    /** {@code setrlimit(resource, rlimit)}; {@code rlimit} points to two C {@code long}s. */
    public static long setrlimit(int resource, long rlimit) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.setrlimit(resource, rlimit) : Libc32.setrlimit(resource, (int) rlimit));
    }

    public static long mount(String source, String target, String fsType, long flags) {
        NativeAccess.require();
        return result(WORD64
                ? Libc64.mount(source, target, fsType, flags, 0)
                : Libc32.mount(source, target, fsType, (int) flags, 0));
    }

    public static long umount2(String target, int flags) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.umount2(target, flags) : Libc32.umount2(target, flags));
    }

    /** {@code socket(domain, type, protocol)}: a new descriptor, or minus the errno. */
    public static long socket(int domain, int type, int protocol) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.socket(domain, type, protocol) : Libc32.socket(domain, type, protocol));
    }

    /** {@code bind(fd, address, length)}; {@code address} points to a {@code struct sockaddr}. */
    public static long bind(int fd, long address, int length) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.bind(fd, address, length) : Libc32.bind(fd, (int) address, length));
    }

    /** {@code sendto(fd, buffer, length, flags, address, addressLength)}: the bytes sent, or minus the errno. */
    public static long sendto(int fd, long buffer, int length, int flags, long address, int addressLength) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.sendto(fd, buffer, length, flags, address, addressLength)
                : Libc32.sendto(fd, (int) buffer, length, flags, (int) address, addressLength));
    }

    /** {@code recvfrom(fd, buffer, length, flags, NULL, NULL)}: the bytes received, or minus the errno. */
    public static long recv(int fd, long buffer, int length, int flags) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.recvfrom(fd, buffer, length, flags, 0, 0)
                : Libc32.recvfrom(fd, (int) buffer, length, flags, 0, 0));
    }

    /** {@code setsockopt(fd, level, name, value, length)}. */
    public static long setsockopt(int fd, int level, int name, long value, int length) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.setsockopt(fd, level, name, value, length)
                : Libc32.setsockopt(fd, level, name, (int) value, length));
    }

    /** {@code getsockopt(fd, level, name, value, length)}; {@code length} points to a {@code socklen_t}. */
    public static long getsockopt(int fd, int level, int name, long value, long length) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.getsockopt(fd, level, name, value, length)
                : Libc32.getsockopt(fd, level, name, (int) value, (int) length));
    }

    /** {@code getsockname(fd, address, length)}; {@code length} points to a {@code socklen_t}. */
    public static long getsockname(int fd, long address, long length) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.getsockname(fd, address, length)
                : Libc32.getsockname(fd, (int) address, (int) length));
    }

    /** {@code getpeername(fd, address, length)}; {@code length} points to a {@code socklen_t}. */
    public static long getpeername(int fd, long address, long length) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.getpeername(fd, address, length)
                : Libc32.getpeername(fd, (int) address, (int) length));
    }

    /**
     * {@code if_nametoindex(name)}: the index of the network interface {@code name} in the calling thread's network
     * namespace, or minus the errno (0 means "no such interface" to the C library, which sets errno then).
     */
    public static long ifNameToIndex(String name) {
        NativeAccess.require();
        int index = WORD64 ? Libc64.if_nametoindex(name) : Libc32.if_nametoindex(name);
        return index != 0 ? Integer.toUnsignedLong(index) : failure(Native.getLastError());
    }

    /**
     * {@code if_indextoname(index, name)}: the name of the network interface with index {@code index} in the
     * calling thread's network namespace, or empty when there is none ({@code ENXIO}).
     */
    public static Optional<String> ifIndexToName(int index) {
        NativeAccess.require();
        try (NativeBuffer name = new NativeBuffer(IF_NAMESIZE)) {
            long found = WORD64 ? Libc64.if_indextoname(index, name.address())
                    : Libc32.if_indextoname(index, (int) name.address());
            return found == 0 ? Optional.empty() : Optional.of(name.getCString(0, IF_NAMESIZE));
        }
    }

    /**
     * {@code setns(fd, nstype)}: moves the calling thread (only it) into the namespace {@code fd} refers to; 0, or
     * minus the errno ({@code EINVAL} when {@code fd} is not a namespace of {@code nstype}).
     */
    public static long setns(int fd, int nstype) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.setns(fd, nstype) : Libc32.setns(fd, nstype));
    }

    /** The size of a memory page: the unit of every {@code mmap(2)} and of BPF ring buffer sizes. */
    public static int pageSize() {
        NativeAccess.require();
        int size = PageSize.VALUE;
        if (size <= 0) {
            throw new IllegalStateException("getpagesize() returned " + size);
        }
        return size;
    }

    /** {@code write(fd, buffer, count)}: the number of bytes written, or minus the errno. */
    static long write(int fd, long buffer, int count) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.write(fd, buffer, count) : Libc32.write(fd, (int) buffer, count));
    }

    /** {@code epoll_create1(EPOLL_CLOEXEC)}: a new epoll descriptor. */
    static long epollCreate() {
        NativeAccess.require();
        return result(WORD64 ? Libc64.epoll_create1(O_CLOEXEC) : Libc32.epoll_create1(O_CLOEXEC));
    }

    /** {@code epoll_ctl(epfd, op, fd, event)}; {@code event} points to a {@code struct epoll_event}. */
    static long epollCtl(int epfd, int op, int fd, long event) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.epoll_ctl(epfd, op, fd, event) : Libc32.epoll_ctl(epfd, op, fd, (int) event));
    }

    /** {@code epoll_wait(epfd, events, maxEvents, timeoutMillis)}: how many events were written, or minus errno. */
    static long epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        NativeAccess.require();
        return result(WORD64 ? Libc64.epoll_wait(epfd, events, maxEvents, timeoutMillis)
                : Libc32.epoll_wait(epfd, (int) events, maxEvents, timeoutMillis));
    }

    /** {@code eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)}: a counter descriptor that wakes pollers when written. */
    static long eventfd() {
        NativeAccess.require();
        int flags = O_CLOEXEC | O_NONBLOCK;
        return result(WORD64 ? Libc64.eventfd(0, flags) : Libc32.eventfd(0, flags));
    }

    // Asked once, on first use; a holder class so that Libc's own initialisation makes no native call.
    private static final class PageSize {
        static final int VALUE = WORD64 ? Libc64.getpagesize() : Libc32.getpagesize();
    }

    /** The C convention (-1 and errno) turned into the kernel's (minus the errno). */
    private static long result(long value) {
        if (value != -1) {
            return value;
        }
        int errno = Native.getLastError();
        if (errno > Byte.MAX_VALUE) {
            // JNA boxes errno into a thread-local after every call; a large stale value (ENOTSUPP is 524) would be
            // boxed anew each time, so clear it.
            Native.setLastError(0);
        }
        return failure(errno);
    }

    /** Minus {@code errno}: the kernel's convention for a failed call. */
    static long failure(int errno) {
        return -(errno > 0 ? errno : UNKNOWN_ERRNO);
    }

    // On 32-bit targets mmap may return addresses above 2 GiB; MAP_FAILED stays -1.
    private static long unsigned(int address) {
        return address == -1 ? -1 : Integer.toUnsignedLong(address);
    }
}

package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C library functions the runtime calls, bound by JNA direct mapping for 64-bit targets, where C {@code long},
 * {@code size_t} and pointers are 64 bits. Pointers travel as addresses in {@code long}s.
 *
 * <p>No method declares {@code LastErrorException}: JNA would build that exception, with its stack trace, for every
 * failure, and some failures are routine (a map lookup of an absent key costs several microseconds that way). JNA
 * keeps {@code errno} per thread anyway, for {@code Native.getLastError()}.
 */
public final class Libc64 {
    static {
        Native.register(Libc64.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Libc64() {}

    // syscall(2) is variadic; fixed arities are safe because it only moves integer registers.
    static native long syscall(long number, long a1, long a2, long a3);

    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long read(int fd, long buffer, long count);

    static native int poll(long fds, long count, int timeout);

    static native int fcntl(int fd, int cmd, int arg);

    static native int ioctl(int fd, long request, long arg);

    static native long mmap(long address, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long address, long length);

    static native int getrlimit(int resource, long rlimit);

    static native int setrlimit(int resource, long rlimit);

    static native int mount(String source, String target, String fsType, long flags, long data);

    static native int umount2(String target, int flags);

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, long address, int length);

    static native long sendto(int fd, long buffer, long length, int flags, long address, int addressLength);

    static native long recvfrom(int fd, long buffer, long length, int flags, long address, long addressLength);

    static native int setsockopt(int fd, int level, int name, long value, int length);

    static native int getsockopt(int fd, int level, int name, long value, long length);

    static native int getsockname(int fd, long address, long length);

    static native int getpeername(int fd, long address, long length);

    static native int if_nametoindex(String name);

    static native long if_indextoname(int ifindex, long name);

    static native long write(int fd, long buffer, long count);

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, long event);

    static native int epoll_wait(int epfd, long events, int maxEvents, int timeout);

    static native int eventfd(int initialValue, int flags);

    static native int getpagesize();

    static native int setns(int fd, int nstype);
}

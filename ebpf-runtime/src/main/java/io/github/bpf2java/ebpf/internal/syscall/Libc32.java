package io.github.bpf2java.ebpf.internal.syscall;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * {@link Libc64}'s functions for 32-bit targets (arm, x86), where C {@code long}, {@code size_t} and pointers are 32
 * bits and must be passed as {@code int}s.
 */
public final class Libc32 {
    static {
        Native.register(Libc32.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Libc32() {}

    static native int syscall(int number, int a1, int a2, int a3);

    static native int syscall(int number, int a1, int a2, int a3, int a4, int a5);

    static native int open(String path, int flags);

    static native int close(int fd);

    static native int read(int fd, int buffer, int count);

    static native int poll(int fds, int count, int timeout);

    static native int fcntl(int fd, int cmd, int arg);

    static native int ioctl(int fd, int request, int arg);

    static native int mmap(int address, int length, int prot, int flags, int fd, int offset);

    static native int munmap(int address, int length);

    static native int getrlimit(int resource, int rlimit);

    static native int setrlimit(int resource, int rlimit);

    static native int mount(String source, String target, String fsType, int flags, int data);

    static native int umount2(String target, int flags);

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, int address, int length);

    static native int sendto(int fd, int buffer, int length, int flags, int address, int addressLength);

    static native int recvfrom(int fd, int buffer, int length, int flags, int address, int addressLength);

    static native int setsockopt(int fd, int level, int name, int value, int length);

    static native int getsockopt(int fd, int level, int name, int value, int length);

    static native int getsockname(int fd, int address, int length);

    static native int getpeername(int fd, int address, int length);

    static native int if_nametoindex(String name);

    static native int if_indextoname(int ifindex, int name);

    static native int write(int fd, int buffer, int count);

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, int event);

    static native int epoll_wait(int epfd, int events, int maxEvents, int timeout);

    static native int eventfd(int initialValue, int flags);

    static native int getpagesize();

    static native int setns(int fd, int nstype);
}

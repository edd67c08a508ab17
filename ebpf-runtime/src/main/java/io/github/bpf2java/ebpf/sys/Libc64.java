package io.github.bpf2java.ebpf.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C library functions the runtime calls, bound by JNA direct mapping for 64-bit targets, where C {@code long},
 * {@code size_t} and pointers are 64 bits. Pointers travel as addresses in {@code long}s. Each method declares
 * {@link LastErrorException} so JNA reads {@code errno} only when a call fails.
 */
final class Libc64 {
    static {
        Native.register(Libc64.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Libc64() {}

    // syscall(2) is variadic; fixed arities are safe because it only moves integer registers.
    static native long syscall(long number, long a1, long a2, long a3) throws LastErrorException;

    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    static native int munmap(long address, long length) throws LastErrorException;

    static native int getrlimit(int resource, long rlimit) throws LastErrorException;

    static native int setrlimit(int resource, long rlimit) throws LastErrorException;

    static native int mount(String source, String target, String fsType, long flags, long data)
            throws LastErrorException;

    static native int umount2(String target, int flags) throws LastErrorException;

    static native int geteuid();
}

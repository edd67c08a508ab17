package io.github.bpf2java.ebpf.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * {@link Libc64}'s functions for 32-bit targets (arm, x86), where C {@code long}, {@code size_t} and pointers are 32
 * bits and must be passed as {@code int}s.
 */
final class Libc32 {
    static {
        Native.register(Libc32.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private Libc32() {}

    static native int syscall(int number, int a1, int a2, int a3) throws LastErrorException;

    static native int syscall(int number, int a1, int a2, int a3, int a4, int a5) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    static native int ioctl(int fd, int request, int arg) throws LastErrorException;

    static native int mmap(int address, int length, int prot, int flags, int fd, int offset)
            throws LastErrorException;

    static native int munmap(int address, int length) throws LastErrorException;

    static native int getrlimit(int resource, int rlimit) throws LastErrorException;

    static native int setrlimit(int resource, int rlimit) throws LastErrorException;

    static native int mount(String source, String target, String fsType, int flags, int data)
            throws LastErrorException;

    static native int umount2(String target, int flags) throws LastErrorException;

    static native int geteuid();
}

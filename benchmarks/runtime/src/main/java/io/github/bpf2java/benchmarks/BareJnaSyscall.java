package io.github.bpf2java.benchmarks;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C library's {@code syscall(2)} bound by JNA direct mapping and nothing else: the floor a JNA-based runtime
 * cannot go below, measured next to the runtime's own paths.
 */
final class BareJnaSyscall {
    static {
        Native.register(BareJnaSyscall.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private BareJnaSyscall() {}

    static native long syscall(long number, long a1, long a2, long a3);
}

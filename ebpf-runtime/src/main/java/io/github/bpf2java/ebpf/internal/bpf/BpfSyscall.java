package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;

/** Issues {@code bpf(2)} commands and turns failures into exceptions. */
public final class BpfSyscall {
    private BpfSyscall() {}

    /** {@code bpf(cmd, attr, size)}: the result, or minus the errno. */
    static long invoke(BpfCommand cmd, NativeBuffer attr, int size) {
        return Libc.bpf(cmd.value(), attr.address(), size);
    }

    /**
     * {@code bpf(cmd, attr, size)}, throwing on failure.
     *
     * @param subject what the command concerns, for the message, e.g. {@code map 'counts'}
     * @throws KernelException the subclass matching the errno
     */
    static long call(BpfCommand cmd, NativeBuffer attr, int size, String subject) {
        long result = invoke(cmd, attr, size);
        if (result < 0) {
            throw KernelErrors.forErrno(cmd.uapiName(), (int) -result, subject);
        }
        return result;
    }

    /** {@link #call} for a command that returns a new file descriptor, owned by the returned {@link Fd}. */
    static Fd callForFd(BpfCommand cmd, NativeBuffer attr, int size, String subject) {
        return Fd.adopt((int) call(cmd, attr, size, subject), subject);
    }
}

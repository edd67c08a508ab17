package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.BtfLoadException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * BTF commands of {@code bpf(2)}: loading type information, and finding the kernel's own BTF objects (vmlinux and
 * each module's).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class BtfObjects {
    private BtfObjects() {}

    /**
     * Loads raw BTF (header, types, strings) into the kernel ({@code BPF_BTF_LOAD}). As with programs, a failed
     * load is repeated with the kernel's BTF log, which names the offending type.
     *
     * @param subject what the BTF belongs to, for messages, e.g. {@code BTF of object 'counter'}
     * @throws BtfLoadException when the kernel rejects the BTF, with its log
     * @throws KernelException  for other refusals (permissions, no BTF support)
     */
    public static Fd load(byte[] btf, String subject) {
        if (btf.length == 0) {
            throw new IllegalArgumentException(subject + ": empty BTF");
        }
        Memlock.ensureSufficient();
        try (NativeBuffer data = NativeBuffer.of(btf);
                NativeBuffer attr = new NativeBuffer(AttrLayout.BtfLoad.SIZE)) {
            attr.putPointer(AttrLayout.BtfLoad.BTF, data).putInt(AttrLayout.BtfLoad.BTF_SIZE, btf.length);
            long result = BpfSyscall.invoke(BpfCommand.BTF_LOAD, attr, AttrLayout.BtfLoad.SIZE);
            if (result >= 0) {
                return Fd.adopt((int) result, subject);
            }
            int errno = (int) -result;
            if (Errno.ENOMEM.is(errno)) {
                throw KernelErrors.forErrno("BPF_BTF_LOAD", errno, subject);
            }
            return loadWithLog(subject, attr, errno);
        }
    }

    private static Fd loadWithLog(String subject, NativeBuffer attr, int firstErrno) {
        int size = KernelLog.INITIAL_SIZE;
        while (true) {
            try (NativeBuffer log = new NativeBuffer(size)) {
                attr.putPointer(AttrLayout.BtfLoad.BTF_LOG_BUF, log)
                        .putInt(AttrLayout.BtfLoad.BTF_LOG_SIZE, size)
                        .putInt(AttrLayout.BtfLoad.BTF_LOG_LEVEL, 1)
                        .putInt(AttrLayout.BtfLoad.BTF_LOG_TRUE_SIZE, 0);
                long result = BpfSyscall.invoke(BpfCommand.BTF_LOAD, attr, AttrLayout.BtfLoad.SIZE);
                if (result >= 0) {
                    return Fd.adopt((int) result, subject);
                }
                int errno = (int) -result;
                if (Errno.ENOSPC.is(errno)) {
                    int next = KernelLog.nextSize(size, attr.getInt(AttrLayout.BtfLoad.BTF_LOG_TRUE_SIZE));
                    if (next > 0) {
                        size = next;
                        continue;
                    }
                }
                String text = log.getCString(0, size);
                if (text.isBlank()) {
                    throw KernelErrors.forErrno("BPF_BTF_LOAD", firstErrno, subject);
                }
                throw new BtfLoadException(subject, firstErrno, text);
            }
        }
    }

    /** What the kernel reports about a BTF object. */
    public static BtfInfo info(Fd btf) {
        return BtfInfo.of(btf);
    }

    /** Opens the BTF object with system-wide id {@code id}. */
    public static Fd byId(int id) {
        return ObjectIds.open(ObjectIds.Kind.BTF, id);
    }

    /**
     * Opens the kernel's BTF object named {@code name}: {@code vmlinux}, or a module's (e.g. {@code nf_conntrack})
     * for programs attaching to module functions ({@code attach_btf_obj_fd}).
     *
     * @return empty when the kernel has no such BTF object (module not loaded, or built without BTF)
     */
    public static Optional<Fd> findKernelBtf(String name) {
        int id = 0;
        while (true) {
            OptionalInt next = ObjectIds.nextId(ObjectIds.Kind.BTF, id);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            id = next.getAsInt();
            Fd fd;
            try {
                fd = byId(id);
            } catch (NotFoundException gone) {
                continue; // unloaded between the two calls
            }
            try {
                BtfInfo info = BtfInfo.of(fd);
                if (info.kernel() && info.name().equals(name)) {
                    return Optional.of(fd);
                }
            } catch (RuntimeException e) {
                fd.close();
                throw e;
            }
            fd.close();
        }
    }
}

package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The running kernel's own types ({@code /sys/kernel/btf/vmlinux}), which name the targets of BTF-typed programs
 * ({@code tp_btf/}, {@code fentry/}, {@code lsm/}, {@code iter/}), kernel functions and typed {@code __ksym}
 * variables. Read once per process: the file describes the booted kernel and does not change under us.
 */
public final class KernelBtf {
    /** Where the kernel exposes its BTF ({@code CONFIG_DEBUG_INFO_BTF}). */
    public static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");

    // Read on first use. Only success is kept: a failure (no file, a file that does not parse) is thrown anew to
    // each caller, as an exception of its own, rather than once as an ExceptionInInitializerError and then as
    // NoClassDefFoundErrors that no longer say why.
    private static volatile Btf vmlinux;

    private KernelBtf() {}

    /**
     * The kernel's types.
     *
     * @throws NotSupportedException when the kernel exposes no BTF
     * @throws BpfException          when its BTF cannot be read or parsed
     */
    public static Btf vmlinux() {
        Btf btf = vmlinux;
        if (btf == null) {
            synchronized (KernelBtf.class) {
                btf = vmlinux;
                if (btf == null) {
                    btf = read(VMLINUX);
                    vmlinux = btf;
                }
            }
        }
        return btf;
    }

    /** The id of the kernel type named {@code name} of class {@code kind}, if the kernel has one. */
    public static <T extends BtfType> Optional<T> find(String name, Class<T> kind) {
        return vmlinux().find(name, kind);
    }

    /** Reads the kernel's BTF from {@code file}: {@link #VMLINUX}, or in tests a file standing in for it. */
    static Btf read(Path file) {
        String instead = "CO-RE relocations can be resolved against another BTF file of this kernel (e.g. from "
                + "btfhub): LoadOptions.builder().kernelBtf(path), or -D" + CoreSettings.KERNEL_BTF_PROPERTY
                + "=path for every load; BTF-typed programs (tp_btf, fentry, lsm, iter), kfuncs and typed __ksym "
                + "externs need the kernel's own";
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NotSupportedException("kernel " + KernelVersion.running().release() + " exposes no BTF at "
                    + file, "read " + file, Errno.ENOENT.number(), "kernel BTF", "the kernel needs "
                            + "CONFIG_DEBUG_INFO_BTF=y, as most distribution kernels since 2021 have; " + instead);
        } catch (IOException e) {
            throw new BpfException("cannot read the kernel's BTF at " + file + ": " + e.getMessage(), instead, e);
        }
        try {
            return Btf.parse(bytes);
        } catch (ObjectFormatException e) {
            throw new BpfException("the kernel's BTF at " + file + " (" + bytes.length + " bytes) does not parse: "
                    + e.getMessage(), instead, e);
        }
    }
}

package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    private KernelBtf() {}

    /**
     * The kernel's types.
     *
     * @throws NotSupportedException when the kernel exposes no BTF
     */
    public static Btf vmlinux() {
        return Holder.VMLINUX_BTF;
    }

    /** The id of the kernel type named {@code name} of class {@code kind}, if the kernel has one. */
    public static <T extends BtfType> Optional<T> find(String name, Class<T> kind) {
        return vmlinux().find(name, kind);
    }

    private static final class Holder {
        static final Btf VMLINUX_BTF = read();

        private static Btf read() {
            try {
                return Btf.parse(Files.readAllBytes(VMLINUX));
            } catch (NoSuchFileException e) {
                throw new NotSupportedException("kernel " + KernelVersion.running().release()
                        + " exposes no BTF at " + VMLINUX, "read " + VMLINUX, Errno.ENOENT.number(), "kernel BTF",
                        "BTF-typed programs (tp_btf, fentry, lsm, iter), kfuncs and typed __ksym externs need a "
                        + "kernel built with CONFIG_DEBUG_INFO_BTF=y, as most distribution kernels since 2021 are");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + VMLINUX, e);
            }
        }
    }
}

package io.github.bpf2java.ebpf.internal.syscall;

import io.github.bpf2java.ebpf.error.BpfException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The CPU architectures this runtime knows the system call numbers and ioctl encoding of. Syscall numbers come from
 * each architecture's syscall table ({@code arch/x86/entry/syscalls/syscall_64.tbl},
 * {@code include/uapi/asm-generic/unistd.h} for the newer ports, ...).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public enum Architecture {
    /** x86-64. */
    X86_64(321, 298, IoctlEncoding.GENERIC, List.of("amd64", "x86_64")),
    /** 32-bit x86. */
    X86(357, 336, IoctlEncoding.GENERIC, List.of("x86", "i386", "i486", "i586", "i686")),
    /** 64-bit ARM; uses the generic syscall table. */
    AARCH64(280, 241, IoctlEncoding.GENERIC, List.of("aarch64", "arm64")),
    /** 32-bit ARM, EABI. */
    ARM(386, 364, IoctlEncoding.GENERIC, List.of("arm", "armv7l", "armv7", "armhf", "aarch32")),
    /** IBM Z, 64-bit; big-endian. */
    S390X(351, 331, IoctlEncoding.GENERIC, List.of("s390x")),
    /** POWER, 64-bit little-endian; has its own ioctl direction bits. */
    PPC64LE(361, 319, IoctlEncoding.POWERPC, List.of("ppc64le")),
    /** RISC-V, 64-bit; uses the generic syscall table. */
    RISCV64(280, 241, IoctlEncoding.GENERIC, List.of("riscv64")),
    /** LoongArch, 64-bit; uses the generic syscall table. */
    LOONGARCH64(280, 241, IoctlEncoding.GENERIC, List.of("loongarch64"));

    private final long bpfSyscall;
    private final long perfEventOpenSyscall;
    private final IoctlEncoding ioctlEncoding;
    private final List<String> osArchNames;

    Architecture(long bpfSyscall, long perfEventOpenSyscall, IoctlEncoding ioctlEncoding, List<String> osArchNames) {
        this.bpfSyscall = bpfSyscall;
        this.perfEventOpenSyscall = perfEventOpenSyscall;
        this.ioctlEncoding = ioctlEncoding;
        this.osArchNames = osArchNames;
    }

    /** The architecture of this JVM, from {@code os.arch}. */
    public static Architecture current() {
        return of(System.getProperty("os.arch", ""));
    }

    /**
     * The architecture a value of the {@code os.arch} system property names.
     *
     * @throws BpfException naming the known architectures when the value is none of them
     */
    public static Architecture of(String osArch) {
        String name = osArch.toLowerCase(Locale.ROOT);
        for (Architecture a : values()) {
            if (a.osArchNames.contains(name)) {
                return a;
            }
        }
        throw new BpfException("unsupported CPU architecture '" + osArch + "' (os.arch): the eBPF runtime knows "
                + "the syscall numbers of " + Arrays.toString(values()) + " only");
    }

    /** The number of {@code bpf(2)}. */
    public long bpfSyscall() {
        return bpfSyscall;
    }

    /** The number of {@code perf_event_open(2)}. */
    public long perfEventOpenSyscall() {
        return perfEventOpenSyscall;
    }

    /** {@code _IO(type, nr)}: an ioctl request without an argument. */
    public long io(int type, int nr) {
        return ioctlEncoding.encode(ioctlEncoding.none, type, nr, 0);
    }

    /** {@code _IOW(type, nr, size)}: an ioctl request whose argument the kernel reads. */
    public long iow(int type, int nr, int size) {
        return ioctlEncoding.encode(ioctlEncoding.write, type, nr, size);
    }

    /** {@code _IOR(type, nr, size)}: an ioctl request whose argument the kernel writes. */
    public long ior(int type, int nr, int size) {
        return ioctlEncoding.encode(ioctlEncoding.read, type, nr, size);
    }

    /** The bit layout of ioctl request numbers ({@code asm-generic/ioctl.h} and {@code asm/ioctl.h}). */
    private enum IoctlEncoding {
        /** 2 direction bits at 30, 14 size bits at 16; none = 0, write = 1, read = 2. */
        GENERIC(0, 1, 2, 30),
        /** 3 direction bits at 29, 13 size bits at 16; none = 1, read = 2, write = 4. */
        POWERPC(1, 4, 2, 29);

        final int none;
        final int write;
        final int read;
        final int directionShift;

        IoctlEncoding(int none, int write, int read, int directionShift) {
            this.none = none;
            this.write = write;
            this.read = read;
            this.directionShift = directionShift;
        }

        long encode(int direction, int type, int nr, int size) {
            return ((long) direction << directionShift) | ((long) size << 16) | ((long) type << 8) | nr;
        }
    }
}

package io.github.bpf2java.ebpf.error;

import java.util.Optional;

/**
 * The errno values the BPF and perf syscalls return, with their Linux numbers ({@code asm-generic/errno-base.h},
 * {@code asm-generic/errno.h}, and the kernel-internal {@code ENOTSUPP} that leaks out of {@code bpf(2)}). These
 * numbers hold on every architecture this runtime supports (they differ only on alpha, mips, parisc and sparc).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public enum Errno {
    /** {@code EPERM}. */
    EPERM(1, "Operation not permitted"),
    /** {@code ENOENT}. */
    ENOENT(2, "No such file or directory"),
    /** {@code ESRCH}. */
    ESRCH(3, "No such process"),
    /** {@code EINTR}. */
    EINTR(4, "Interrupted system call"),
    /** {@code EIO}. */
    EIO(5, "I/O error"),
    /** {@code ENXIO}. */
    ENXIO(6, "No such device or address"),
    /** {@code E2BIG}. */
    E2BIG(7, "Argument list too long"),
    /** {@code EBADF}. */
    EBADF(9, "Bad file descriptor"),
    /** {@code EAGAIN}. */
    EAGAIN(11, "Resource temporarily unavailable"),
    /** {@code ENOMEM}. */
    ENOMEM(12, "Out of memory"),
    /** {@code EACCES}. */
    EACCES(13, "Permission denied"),
    /** {@code EFAULT}. */
    EFAULT(14, "Bad address"),
    /** {@code EBUSY}. */
    EBUSY(16, "Device or resource busy"),
    /** {@code EEXIST}. */
    EEXIST(17, "File exists"),
    /** {@code EXDEV}. */
    EXDEV(18, "Invalid cross-device link"),
    /** {@code ENODEV}. */
    ENODEV(19, "No such device"),
    /** {@code ENOTDIR}. */
    ENOTDIR(20, "Not a directory"),
    /** {@code EISDIR}. */
    EISDIR(21, "Is a directory"),
    /** {@code EINVAL}. */
    EINVAL(22, "Invalid argument"),
    /** {@code ENFILE}. */
    ENFILE(23, "Too many open files in system"),
    /** {@code EMFILE}. */
    EMFILE(24, "Too many open files"),
    /** {@code ENOTTY}. */
    ENOTTY(25, "Inappropriate ioctl for device"),
    /** {@code EFBIG}. */
    EFBIG(27, "File too large"),
    /** {@code ENOSPC}. */
    ENOSPC(28, "No space left on device"),
    /** {@code EROFS}. */
    EROFS(30, "Read-only file system"),
    /** {@code ERANGE}. */
    ERANGE(34, "Numerical result out of range"),
    /** {@code ENAMETOOLONG}. */
    ENAMETOOLONG(36, "File name too long"),
    /** {@code ENOSYS}. */
    ENOSYS(38, "Function not implemented"),
    /** {@code ENOTEMPTY}. */
    ENOTEMPTY(39, "Directory not empty"),
    /** {@code ELOOP}. */
    ELOOP(40, "Too many levels of symbolic links"),
    /** {@code ENOMSG}. */
    ENOMSG(42, "No message of desired type"),
    /** {@code ENODATA}. */
    ENODATA(61, "No data available"),
    /** {@code ENOLINK}. */
    ENOLINK(67, "Link has been severed"),
    /** {@code EPROTO}. */
    EPROTO(71, "Protocol error"),
    /** {@code EBADMSG}. */
    EBADMSG(74, "Bad message"),
    /** {@code EOVERFLOW}. */
    EOVERFLOW(75, "Value too large for defined data type"),
    /** {@code ENOTSOCK}. */
    ENOTSOCK(88, "Socket operation on non-socket"),
    /** {@code EOPNOTSUPP} (also {@code ENOTSUP}). */
    EOPNOTSUPP(95, "Operation not supported"),
    /** {@code EAFNOSUPPORT}. */
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    /** {@code EADDRINUSE}. */
    EADDRINUSE(98, "Address already in use"),
    /** {@code ETIMEDOUT}. */
    ETIMEDOUT(110, "Connection timed out"),
    /** {@code EALREADY}. */
    EALREADY(114, "Operation already in progress"),
    /** {@code EINPROGRESS}. */
    EINPROGRESS(115, "Operation now in progress"),
    /** {@code ESTALE}: e.g. an ordered program list no longer at the expected revision. */
    ESTALE(116, "Stale file handle"),
    /** {@code ENOTSUPP}: kernel-internal, but {@code bpf(2)} returns it for some unsupported requests. */
    ENOTSUPP(524, "Operation is not supported");

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /** The Linux errno number. */
    public int number() {
        return number;
    }

    /** The C library's description, e.g. {@code Operation not permitted}. */
    public String description() {
        return description;
    }

    /** Whether {@code errno} is this value. */
    public boolean is(int errno) {
        return number == errno;
    }

    /** The constant for {@code errno}, if this runtime knows it. */
    public static Optional<Errno> of(int errno) {
        for (Errno e : values()) {
            if (e.number == errno) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** {@code EPERM}, or {@code errno 1234} for a number this runtime does not know. */
    public static String nameOf(int errno) {
        return of(errno).map(Enum::name).orElse("errno " + errno);
    }

    /** {@code EPERM (1, Operation not permitted)}, for messages. */
    public static String describe(int errno) {
        return of(errno).map(e -> e.name() + " (" + errno + ", " + e.description + ")").orElse("errno " + errno);
    }
}

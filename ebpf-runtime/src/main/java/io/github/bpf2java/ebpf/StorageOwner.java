package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The kernel object that owns an entry of a local storage map, as user space names it to the kernel: a descriptor
 * of a process ({@code TASK_STORAGE}, through a pidfd), a cgroup directory ({@code CGRP_STORAGE}), a file
 * ({@code INODE_STORAGE}) or a socket ({@code SK_STORAGE}). Programs reach these entries through the object
 * ({@code bpf_task_storage_get(&map, task, ...)}); from Java, pass the owner to {@link BpfMap#lookup(StorageOwner)},
 * {@link BpfMap#update(StorageOwner, byte[], BpfMap.UpdateFlag)} and {@link BpfMap#delete(StorageOwner)}.
 *
 * <p>Holds its descriptor until closed; a call using it holds it too, so closing from another thread never lets
 * the number reach another object. The entries themselves go with their owner (the process exits, the socket
 * closes), not with this object.
 */
public final class StorageOwner implements AutoCloseable {
    private final Fd fd;

    private StorageOwner(Fd fd) {
        this.fd = fd;
    }

    /**
     * The process {@code pid} (its main thread's task), through {@code pidfd_open(2)} (Linux 5.3+).
     *
     * @throws NotFoundException when no such process exists
     */
    public static StorageOwner task(long pid) {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        long raw = Libc.pidfdOpen((int) pid);
        if (raw < 0) {
            int errno = (int) -raw;
            throw Errno.ESRCH.is(errno) ? new NotFoundException("pidfd_open", errno, "process " + pid,
                    "no process has that id (it may have exited)")
                    : KernelErrors.forErrno("pidfd_open", errno, "process " + pid);
        }
        return new StorageOwner(Fd.adopt((int) raw, "pidfd of process " + pid));
    }

    /** The cgroup whose directory (in the cgroup v2 hierarchy) is {@code directory}. */
    public static StorageOwner cgroup(Path directory) {
        return new StorageOwner(Fd.open(Objects.requireNonNull(directory, "directory")));
    }

    /** The file (its inode) at {@code file}. */
    public static StorageOwner file(Path file) {
        return new StorageOwner(Fd.open(Objects.requireNonNull(file, "file")));
    }

    /** The socket behind {@code channel}, which must be bound (found as {@link BpfMap#putSocket} finds it). */
    public static StorageOwner socket(NetworkChannel channel) {
        return new StorageOwner(ChannelSockets.duplicate(channel));
    }

    /** The owner's descriptor, for the map calls; held by them for the call. */
    Fd descriptor() {
        return fd;
    }

    /** Closes the descriptor; the storage entries stay with their owner. Later calls do nothing. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "storage owner " + fd.description() + (fd.isClosed() ? " (closed)" : "");
    }
}

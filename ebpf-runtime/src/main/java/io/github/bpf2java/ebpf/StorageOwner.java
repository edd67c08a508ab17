package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.link.CgroupAttacher;
import io.github.bpf2java.ebpf.internal.syscall.ChannelSockets;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.spec.MapType;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The kernel object that owns an entry of a local storage map, as user space names it to the kernel: a descriptor
 * of a process ({@code TASK_STORAGE}, through a pidfd), a cgroup directory ({@code CGRP_STORAGE}), a file
 * ({@code INODE_STORAGE}) or a socket ({@code SK_STORAGE}). Programs reach these entries through the object
 * ({@code bpf_task_storage_get(&map, task, ...)}); from Java, pass the owner to {@link TypedStorage#get}, or to
 * {@link BpfMap#lookup(StorageOwner)}, {@link BpfMap#update(StorageOwner, byte[], BpfMap.UpdateFlag)} and
 * {@link BpfMap#delete(StorageOwner)} for the bytes.
 *
 * <p>Holds its descriptor until closed; a call using it holds it too, so closing from another thread never lets
 * the number reach another object. The entries themselves go with their owner (the process exits, the socket
 * closes), not with this object; while it is open, it keeps a cgroup, file or socket open too.
 */
public final class StorageOwner implements AutoCloseable {
    /** What the owner is, and the one map type whose entries it can own. */
    enum Kind {
        TASK(MapType.TASK_STORAGE, "task"), CGROUP(MapType.CGRP_STORAGE, "cgroup"),
        FILE(MapType.INODE_STORAGE, "file"), SOCKET(MapType.SK_STORAGE, "socket");

        final MapType mapType;
        final String factory;

        Kind(MapType mapType, String factory) {
            this.mapType = mapType;
            this.factory = factory;
        }

        /** The kind that owns entries of {@code type}, if it is a local storage map. */
        static Optional<Kind> owning(MapType type) {
            return Arrays.stream(values()).filter(k -> k.mapType == type).findFirst();
        }
    }

    private final Fd fd;
    private final Kind kind;

    private StorageOwner(Fd fd, Kind kind) {
        this.fd = fd;
        this.kind = kind;
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
            String subject = "process " + pid;
            if (Errno.ESRCH.is(errno)) {
                throw new NotFoundException("pidfd_open", errno, subject,
                        "no process has that id (it may have exited)");
            }
            // ENOENT or EINVAL: the id is a thread's; a pidfd names a process by its main thread.
            throw KernelErrors.forErrno("pidfd_open", errno, subject, Errno.ENOENT.is(errno) || Errno.EINVAL.is(errno)
                    ? pid + " is not the id of a process; a thread's id is not taken (task storage is reached through"
                            + " the process, i.e. its main thread)" : null);
        }
        return new StorageOwner(Fd.adopt((int) raw, "pidfd of process " + pid), Kind.TASK);
    }

    /** The cgroup whose directory (in the cgroup v2 hierarchy) is {@code directory}. */
    public static StorageOwner cgroup(Path directory) {
        CgroupAttacher.requireCgroup2(Objects.requireNonNull(directory, "directory"));
        return new StorageOwner(Fd.open(directory), Kind.CGROUP);
    }

    /** The file (its inode) at {@code file}. */
    public static StorageOwner file(Path file) {
        return new StorageOwner(Fd.open(Objects.requireNonNull(file, "file")), Kind.FILE);
    }

    /**
     * The socket behind {@code channel}, which must be bound (found as {@link BpfMap#putSocket} finds it). The owner
     * holds a descriptor of the socket: closing the channel does not close the socket (nor free its port) until the
     * owner is closed too.
     */
    public static StorageOwner socket(NetworkChannel channel) {
        return new StorageOwner(ChannelSockets.duplicate(channel), Kind.SOCKET);
    }

    /**
     * The owner's descriptor, for the calls of {@code map}, which hold it for the call.
     *
     * @throws IllegalStateException when {@code map} is not the local storage map this kind of owner has entries in
     */
    Fd descriptorFor(BpfMap map) {
        Optional<Kind> owning = Kind.owning(map.type());
        if (owning.isEmpty()) {
            throw new IllegalStateException("map '" + map.name() + "' is a map of type " + map.type()
                    + "; a StorageOwner keys TASK_STORAGE, CGRP_STORAGE, INODE_STORAGE and SK_STORAGE maps");
        }
        if (owning.get() != kind) {
            throw new IllegalStateException("map '" + map.name() + "' is a map of type " + map.type()
                    + ", whose entries belong to a " + owning.get().factory + ", not a " + kind.factory
                    + ": name the owner with StorageOwner." + owning.get().factory + "(...)");
        }
        return fd;
    }

    /** Closes the descriptor; the storage entries stay with their owner. Later calls do nothing. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return kind.factory + " " + fd.description() + (fd.isClosed() ? " (closed)" : "");
    }
}

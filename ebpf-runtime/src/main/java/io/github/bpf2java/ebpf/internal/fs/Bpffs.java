package io.github.bpf2java.ebpf.internal.fs;

import io.github.bpf2java.ebpf.error.KernelException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The BPF filesystem, where maps, programs and links are pinned to outlive the process that created them. Found at
 * {@code /sys/fs/bpf} (or any other bpffs mount); mounted there when absent and this process may mount.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Bpffs {
    /** The conventional mount point. */
    public static final Path DEFAULT = Path.of("/sys/fs/bpf");
    private static final String MOUNT_COMMAND = "mount -t bpf bpf " + DEFAULT;

    private final Path root;
    private final boolean mountedHere;

    private Bpffs(Path root, boolean mountedHere) {
        this.root = root;
        this.mountedHere = mountedHere;
    }

    /** The mounted bpffs, if any: {@link #DEFAULT} first, else the first other one. */
    public static Optional<Bpffs> find() {
        MountTable mounts = MountTable.read();
        if (mounts.at(DEFAULT).filter(m -> m.fsType().equals("bpf")).isPresent()) {
            return Optional.of(new Bpffs(DEFAULT, false));
        }
        return mounts.ofType("bpf").stream().findFirst().map(m -> new Bpffs(m.mountPoint(), false));
    }

    /**
     * The mounted bpffs, mounting it at {@link #DEFAULT} when there is none.
     *
     * @throws KernelException saying which command to run when this process may not mount it
     */
    public static Bpffs findOrMount() {
        Optional<Bpffs> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        Mounter.mount("bpf", DEFAULT, "bpf", MOUNT_COMMAND);
        return new Bpffs(DEFAULT, true);
    }

    /** Where it is mounted. */
    public Path root() {
        return root;
    }

    /** Whether {@link #findOrMount()} mounted it. */
    public boolean mountedHere() {
        return mountedHere;
    }

    /** Unmounts what {@link #findOrMount()} mounted; does nothing when it was already mounted. */
    public void unmount() {
        if (mountedHere) {
            Mounter.unmount(root);
        }
    }

    @Override
    public String toString() {
        return "bpffs at " + root + (mountedHere ? " (mounted by this process)" : "");
    }
}

package io.github.bpf2java.ebpf.internal.fs;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.PermissionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's tracing filesystem, where tracepoints publish their ids ({@code events/<category>/<name>/id}).
 * Found at {@code /sys/kernel/tracing} or, on older systems, {@code /sys/kernel/debug/tracing}; mounted at the
 * former when absent and this process may mount.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Tracefs {
    /** Where tracefs is mounted since Linux 4.1. */
    public static final Path DEFAULT = Path.of("/sys/kernel/tracing");
    /** Where tracefs appears inside debugfs. */
    public static final Path LEGACY = Path.of("/sys/kernel/debug/tracing");
    private static final String MOUNT_COMMAND = "mount -t tracefs nodev " + DEFAULT;

    private final Path root;
    private final boolean mountedHere;

    private Tracefs(Path root, boolean mountedHere) {
        this.root = root;
        this.mountedHere = mountedHere;
    }

    /** The mounted tracefs, if there is one: {@link #DEFAULT}, else {@link #LEGACY}, else any other mount. */
    public static Optional<Tracefs> find() {
        MountTable mounts = MountTable.read();
        for (Path candidate : new Path[] {DEFAULT, LEGACY}) {
            if (mounts.at(candidate).filter(m -> m.fsType().equals("tracefs")).isPresent()) {
                return Optional.of(new Tracefs(candidate, false));
            }
        }
        // debugfs automounts tracefs at LEGACY on first access, so it may not be in the table yet.
        if (Files.isRegularFile(LEGACY.resolve("available_events"))) {
            return Optional.of(new Tracefs(LEGACY, false));
        }
        return mounts.ofType("tracefs").stream().findFirst().map(m -> new Tracefs(m.mountPoint(), false));
    }

    /**
     * The mounted tracefs, mounting it at {@link #DEFAULT} when there is none.
     *
     * @throws KernelException saying which command to run when this process may not mount it
     */
    public static Tracefs findOrMount() {
        Optional<Tracefs> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        Mounter.mount("nodev", DEFAULT, "tracefs", MOUNT_COMMAND);
        return new Tracefs(DEFAULT, true);
    }

    /** Where it is mounted. */
    public Path root() {
        return root;
    }

    /** Whether {@link #findOrMount()} mounted it (and so {@link #unmount()} may undo that). */
    public boolean mountedHere() {
        return mountedHere;
    }

    /**
     * The id of tracepoint {@code category/name}, from {@code events/<category>/<name>/id}: the {@code config} of
     * a tracepoint perf event.
     *
     * @throws NotFoundException naming the tracepoint, with the command that lists the existing ones
     */
    public long tracepointId(String category, String name) {
        requireComponent(category, "category");
        requireComponent(name, "name");
        Path id = root.resolve("events").resolve(category).resolve(name).resolve("id");
        try {
            return Long.parseLong(Files.readString(id, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            Path categoryDir = root.resolve("events").resolve(category);
            String hint = Files.isDirectory(categoryDir)
                    ? "ls " + categoryDir + " lists the tracepoints of this category"
                    : "there is no category '" + category + "'; ls " + root.resolve("events") + " lists them";
            throw new NotFoundException("tracepoint " + category + "/" + name + " does not exist (" + id + ")",
                    "read tracepoint id", Errno.ENOENT.number(), "tracepoint " + category + "/" + name, hint);
        } catch (AccessDeniedException e) {
            // tracefs is mode 0700 where it is mounted: CAP_BPF and CAP_PERFMON load and attach, but cannot look.
            throw new PermissionException("cannot read the id of tracepoint " + category + "/" + name + " from "
                    + id + ": access denied", "read tracepoint id", Errno.EACCES.number(), "tracepoint " + category
                            + "/" + name, "tracefs (" + root + ") is readable by root only: run as root, or grant "
                            + "CAP_DAC_READ_SEARCH as well as the capabilities the program needs");
        } catch (IOException | NumberFormatException e) {
            throw new BpfException("cannot read the id of tracepoint " + category + "/" + name + " from " + id
                    + ": " + e.getMessage(), e);
        }
    }

    /** Unmounts what {@link #findOrMount()} mounted; does nothing when it found tracefs already mounted. */
    public void unmount() {
        if (mountedHere) {
            Mounter.unmount(root);
        }
    }

    @Override
    public String toString() {
        return "tracefs at " + root + (mountedHere ? " (mounted by this process)" : "");
    }

    private static void requireComponent(String part, String what) {
        if (part.isEmpty() || part.contains("/") || part.equals(".") || part.equals("..")) {
            throw new IllegalArgumentException("invalid tracepoint " + what + " '" + part + "'");
        }
    }
}

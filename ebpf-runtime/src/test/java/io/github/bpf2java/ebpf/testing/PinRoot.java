package io.github.bpf2java.ebpf.testing;

import io.github.bpf2java.ebpf.internal.fs.Bpffs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A directory of the test's own on the bpffs (mounted at {@code /sys/fs/bpf} when missing), for pins: objects that
 * pin maps by name load with it as their pin root, so no pin lands in the shared {@code /sys/fs/bpf}. Closing removes
 * every pin in it and the directory. A bpffs this JVM mounted is shared by every pin root open at the time, which
 * tests running in parallel have, and unmounted when the last of them closes: one test's unmount would otherwise
 * take the others' pins away.
 */
public final class PinRoot implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Object MOUNT = new Object();
    // Guarded by MOUNT: pin roots open, and the bpffs this JVM mounted for them (null when it found one).
    private static int open;
    private static Bpffs mountedForUs;

    private final Path path;

    private PinRoot(Path path) {
        this.path = path;
    }

    /** Creates {@code <bpffs>/bpf2java-<label>-<pid>-<n>}. */
    public static PinRoot create(String label) throws IOException {
        KernelSupport.assumeRoot();
        Bpffs bpffs;
        synchronized (MOUNT) {
            bpffs = Bpffs.findOrMount();
            if (bpffs.mountedHere()) {
                mountedForUs = bpffs;
            }
            open++;
        }
        try {
            Path path = bpffs.root().resolve("bpf2java-" + label + "-" + ProcessHandle.current().pid() + "-"
                    + COUNTER.incrementAndGet());
            return new PinRoot(Files.createDirectory(path));
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try {
            try (Stream<Path> pins = Files.list(path)) {
                for (Path pin : pins.toList()) {
                    Files.delete(pin);
                }
            }
            Files.delete(path);
        } finally {
            release();
        }
    }

    private static void release() {
        synchronized (MOUNT) {
            if (--open == 0 && mountedForUs != null) {
                mountedForUs.unmount();
                mountedForUs = null;
            }
        }
    }
}

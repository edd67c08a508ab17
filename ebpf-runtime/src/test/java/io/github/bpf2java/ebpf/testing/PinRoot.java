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
 * every pin in it, the directory, and the bpffs if this mounted it.
 */
public final class PinRoot implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Bpffs bpffs;
    private final Path path;

    private PinRoot(Bpffs bpffs, Path path) {
        this.bpffs = bpffs;
        this.path = path;
    }

    /** Creates {@code <bpffs>/bpf2java-<label>-<pid>-<n>}. */
    public static PinRoot create(String label) throws IOException {
        KernelSupport.assumeRoot();
        Bpffs bpffs = Bpffs.findOrMount();
        Path path = bpffs.root().resolve("bpf2java-" + label + "-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet());
        return new PinRoot(bpffs, Files.createDirectory(path));
    }

    /** The directory. */
    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> pins = Files.list(path)) {
            for (Path pin : pins.toList()) {
                Files.delete(pin);
            }
        }
        Files.delete(path);
        bpffs.unmount();
    }
}

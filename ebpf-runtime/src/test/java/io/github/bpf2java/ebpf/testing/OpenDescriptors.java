package io.github.bpf2java.ebpf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kernel-object descriptors this process holds: BPF maps, programs, links and BTF, and perf events, as
 * {@code /proc/self/fd} shows them ({@code anon_inode:bpf-map}, ...). Counting only these keeps leak checks exact
 * while the JVM opens and closes files of its own.
 */
public final class OpenDescriptors {
    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenDescriptors() {}

    /** What each kernel-object descriptor refers to, e.g. {@code anon_inode:bpf-map}, sorted. */
    public static List<String> kernelObjects() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.map(OpenDescriptors::target)
                    .filter(t -> t.startsWith("anon_inode:bpf") || t.startsWith("anon_inode:btf")
                            || t.equals("anon_inode:[perf_event]"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException closedMeanwhile) {
            return "";
        }
    }
}

package io.github.bpf2java.ebpf.internal.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads kernel settings under {@code /proc/sys}. Not with {@link Files#readString}: a procfs file reports size 0, so
 * that reads a first byte on its own and then from offset 1, and the kernel's handlers of numbers answer a read
 * that does not start at 0 with end-of-file: {@code kernel.perf_event_max_sample_rate} of 100000 reads as "1". One
 * buffered read from the start gets the whole value.
 *
 * <p>Internal: part of the host layer, not of the stable API.
 */
public final class Sysctl {
    private static final Path ROOT = Path.of("/proc/sys");

    private Sysctl() {}

    /**
     * The setting {@code name} ({@code kernel.perf_event_paranoid}, as sysctl names it), trimmed; empty when it
     * does not exist or cannot be read.
     */
    public static Optional<String> read(String name) {
        Path file = ROOT.resolve(name.replace('.', '/'));
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            char[] buffer = new char[4096];
            StringBuilder text = new StringBuilder();
            for (int n; (n = reader.read(buffer)) > 0; ) {
                text.append(buffer, 0, n);
            }
            return Optional.of(text.toString().trim());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** {@link #read} as a number; empty when it is not one. */
    public static Optional<Long> readLong(String name) {
        try {
            return read(name).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

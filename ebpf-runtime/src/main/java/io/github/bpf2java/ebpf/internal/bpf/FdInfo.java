package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Reads {@code /proc/self/fdinfo/<fd>} of a BPF object: the kernel writes facts there that {@code bpf_*_info} does
 * not carry, such as {@code memlock} (the bytes the object is charged for).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class FdInfo {
    private FdInfo() {}

    /** The {@code memlock:} line of {@code fd}'s fdinfo, if the kernel writes one (all kernels with BPF do). */
    public static OptionalLong memlock(Fd fd) {
        return number(fd, "memlock");
    }

    /** A numeric {@code key:\tvalue} line of {@code fd}'s fdinfo; empty when absent or unreadable. */
    public static OptionalLong number(Fd fd, String key) {
        // Held while reading, so the number names this object and not one that reused it after a close.
        try (Fd.Held held = fd.hold()) {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(held.raw())))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equals(key)) {
                    try {
                        return OptionalLong.of(Long.parseLong(line.substring(colon + 1).trim()));
                    } catch (NumberFormatException e) {
                        return OptionalLong.empty();
                    }
                }
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }
}

package io.github.bpf2java.ebpf.internal.fs;

import io.github.bpf2java.ebpf.error.BpfException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mounts visible to this process, from {@code /proc/self/mountinfo}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param mounts in mount order: a later mount at the same point hides an earlier one
 */
public record MountTable(List<Mount> mounts) {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    public MountTable {
        mounts = List.copyOf(mounts);
    }

    /**
     * One mount.
     *
     * @param mountPoint where it is mounted
     * @param fsType     the filesystem type, e.g. {@code tracefs}, {@code bpf}
     * @param source     the mount source, e.g. {@code nodev}
     */
    public record Mount(Path mountPoint, String fsType, String source) {}

    /** The current process's mounts. */
    public static MountTable read() {
        try {
            return parse(Files.readString(MOUNTINFO, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BpfException("cannot read " + MOUNTINFO + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the {@code mountinfo} format: {@code id parent major:minor root mount-point options [optional...] -
     * fstype source super-options}, with spaces and other special characters in paths escaped as octal.
     * Malformed lines are skipped.
     */
    public static MountTable parse(String mountinfo) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.trim().split(" ");
            int separator = List.of(f).indexOf("-");
            if (f.length < 5 || separator < 6 || separator + 2 >= f.length) {
                continue;
            }
            mounts.add(new Mount(Path.of(unescape(f[4])), f[separator + 1], unescape(f[separator + 2])));
        }
        return new MountTable(mounts);
    }

    /** The filesystem mounted at {@code mountPoint}, if any (the last one, which hides the others). */
    public Optional<Mount> at(Path mountPoint) {
        Path p = mountPoint.toAbsolutePath().normalize();
        for (int i = mounts.size() - 1; i >= 0; i--) {
            if (mounts.get(i).mountPoint().equals(p)) {
                return Optional.of(mounts.get(i));
            }
        }
        return Optional.empty();
    }

    /** The mounts of filesystem type {@code fsType}, in mount order. */
    public List<Mount> ofType(String fsType) {
        return mounts.stream().filter(m -> m.fsType().equals(fsType)).toList();
    }

    /** Decodes {@code \\040}-style octal escapes as bytes, then the bytes as UTF-8. */
    private static String unescape(String field) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(field.length());
        byte[] raw = field.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\\' && i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2])
                    && isOctal(raw[i + 3])) {
                out.write((raw[i + 1] - '0') * 64 + (raw[i + 2] - '0') * 8 + (raw[i + 3] - '0'));
                i += 3;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(byte b) {
        return b >= '0' && b <= '7';
    }
}

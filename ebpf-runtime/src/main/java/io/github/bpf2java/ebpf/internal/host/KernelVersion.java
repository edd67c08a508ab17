package io.github.bpf2java.ebpf.internal.host;

import io.github.bpf2java.ebpf.error.BpfException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel version, as in the release string {@code uname -r} prints ({@code 6.18.44-fc-v669}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param major   the first number
 * @param minor   the second number
 * @param patch   the third number, 0 when the release has none
 * @param release the release string it was parsed from
 */
public record KernelVersion(int major, int minor, int patch, String release) implements Comparable<KernelVersion> {
    private static final Path OSRELEASE = Path.of("/proc/sys/kernel/osrelease");

    /** The first release that accounts BPF memory to the memory cgroup rather than to RLIMIT_MEMLOCK. */
    public static final KernelVersion BPF_MEMCG_ACCOUNTING = of(5, 11);
    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    public KernelVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative kernel version component in " + release);
        }
    }

    /** A version with no release string, e.g. for "added in 5.8". */
    public static KernelVersion of(int major, int minor) {
        return new KernelVersion(major, minor, 0, major + "." + minor);
    }

    /**
     * Parses a release string such as {@code 5.15.0-91-generic} or {@code 6.1}.
     *
     * @throws BpfException when it does not start with {@code major.minor}
     */
    public static KernelVersion parse(String release) {
        String trimmed = release.trim();
        Matcher m = VERSION.matcher(trimmed);
        if (!m.find()) {
            throw new BpfException("cannot read a kernel version from the release string '" + trimmed + "'");
        }
        try {
            int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch, trimmed);
        } catch (NumberFormatException e) {
            throw new BpfException("kernel version number out of range in '" + trimmed + "'", e);
        }
    }

    /**
     * The running kernel's version, from {@code /proc/sys/kernel/osrelease}.
     *
     * @throws BpfException when that file cannot be read
     */
    public static KernelVersion running() {
        try {
            return parse(Files.readString(OSRELEASE, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new BpfException("cannot read the kernel release from " + OSRELEASE + ": " + e.getMessage(), e);
        }
    }

    /**
     * The {@code KERNEL_VERSION(major, minor, patch)} number some old program types need as {@code kern_version}:
     * {@code major << 16 | minor << 8 | patch}, the patch level capped at 255 as the kernel itself does.
     */
    public int code() {
        return (major << 16) + (minor << 8) + Math.min(patch, 255);
    }

    /** Whether this version is {@code other} or newer. */
    public boolean atLeast(KernelVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(KernelVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return release;
    }
}

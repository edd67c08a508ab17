package io.github.bpf2java.ebpf.internal.perf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Perf event sources whose type number the kernel assigns at boot, such as {@code kprobe} and {@code uprobe}:
 * their {@code type} and the {@code config} bit that turns a probe into a return probe, from
 * {@code /sys/bus/event_source/devices/<pmu>/}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class DynamicPmu {
    /** The kprobe PMU (absent when the kernel is built without kprobes). */
    public static final String KPROBE = "kprobe";
    /** The uprobe PMU. */
    public static final String UPROBE = "uprobe";

    private static final Path DEVICES = Path.of("/sys/bus/event_source/devices");
    private static final Pattern CONFIG_BIT = Pattern.compile("^config:(\\d+)$");
    private static final Pattern CONFIG_RANGE = Pattern.compile("^config:(\\d+)-(\\d+)$");

    private DynamicPmu() {}

    /**
     * The {@code type} to put in {@code perf_event_attr} for events of {@code pmu}.
     *
     * @throws NotSupportedException when this kernel has no such PMU
     */
    public static int type(String pmu) {
        String type = read(pmu, "type");
        try {
            return Integer.parseInt(type);
        } catch (NumberFormatException e) {
            throw new BpfException("unexpected content of " + DEVICES.resolve(pmu).resolve("type") + ": '" + type
                    + "' (expected a number)", e);
        }
    }

    /**
     * The {@code config} bit that makes a {@code pmu} event a return probe ({@code format/retprobe}, e.g.
     * {@code config:0}).
     *
     * @throws NotSupportedException when this kernel has no such PMU or it has no return probes
     */
    public static int retprobeBit(String pmu) {
        String format = read(pmu, "format/retprobe");
        Matcher m = CONFIG_BIT.matcher(format);
        if (!m.matches()) {
            throw new BpfException("unexpected format of " + DEVICES.resolve(pmu).resolve("format/retprobe")
                    + ": '" + format + "' (expected config:<bit>)");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * Where in {@code config} a uprobe's reference counter offset goes ({@code format/ref_ctr_offset}, e.g.
     * {@code config:32-63}): the shift, or empty when this kernel cannot count USDT semaphores (before 4.20).
     */
    public static java.util.OptionalInt refCtrOffsetShift(String pmu) {
        Path path = DEVICES.resolve(pmu).resolve("format/ref_ctr_offset");
        if (!Files.exists(path)) {
            return java.util.OptionalInt.empty();
        }
        Matcher m = CONFIG_RANGE.matcher(read(pmu, "format/ref_ctr_offset"));
        if (!m.matches()) {
            throw new BpfException("unexpected format of " + path + " (expected config:<first>-<last>)");
        }
        return java.util.OptionalInt.of(Integer.parseInt(m.group(1)));
    }

    /** Whether this kernel has the perf event source {@code pmu}. */
    public static boolean exists(String pmu) {
        return Files.isRegularFile(DEVICES.resolve(pmu).resolve("type"));
    }

    private static String read(String pmu, String file) {
        if (pmu.isEmpty() || pmu.contains("/") || pmu.startsWith(".")) {
            throw new IllegalArgumentException("invalid PMU name '" + pmu + "'");
        }
        Path path = DEVICES.resolve(pmu).resolve(file);
        try {
            return Files.readString(path, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            throw new NotSupportedException("this kernel (Linux " + release() + ") has no " + pmu
                    + " perf event source (" + path + " is missing)", "read " + file, Errno.ENOENT.number(),
                    "PMU " + pmu, pmu.equals(KPROBE) ? "the kernel was built without CONFIG_KPROBE_EVENTS"
                            : pmu.equals(UPROBE) ? "the kernel was built without CONFIG_UPROBE_EVENTS" : null);
        } catch (IOException e) {
            throw new BpfException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static String release() {
        try {
            return KernelVersion.running().release();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }
}

package io.github.bpf2java.ebpf.internal.host;

import io.github.bpf2java.ebpf.error.BpfException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of CPU numbers in the kernel's list format ({@code 0-3,5,7-8}), as in
 * {@code /sys/devices/system/cpu/possible} and {@code .../online}. Per-CPU maps hold one value per <em>possible</em>
 * CPU; perf buffers need one event per <em>online</em> CPU.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param cpus the CPU numbers, ascending, without duplicates
 */
public record CpuList(List<Integer> cpus) {
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");
    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");

    public CpuList {
        cpus = List.copyOf(cpus);
    }

    /** The CPUs the kernel could ever bring online: the size of every per-CPU map value array. */
    public static CpuList possible() {
        return read(POSSIBLE);
    }

    /** The CPUs online now. */
    public static CpuList online() {
        return read(ONLINE);
    }

    /**
     * Parses the kernel's list format: comma-separated numbers and inclusive ranges, e.g. {@code 0-3,5,7-8}; an
     * empty string is an empty list.
     *
     * @throws BpfException naming the text when it is malformed
     */
    public static CpuList parse(String text) {
        String trimmed = text.trim();
        List<Integer> cpus = new ArrayList<>();
        if (trimmed.isEmpty()) {
            return new CpuList(cpus);
        }
        for (String part : trimmed.split(",")) {
            String[] bounds = part.split("-", -1);
            try {
                if (bounds.length == 1) {
                    add(cpus, Integer.parseInt(bounds[0].trim()), text);
                } else if (bounds.length == 2) {
                    int first = Integer.parseInt(bounds[0].trim());
                    int last = Integer.parseInt(bounds[1].trim());
                    if (first > last) {
                        throw malformed(text, "range " + part + " runs backwards");
                    }
                    for (int cpu = first; cpu <= last; cpu++) {
                        add(cpus, cpu, text);
                    }
                } else {
                    throw malformed(text, "'" + part + "' is neither a number nor a range");
                }
            } catch (NumberFormatException e) {
                throw malformed(text, "'" + part + "' is not a number or range");
            }
        }
        return new CpuList(cpus);
    }

    /** How many CPUs the list holds. */
    public int count() {
        return cpus.size();
    }

    private static void add(List<Integer> cpus, int cpu, String text) {
        if (cpu < 0) {
            throw malformed(text, "negative CPU number " + cpu);
        }
        if (!cpus.isEmpty() && cpus.get(cpus.size() - 1) >= cpu) {
            throw malformed(text, "CPU " + cpu + " is out of ascending order");
        }
        cpus.add(cpu);
    }

    private static BpfException malformed(String text, String why) {
        return new BpfException("malformed CPU list '" + text.trim() + "': " + why);
    }

    private static CpuList read(Path path) {
        try {
            return parse(Files.readString(path, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new BpfException("cannot read the CPU list " + path + ": " + e.getMessage(), e);
        }
    }
}

package io.github.bpf2java.ebpf.internal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A process's memory map as {@code /proc/<pid>/maps} lists it: which file (if any) is mapped at which addresses, from
 * which file offset.
 *
 * <p>Internal: part of the host layer, not of the stable API.
 *
 * @param regions the mapped ranges, in address order
 */
public record MemoryMap(List<Region> regions) {
    private static final String DELETED = " (deleted)";

    /**
     * One mapped range {@code [start, end)}.
     *
     * @param fileOffset where in the file the range starts (0 for memory without a file)
     * @param path       the file's path ({@code " (deleted)"} taken off), or what the kernel says instead
     *                   ({@code [heap]}, {@code [vdso]}), or empty
     */
    public record Region(long start, long end, long fileOffset, String path) {
        /** Whether {@code address} lies in it. */
        public boolean contains(long address) {
            return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
        }

        /** Whether a file is mapped there (its path is absolute). */
        public boolean hasFile() {
            return path.startsWith("/");
        }

        /** The file offset {@code address} (inside the range) stands for. */
        public long fileOffsetOf(long address) {
            return address - start + fileOffset;
        }
    }

    public MemoryMap {
        regions = List.copyOf(regions);
    }

    /**
     * Reads {@code /proc/<pid>/maps}; lines of another format are skipped.
     *
     * @throws java.nio.file.NoSuchFileException when there is no such process
     * @throws IOException                        when it cannot be read (another user's process)
     */
    public static MemoryMap of(String pid) throws IOException {
        List<Region> regions = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc", pid, "maps"))) {
            // start-end perms offset dev inode [path]
            String[] fields = line.trim().split("\\s+", 6);
            if (fields.length < 5) {
                continue;
            }
            String path = fields.length == 6 ? fields[5] : "";
            if (path.endsWith(DELETED)) {
                path = path.substring(0, path.length() - DELETED.length());
            }
            int dash = fields[0].indexOf('-');
            try {
                regions.add(new Region(Long.parseUnsignedLong(fields[0].substring(0, dash), 16),
                        Long.parseUnsignedLong(fields[0].substring(dash + 1), 16),
                        Long.parseUnsignedLong(fields[2], 16), path));
            } catch (NumberFormatException | IndexOutOfBoundsException notARegion) {
                // not a line of the format the kernel writes
            }
        }
        return new MemoryMap(regions);
    }

    /** The range {@code address} lies in. */
    public Optional<Region> regionOf(long address) {
        for (Region r : regions) {
            if (r.contains(address)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}

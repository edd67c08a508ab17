package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile.FunctionSymbol;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile.Segment;
import io.github.bpf2java.ebpf.internal.host.MemoryMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names the user-space addresses of one process, as a stack trace map with {@code BPF_F_USER_STACK} or
 * {@code bpf_get_stack} hands them out: {@code 0x7f3a12c4d0ce} becomes {@code malloc+0x1e [libc.so.6]}. The
 * counterpart of {@link KernelSymbolTable} for user space.
 *
 * <p>{@link #of(int)} takes a snapshot of the process's memory map ({@code /proc/<pid>/maps}); each file's symbols
 * ({@code .symtab}, else {@code .dynsym}: a stripped binary names only its exported functions) are read when an
 * address first falls in it, through {@code /proc/<pid>/root}, so a process in a container of its own mount
 * namespace is named from its own files. Code without a file (a JIT's) is named from the process's perf map,
 * {@code /tmp/perf-<pid>.map}, where it writes one: a JVM does with {@code jcmd <pid> Compiler.perfmap} (JDK 17+) or
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit}. Take the snapshot while the process runs and after
 * it has loaded its libraries; libraries it loads later are not in it. Safe to share between threads.
 *
 * <pre>{@code
 * ProcessSymbolTable symbols = ProcessSymbolTable.of(pid);
 * for (long frame : userStack) {           // a long[] of a stack trace map, zero after the last frame
 *     if (frame == 0) break;
 *     System.out.println(symbols.describe(frame));
 * }
 * }</pre>
 */
public final class ProcessSymbolTable {
    /**
     * What an address is in the process.
     *
     * @param function   the function's name, empty when no symbol covers the address
     * @param offset     how far into the function, or, without a function, into the file
     * @param file       the file mapped there ({@code /usr/lib/x86_64-linux-gnu/libc.so.6}), empty for code a
     *                   perf map names
     */
    public record Location(Optional<String> function, long offset, Optional<Path> file) {
        /**
         * {@code malloc+0x1e [libc.so.6]}; without a function {@code libc.so.6+0x1750ce} (the file offset, what
         * {@code addr2line -e} takes); for code of a perf map {@code name+0x10 [perf map]}.
         */
        @Override
        public String toString() {
            String where = file.map(f -> f.getFileName().toString()).orElse("perf map");
            return function.map(f -> f + (offset == 0 ? "" : "+0x" + Long.toHexString(offset)) + " [" + where + "]")
                    .orElseGet(() -> where + "+0x" + Long.toHexString(offset));
        }
    }

    /** One function of a perf map, or of a file: its start (a run-time or an ELF virtual address), size and name. */
    private record Function(long start, long size, String name) {}

    private final int pid;
    private final MemoryMap map;
    private final Path root;
    // Per file: its functions by start, read at the first address in it; an empty list for a file that cannot be.
    private final Map<String, FileSymbols> files = new HashMap<>();
    private List<Function> perfMap;

    private record FileSymbols(List<Segment> segments, List<Function> functions) {}

    private ProcessSymbolTable(int pid, MemoryMap map) {
        this.pid = pid;
        this.map = map;
        this.root = Path.of("/proc", Integer.toString(pid), "root");
    }

    /**
     * A snapshot of process {@code pid}'s memory map.
     *
     * @throws NotFoundException when there is no such process
     * @throws BpfException      when its memory map cannot be read (another user's process, without
     *                           {@code CAP_SYS_PTRACE})
     */
    public static ProcessSymbolTable of(int pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive: " + pid);
        }
        Path maps = Path.of("/proc", Integer.toString(pid), "maps");
        MemoryMap map;
        try {
            map = MemoryMap.of(Integer.toString(pid));
        } catch (NoSuchFileException e) {
            throw new NotFoundException("there is no process " + pid + " (has it exited?)", "read", Errno.ENOENT
                    .number(), maps.toString(), "take the table while the process runs");
        } catch (IOException e) {
            throw new BpfException("cannot read " + maps + ": " + e.getMessage(), "reading another user's process "
                    + "takes CAP_SYS_PTRACE, or run as its user", e);
        }
        return new ProcessSymbolTable(pid, map);
    }

    /** The process the table is of. */
    public int pid() {
        return pid;
    }

    /**
     * Where {@code address} lies: in which function of which file; empty when the process had nothing mapped there
     * when the table was taken, or memory without a file that no perf map names.
     */
    public synchronized Optional<Location> find(long address) {
        Optional<MemoryMap.Region> region = map.regionOf(address);
        if (region.isEmpty()) {
            return Optional.empty();
        }
        if (!region.get().hasFile()) {
            // No file ([anon], [heap], a JIT's code): the perf map names what a JIT wrote there.
            return perfMapFunction(address).map(f -> new Location(Optional.of(f.name()), address - f.start(),
                    Optional.empty()));
        }
        String path = region.get().path();
        long fileOffset = region.get().fileOffsetOf(address);
        FileSymbols symbols = files.computeIfAbsent(path, this::read);
        for (Segment segment : symbols.segments()) {
            long into = fileOffset - segment.offset();
            if (Long.compareUnsigned(into, segment.fileSize()) < 0) {
                // Symbols hold ELF virtual addresses: the segment says where the file offset is meant to lie.
                long virtual = segment.vaddr() + into;
                Optional<Function> function = containing(symbols.functions(), virtual);
                if (function.isPresent()) {
                    return Optional.of(new Location(Optional.of(function.get().name()),
                            virtual - function.get().start(), Optional.of(Path.of(path))));
                }
                break;
            }
        }
        return Optional.of(new Location(Optional.empty(), fileOffset, Optional.of(Path.of(path))));
    }

    /** {@code address} as {@link Location#toString()} says, or as hex when nothing was mapped there. */
    public String describe(long address) {
        return find(address).map(Location::toString).orElseGet(() -> "0x" + Long.toHexString(address));
    }

    /** The file's loadable segments and functions, read through the process's root; none when it cannot be read. */
    private FileSymbols read(String path) {
        try {
            // Through the process's root while it runs (its own mount namespace); the path itself once it is gone.
            Path inRoot = root.resolve(path.substring(1));
            ExecutableFile file = ExecutableFile.open(Files.exists(inRoot) ? inRoot : Path.of(path));
            List<Function> functions = new ArrayList<>();
            boolean symtab = file.functionSymbols().stream()
                    .anyMatch(s -> s.table() == ExecutableFile.Table.SYMTAB);
            for (FunctionSymbol s : file.functionSymbols()) {
                if (s.table() == (symtab ? ExecutableFile.Table.SYMTAB : ExecutableFile.Table.DYNSYM)
                        && !s.indirect()) {
                    functions.add(new Function(s.value(), s.size(), s.name()));
                }
            }
            return new FileSymbols(file.loadSegments(), sorted(functions));
        } catch (RuntimeException unreadable) {
            // Gone, not ELF, or not readable: its addresses are named by file offset.
            return new FileSymbols(List.of(), List.of());
        }
    }

    private Optional<Function> perfMapFunction(long address) {
        if (perfMap == null) {
            perfMap = readPerfMap(Path.of("/tmp/perf-" + pid + ".map"));
        }
        return containing(perfMap, address);
    }

    /** {@code START SIZE name} lines, hex numbers with or without {@code 0x} (HotSpot writes it, perf does not). */
    static List<Function> readPerfMap(Path file) {
        List<Function> functions = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] fields = line.split(" ", 3);
                if (fields.length == 3) {
                    try {
                        functions.add(new Function(hex(fields[0]), hex(fields[1]), fields[2]));
                    } catch (NumberFormatException notAnEntry) {
                        // a line of another format: skipped
                    }
                }
            }
        } catch (IOException | SecurityException unreadable) {
            return List.of(); // none written, or not ours to read: JIT code stays unnamed
        }
        return sorted(functions);
    }

    private static long hex(String text) {
        return Long.parseUnsignedLong(text.startsWith("0x") ? text.substring(2) : text, 16);
    }

    private static List<Function> sorted(List<Function> functions) {
        functions.sort(Comparator.comparing(Function::start, Long::compareUnsigned));
        return List.copyOf(functions);
    }

    /** The function whose [start, start + size) holds {@code address}; one of size 0 holds only its start. */
    private static Optional<Function> containing(List<Function> functions, long address) {
        int low = 0;
        int high = functions.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (Long.compareUnsigned(functions.get(middle).start(), address) <= 0) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        // Nested or overlapping symbols (aliases): the closest start below that still covers the address.
        for (int i = low - 1; i >= 0 && i >= low - 8; i--) {
            Function f = functions.get(i);
            long into = address - f.start();
            if (into == 0 || Long.compareUnsigned(into, f.size()) < 0) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}

package io.github.bpf2java.ebpf.internal.elf;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile.FunctionSymbol;
import io.github.bpf2java.ebpf.internal.elf.ExecutableFile.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds where a function of a program or library starts, as the file offset a uprobe needs, with libbpf's rules: a
 * name matches {@code .dynsym} first, then {@code .symtab}; {@code name@VERSION} or {@code name@@VERSION} picks a
 * GNU symbol version (e.g. {@code pthread_cond_wait@GLIBC_2.3.2}), and without one the default version wins;
 * several matches at one offset are one function, a weak and a strong symbol resolve to the strong one, two strong
 * ones are ambiguous. An indirect function ({@code STT_GNU_IFUNC}, such as libc's {@code strlen} and the default
 * {@code memcpy}) is refused with why: its symbol's address is its resolver's.
 */
public final class ProbeSymbols {
    private ProbeSymbols() {}

    /** A function found by pattern: its name and file offset. */
    public record Match(String name, long offset) {}

    /**
     * A function found by name.
     *
     * @param offset   its file offset (an indirect function's: its resolver's)
     * @param size     its size in bytes ({@code st_size}), 0 when the symbol does not say
     * @param indirect whether it is an indirect function ({@code STT_GNU_IFUNC})
     */
    public record Function(String displayName, long offset, long size, boolean indirect) {
        /** The name without its GNU symbol version, as {@code dlsym} looks it up. */
        public String bareName() {
            int at = displayName.indexOf('@');
            return at < 0 ? displayName : displayName.substring(0, at);
        }

        /** Whether it is the version a program linked today gets: unversioned, or the default ({@code @@}). */
        public boolean defaultVersion() {
            return displayName.indexOf('@') < 0 || displayName.contains("@@");
        }
    }

    /**
     * The file offset of function {@code spec} ({@code name}, {@code name@VERSION} or {@code name@@VERSION}).
     *
     * @throws NotFoundException naming the file when there is no such function
     * @throws BpfException when two strong symbols of that name sit at different offsets, or the function is an
     *     indirect one
     */
    public static long offsetOf(ExecutableFile file, String spec) {
        Function found = function(file, spec);
        if (found.indirect()) {
            throw indirect(file, found);
        }
        return found.offset();
    }

    /**
     * The function {@code spec} names ({@code name}, {@code name@VERSION} or {@code name@@VERSION}), as
     * {@link #offsetOf} finds it.
     */
    public static Function function(ExecutableFile file, String spec) {
        int at = spec.indexOf('@');
        String name = at < 0 ? spec : spec.substring(0, at);
        String version = at < 0 ? null : spec.substring(spec.startsWith("@@", at) ? at + 2 : at + 1);
        for (Table table : Table.values()) {
            List<FunctionSymbol> candidates = new ArrayList<>();
            for (FunctionSymbol s : file.functionSymbols()) {
                if (s.table() == table && matches(s, name, version)) {
                    candidates.add(s);
                }
            }
            if (version == null && candidates.stream().anyMatch(FunctionSymbol::defaultVersion)) {
                // Unversioned, the name means what a program linked today gets: the default version (@@), not an
                // older one kept for old binaries (pthread_cond_wait@GLIBC_2.2.5 beside @@GLIBC_2.3.2).
                candidates.removeIf(s -> !s.defaultVersion());
            }
            FunctionSymbol chosen = null;
            for (FunctionSymbol s : candidates) {
                if (chosen == null || chosen.weak() && !s.weak()) {
                    chosen = s;
                } else if (file.fileOffset(chosen.value()) != file.fileOffset(s.value()) && !s.weak()
                        && !chosen.weak()) {
                    throw new BpfException(file.path() + ": '" + spec + "' is ambiguous: " + chosen.displayName()
                            + " at file offset 0x" + Long.toHexString(file.fileOffset(chosen.value())) + " and "
                            + s.displayName() + " at file offset 0x" + Long.toHexString(file.fileOffset(s.value()))
                            + " (e.g. static functions of the same name in two source files)", "attach at the "
                                    + "offset of the one you mean with attachUprobeAt(binary, offset, options), or "
                                    + "name a version (name@@VERSION) where the symbols have versions", null);
                }
            }
            if (chosen != null) {
                return new Function(chosen.displayName(), file.fileOffset(chosen.value()), chosen.size(),
                        chosen.indirect());
            }
        }
        boolean stripped = file.functionSymbols().stream().noneMatch(s -> s.table() == Table.SYMTAB);
        // The name with another version than the one asked for: say which versions there are.
        List<String> versions = version == null ? List.of() : file.functionSymbols().stream()
                .filter(s -> s.name().equals(name)).map(FunctionSymbol::displayName).distinct().sorted().toList();
        // gcc names the copies it makes of a function: name.constprop.0, name.isra.0, name.part.0, name.cold.
        List<String> copies = file.functionSymbols().stream().map(FunctionSymbol::name)
                .filter(n -> n.startsWith(name + ".")).distinct().sorted().toList();
        boolean library = file.path().getFileName().toString().contains(".so");
        String hint = !versions.isEmpty() ? "it has " + String.join(", ", versions)
                + "; name one of those, or the bare name for the default version"
                : !copies.isEmpty() ? "the compiler renamed the function where it copied or split it: it has "
                        + String.join(", ", copies) + "; attach to one of those by name"
                : "list its functions with: nm -D --defined-only " + file.path()
                        + (!stripped ? " (or nm without -D for .symtab)"
                                : library ? "; a function the library does not export can only be probed at its "
                                        + "file offset (attachUprobeAt), from the library's debug symbols"
                                : "; a function of your own stays visible in a stripped binary when it is linked "
                                        + "with -rdynamic (it then goes to .dynsym), or attach at its file offset "
                                        + "(attachUprobeAt)");
        throw new NotFoundException(file.path() + " has no function '" + spec + "'" + (stripped
                ? " among its dynamic symbols (it is stripped of .symtab)" : ""), "resolve uprobe target",
                Errno.ENOENT.number(), file.path() + ":" + spec, hint);
    }

    /**
     * The refusal of indirect function {@code function} of {@code file} where its implementation cannot be found
     * (see {@code internal.link.IndirectFunctions}).
     */
    public static BpfException indirect(ExecutableFile file, Function function) {
        String name = function.bareName();
        return new BpfException(file.path() + ": " + function.displayName() + " is an indirect function "
                + "(STT_GNU_IFUNC): its symbol is a resolver the dynamic linker runs once per process to choose an "
                + "implementation for the CPU (for libc's string functions, e.g. __" + name + "_avx2), so a uprobe "
                + "there would not see the calls; the runtime finds the implementation only in a file this process "
                + "has loaded itself",
                "probe the implementation: by name where the file has a .symtab (nm " + file.path() + " | grep "
                        + name + "), or at its file offset (attachUprobeAt) from the file's debug symbols; or probe "
                        + "a caller of " + name + " instead", null);
    }

    /**
     * Every function whose name matches {@code glob} ({@code *} any run, {@code ?} one character), by file offset
     * (each offset once): from {@code .symtab}, or from {@code .dynsym} when {@code .symtab} has none.
     */
    public static List<Match> matching(ExecutableFile file, String glob) {
        for (Table table : new Table[] {Table.SYMTAB, Table.DYNSYM}) {
            Map<Long, Match> byOffset = new LinkedHashMap<>();
            for (FunctionSymbol s : file.functionSymbols()) {
                // An indirect function's address is its resolver's, not the code callers run: left out.
                if (s.table() == table && !s.indirect() && globMatches(glob, s.name())) {
                    long offset = file.fileOffset(s.value());
                    byOffset.putIfAbsent(offset, new Match(s.name(), offset));
                }
            }
            if (!byOffset.isEmpty()) {
                return new ArrayList<>(byOffset.values());
            }
        }
        return List.of();
    }

    private static boolean matches(FunctionSymbol s, String name, String version) {
        if (s.table() == Table.SYMTAB) {
            // .symtab spells versions into the name (getenv@@GLIBC_2.2.5) where it has them at all.
            int at = s.name().indexOf('@');
            String bare = at < 0 ? s.name() : s.name().substring(0, at);
            if (!bare.equals(name)) {
                return false;
            }
            return version == null || at >= 0 && s.name().substring(s.name().startsWith("@@", at) ? at + 2 : at + 1)
                    .equals(version);
        }
        return s.name().equals(name) && (version == null || version.equals(s.version()));
    }

    /** Shell-style matching of {@code text} against {@code glob}: {@code *} and {@code ?}, nothing else special. */
    public static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int starG = -1;
        int starT = 0;
        while (t < text.length()) {
            if (g < glob.length() && (glob.charAt(g) == '?' || glob.charAt(g) == text.charAt(t))) {
                g++;
                t++;
            } else if (g < glob.length() && glob.charAt(g) == '*') {
                starG = g++;
                starT = t;
            } else if (starG >= 0) {
                g = starG + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }
}

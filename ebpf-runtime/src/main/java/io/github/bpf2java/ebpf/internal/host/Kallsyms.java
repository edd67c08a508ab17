package io.github.bpf2java.ebpf.internal.host;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code /proc/kallsyms}, one symbol per line: {@code <address> <type> <name>[\t[<module>]]}. The one parser
 * of that format in the runtime; its users keep what they need of each symbol (a name to address map, a sorted
 * table of code symbols, a yes or no for one function). Lines are split by hand: the file has some 200,000, and a
 * regular expression per line costs more than reading it.
 */
public final class Kallsyms {
    /** Where the running kernel lists its symbols. */
    public static final Path FILE = Path.of("/proc/kallsyms");

    /** Receives each symbol as it is read. */
    @FunctionalInterface
    public interface SymbolVisitor {
        /**
         * One symbol.
         *
         * @param address its address, 0 when the kernel hides addresses from this process
         * @param type    its kind as {@code nm} prints it: {@code t}/{@code T} code, {@code w}/{@code W} weak code,
         *                {@code d}, {@code b}, {@code r} data (upper case: global)
         * @param name    its name
         * @param module  the module that has it ({@code bpf} for BPF programs), or null for the kernel image
         * @return false to stop reading
         */
        boolean visit(long address, char type, String name, String module);
    }

    private Kallsyms() {}

    /** Whether {@code type} marks code: a function (t, T) or a weak one (w, W). */
    public static boolean isCode(char type) {
        return type == 't' || type == 'T' || type == 'w' || type == 'W';
    }

    /**
     * Hands every symbol of {@code file} to {@code visitor}, in the file's order, until it returns false. Lines
     * that are not symbols (too short, no type) are skipped.
     *
     * @throws IOException           when the file cannot be read ({@link java.nio.file.NoSuchFileException} when
     *                               the kernel has no kallsyms)
     * @throws NumberFormatException when an address is not hexadecimal
     */
    public static void read(Path file, SymbolVisitor visitor) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = in.readLine()) != null; ) {
                int space = line.indexOf(' ');
                // At least "a t n": an address, the type, one character of name.
                if (space <= 0 || line.length() < space + 4 || line.charAt(space + 2) != ' ') {
                    continue;
                }
                long address = Long.parseUnsignedLong(line, 0, space, 16);
                int nameStart = space + 3;
                int tab = line.indexOf('\t', nameStart);
                String name = line.substring(nameStart, tab < 0 ? line.length() : tab);
                String module = tab < 0 ? null : moduleOf(line, tab + 1);
                if (!visitor.visit(address, line.charAt(space + 1), name, module)) {
                    return;
                }
            }
        }
    }

    /** "[ext4]" or "ext4" (some kernels, some tools) to "ext4". */
    private static String moduleOf(String line, int start) {
        int from = start;
        int to = line.length();
        while (from < to && (line.charAt(from) == '[' || Character.isWhitespace(line.charAt(from)))) {
            from++;
        }
        while (to > from && (line.charAt(to - 1) == ']' || Character.isWhitespace(line.charAt(to - 1)))) {
            to--;
        }
        return from == to ? null : line.substring(from, to);
    }
}

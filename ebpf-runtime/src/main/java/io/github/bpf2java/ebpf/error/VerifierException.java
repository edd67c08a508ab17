package io.github.bpf2java.ebpf.error;

import io.github.bpf2java.ebpf.LoadOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The verifier rejected a program. Carries the program's name, the errno and the complete verifier log; the
 * message shows the last lines of the log, where the verifier states what is wrong, and {@link #log()} gives all
 * of it.
 */
public class VerifierException extends KernelException {
    private static final long serialVersionUID = 1L;
    private static final int SHOWN_LINES = 3;

    // Statistics the verifier appends after the error; they never say what went wrong.
    private static final Pattern STATISTICS = Pattern.compile(
            "^(processed \\d+ insns|verification time|stack depth|insn_cnt|mark_read|peak_states).*");
    // A source line the verifier prints from the program's line info: "; <C code> @ <file>:<line>".
    private static final Pattern SOURCE_LINE = Pattern.compile("^;\\s*(.*?)\\s+@\\s+(\\S+:\\d+)\\s*$");

    private final String programName;
    private final String log;
    private final boolean truncated;

    /**
     * @param programName the program's name as given to the kernel
     * @param errno       the errno of the failed load
     * @param log         the complete verifier log, possibly empty
     * @param truncated   whether the log did not fit in the largest buffer tried
     */
    public VerifierException(String programName, int errno, String log, boolean truncated) {
        this(programName, errno, log, truncated, null);
    }

    /**
     * The same rejection, with the loader's explanation of its cause put first in the hint.
     *
     * @param cause what the loader knows about why the verifier said no (e.g. a call of a missing kernel
     *              function), or null
     */
    public VerifierException(String programName, int errno, String log, boolean truncated, String cause) {
        super(message(programName, errno, log, truncated), "BPF_PROG_LOAD", errno, "program '" + programName + "'",
                (cause == null ? "" : cause + "; ") + hint(errno, log, truncated), null);
        this.programName = programName;
        this.log = log;
        this.truncated = truncated;
    }

    /**
     * A rejection a subclass explains in its own words: {@code lead} replaces the first line of the message, and the
     * verifier's last lines follow as usual.
     */
    protected VerifierException(String lead, String programName, int errno, String log, boolean truncated,
            String hint) {
        super(lead + " (" + Errno.describe(errno) + ")" + logTail(log, truncated),
                "BPF_PROG_LOAD", errno, "program '" + programName + "'", hint + "; " + hint(errno, log, truncated), null);
        this.programName = programName;
        this.log = log;
        this.truncated = truncated;
    }

    /** The name of the rejected program. */
    public String programName() {
        return programName;
    }

    /** The complete verifier log. */
    public String log() {
        return log;
    }

    /** Whether the log was cut short because it exceeded the largest buffer this runtime offers. */
    public boolean truncated() {
        return truncated;
    }

    /**
     * The C source line the verifier was checking when it stopped: the last line-info line of the log, as
     * {@code file.c:21: __u32 key = ip->protocol;}. Empty when the object has no line info (compiled without
     * {@code -g}) or the log is empty.
     */
    public Optional<String> sourceLine() {
        return sourceLine(log);
    }

    /**
     * The last line-info line of a verifier log, as {@code file:line: code}. Lines numbered 0 are skipped: clang gives
     * them to code it made up (a spilled context pointer, say), and the line before is the one the user wrote.
     */
    static Optional<String> sourceLine(String log) {
        String[] lines = log.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            Matcher m = SOURCE_LINE.matcher(lines[i].strip());
            if (m.matches() && !m.group(2).endsWith(":0")) {
                return Optional.of(m.group(2) + ": " + m.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * The last lines of a kernel log that state an error, without the statistics the kernel appends after it.
     *
     * @param log a verifier or BTF log
     * @param max how many lines at most
     */
    public static List<String> errorLines(String log, int max) {
        String[] lines = log.split("\n");
        int end = lines.length;
        while (end > 0 && (lines[end - 1].isBlank() || STATISTICS.matcher(lines[end - 1].trim()).matches())) {
            end--;
        }
        List<String> shown = new ArrayList<>();
        for (int i = end - 1; i >= 0 && shown.size() < max; i--) {
            if (!lines[i].isBlank()) {
                shown.add(0, lines[i].strip());
            }
        }
        return shown;
    }

    private static String message(String programName, int errno, String log, boolean truncated) {
        StringBuilder sb = new StringBuilder()
                .append("program '").append(programName).append("' was rejected by the verifier: ")
                .append(Errno.describe(errno));
        return sb.append(logTail(log, truncated)).toString();
    }

    /** Where in the C source the verifier stopped, then the log's last error lines, each on its own line. */
    private static String logTail(String log, boolean truncated) {
        StringBuilder sb = new StringBuilder();
        sourceLine(log).ifPresent(line -> sb.append("\n  at ").append(line));
        for (String line : errorLines(log, SHOWN_LINES)) {
            sb.append("\n  | ").append(line);
        }
        if (truncated) {
            sb.append("\n  (the verifier log was truncated)");
        }
        return sb.toString();
    }

    private static String hint(int errno, String log, boolean truncated) {
        long lines = log.lines().count();
        // The verifier answers an unsafe access with EACCES, which Errno.describe renders "Permission denied".
        // ... except where the verifier says "for !root": it refuses that only to a process without CAP_PERFMON
        // (pointer arithmetic and comparisons it lets through for a process that may read kernel pointers).
        String notPrivileges = log.contains("!root") ? "the verifier checked the program as unprivileged, and what "
                + "it says is prohibited \"for !root\" it allows to a process with CAP_PERFMON (besides CAP_BPF): "
                + "grant it, or run as root; "
                : Errno.EACCES.is(errno) ? "EACCES from the verifier means an unsafe instruction, not missing "
                        + "privileges; " : "";
        // The kernel's words when a GPL-only helper is called from an object without a GPL-compatible license.
        String license = log.contains("non-GPL compatible program") ? "the object has no GPL-compatible license: "
                + "declare char LICENSE[] SEC(\"license\") = \"GPL\"; (or \"Dual BSD/GPL\"), as GPL-only helpers "
                + "require; " : "";
        return license + notPrivileges + "the whole verifier log (" + lines + " lines"
                + (truncated ? ", truncated" : "")
                + ") is in VerifierException.log(); LoadOptions.builder().logLevel(2) logs every instruction";
    }
}

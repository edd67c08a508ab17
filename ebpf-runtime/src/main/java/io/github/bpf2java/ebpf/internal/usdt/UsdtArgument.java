package io.github.bpf2java.ebpf.internal.usdt;

import io.github.bpf2java.ebpf.error.BpfException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One argument of a USDT probe, as {@code usdt.bpf.h}'s {@code bpf_usdt_arg()} fetches it: a constant, a register,
 * or memory at a register plus an offset; its size and signedness become a shift that narrows the 8 bytes read.
 * Parsed from the probe's argument spec ({@code -4@%eax}, {@code 8@-8(%rbp)}, {@code -4@$5} on x86-64;
 * {@code -4@x0}, {@code 8@[sp, 16]}, {@code 4@5} on arm64), with registers as offsets into the architecture's
 * {@code struct pt_regs}.
 *
 * @param kind      how the value is found
 * @param value     the constant, or the memory offset from the register
 * @param regOffset {@code offsetof(struct pt_regs, <register>)}, 0 for constants
 * @param signed    whether the value is sign-extended (a negative size in the spec)
 * @param bitShift  {@code 64 - size * 8}: how far the 8-byte value is narrowed
 */
public record UsdtArgument(Kind kind, long value, int regOffset, boolean signed, int bitShift) {

    /** {@code enum __bpf_usdt_arg_type} of {@code usdt.bpf.h}; the ordinal is its value. */
    public enum Kind {
        /** {@code BPF_USDT_ARG_CONST}. */
        CONST,
        /** {@code BPF_USDT_ARG_REG}. */
        REG,
        /** {@code BPF_USDT_ARG_REG_DEREF}. */
        REG_DEREF
    }

    /** The argument limit of {@code usdt.bpf.h} ({@code BPF_USDT_MAX_ARG_CNT}). */
    public static final int MAX_ARGS = 12;

    // offsetof(struct pt_regs, ...) on x86-64: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di orig_ax ip cs flags sp
    private static final Map<String, Integer> X86_64 = x86Registers();
    private static final Pattern SIZE_AT = Pattern.compile("\\s*(-?\\d+)\\s*@\\s*");
    private static final Pattern X86_DEREF = Pattern.compile("(-?(?:0[xX][0-9a-fA-F]+|\\d+))?\\(%([a-z0-9]+)\\)");
    private static final Pattern X86_REG = Pattern.compile("%([a-z0-9]+)");
    private static final Pattern X86_CONST = Pattern.compile("\\$(-?(?:0[xX][0-9a-fA-F]+|\\d+))");
    // gcc names a global or static variable by its symbol, relative to the instruction pointer: v_count(%rip).
    private static final Pattern X86_SYMBOL = Pattern.compile("([A-Za-z_.$][\\w.$]*)(?:[+-]\\d+)?\\(%rip\\)");
    private static final Pattern ARM_DEREF = Pattern.compile("\\[\\s*([a-z0-9]+)\\s*(?:,\\s*(-?\\d+)\\s*)?\\]");
    private static final Pattern ARM_CONST = Pattern.compile("(-?\\d+)");
    private static final Pattern ARM_REG = Pattern.compile("([a-z][a-z0-9]*)");

    /**
     * Parses a probe's whole argument spec (space-separated arguments) for the running architecture.
     *
     * @throws BpfException naming the argument that does not parse or has an unknown register
     */
    public static List<UsdtArgument> parseAll(String spec, String architecture) {
        List<UsdtArgument> out = new ArrayList<>();
        String rest = spec.trim();
        while (!rest.isEmpty()) {
            // Arguments are separated by spaces, but arm64 memory operands ("[sp, 16]") contain one.
            int end = nextSpace(rest);
            out.add(parse(rest.substring(0, end), architecture, spec));
            rest = rest.substring(end).trim();
        }
        if (out.size() > MAX_ARGS) {
            throw new BpfException("USDT argument spec '" + spec + "' has " + out.size() + " arguments; usdt.bpf.h "
                    + "reads at most " + MAX_ARGS);
        }
        return out;
    }

    private static int nextSpace(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ' ' && depth == 0) {
                return i;
            }
        }
        return s.length();
    }

    /** Parses one argument, e.g. {@code -4@-20(%rbp)}. */
    static UsdtArgument parse(String argument, String architecture, String wholeSpec) {
        Matcher head = SIZE_AT.matcher(argument);
        if (!head.lookingAt()) {
            throw unparsable(argument, wholeSpec, "expected <size>@<location>");
        }
        int size = Integer.parseInt(head.group(1));
        boolean signed = size < 0;
        int bytes = Math.abs(size);
        if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
            throw unparsable(argument, wholeSpec, "size " + size + " is not 1, 2, 4 or 8 bytes");
        }
        int shift = 64 - bytes * 8;
        String location = argument.substring(head.end()).trim();
        String arch = architecture.toLowerCase(Locale.ROOT);
        Matcher m;
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            if ((m = X86_DEREF.matcher(location)).matches()) {
                return new UsdtArgument(Kind.REG_DEREF, m.group(1) == null ? 0 : Long.decode(m.group(1)),
                        x86Register(m.group(2), argument, wholeSpec), signed, shift);
            }
            if ((m = X86_REG.matcher(location)).matches()) {
                return new UsdtArgument(Kind.REG, 0, x86Register(m.group(1), argument, wholeSpec), signed, shift);
            }
            if ((m = X86_CONST.matcher(location)).matches()) {
                return new UsdtArgument(Kind.CONST, Long.decode(m.group(1)), 0, signed, shift);
            }
            if ((m = X86_SYMBOL.matcher(location)).matches()) {
                throw new BpfException("cannot read USDT argument '" + argument + "' of spec '" + wholeSpec + "': it is"
                        + " variable " + m.group(1) + " in memory, named by its symbol relative to the instruction "
                        + "pointer, which USDT readers (libbpf's too) cannot resolve", "give the probe the value "
                        + "rather than the variable, e.g. a local copy: long copy = " + m.group(1) + "; then "
                        + "DTRACE_PROBE1(provider, name, copy)", null);
            }
            throw unparsable(argument, wholeSpec, location.contains(",")
                    ? "scaled-index memory operands are not supported by bpf2java yet" : "unknown location");
        }
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            if ((m = ARM_DEREF.matcher(location)).matches()) {
                return new UsdtArgument(Kind.REG_DEREF, m.group(2) == null ? 0 : Long.parseLong(m.group(2)),
                        arm64Register(m.group(1), argument, wholeSpec), signed, shift);
            }
            if ((m = ARM_CONST.matcher(location)).matches()) {
                return new UsdtArgument(Kind.CONST, Long.parseLong(m.group(1)), 0, signed, shift);
            }
            if ((m = ARM_REG.matcher(location)).matches()) {
                return new UsdtArgument(Kind.REG, 0, arm64Register(m.group(1), argument, wholeSpec), signed, shift);
            }
            throw unparsable(argument, wholeSpec, "unknown location");
        }
        throw new BpfException("USDT arguments cannot be read on " + architecture + " by bpf2java yet (spec '"
                + wholeSpec + "')", "x86-64 and arm64 are supported", null);
    }

    private static int x86Register(String name, String argument, String spec) {
        Integer offset = X86_64.get(name);
        if (offset == null) {
            throw unparsable(argument, spec, "unknown register %" + name);
        }
        return offset;
    }

    private static int arm64Register(String name, String argument, String spec) {
        // struct user_pt_regs { u64 regs[31]; u64 sp; u64 pc; u64 pstate; }
        if (name.equals("sp")) {
            return 31 * 8;
        }
        if (name.matches("x([0-9]|[12][0-9]|30)")) {
            return Integer.parseInt(name.substring(1)) * 8;
        }
        throw unparsable(argument, spec, "unknown register " + name);
    }

    private static Map<String, Integer> x86Registers() {
        Map<String, Integer> m = new java.util.HashMap<>();
        String[][] names = {
            {"r15", "r15d", "r15w", "r15b"}, {"r14", "r14d", "r14w", "r14b"}, {"r13", "r13d", "r13w", "r13b"},
            {"r12", "r12d", "r12w", "r12b"}, {"rbp", "ebp", "bp", "bpl"}, {"rbx", "ebx", "bx", "bl"},
            {"r11", "r11d", "r11w", "r11b"}, {"r10", "r10d", "r10w", "r10b"}, {"r9", "r9d", "r9w", "r9b"},
            {"r8", "r8d", "r8w", "r8b"}, {"rax", "eax", "ax", "al"}, {"rcx", "ecx", "cx", "cl"},
            {"rdx", "edx", "dx", "dl"}, {"rsi", "esi", "si", "sil"}, {"rdi", "edi", "di", "dil"},
        };
        for (int i = 0; i < names.length; i++) {
            for (String n : names[i]) {
                m.put(n, i * 8);
            }
        }
        m.put("rip", 16 * 8);
        m.put("eip", 16 * 8);
        for (String n : new String[] {"rsp", "esp", "sp", "spl"}) {
            m.put(n, 19 * 8);
        }
        return Map.copyOf(m);
    }

    private static BpfException unparsable(String argument, String spec, String why) {
        return new BpfException("cannot read USDT argument '" + argument + "' of spec '" + spec + "': " + why);
    }
}

package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.internal.bpf.IteratorKind;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.SectionDef.AttachKind;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a program's section name says it attaches, in libbpf's conventions ({@code tp/<category>/<name>},
 * {@code kprobe/<function>[+<offset>]}, {@code uprobe/<binary>:<function>[+<offset>]}, {@code ksyscall/<name>},
 * {@code usdt/<binary>:<provider>:<name>}, ...), or, when it does not say enough, why not and which method to call
 * instead. Pure parsing: nothing is attached here.
 */
public sealed interface SectionTarget {

    /** {@code tracepoint/<category>/<name>}. */
    record Tracepoint(String category, String name) implements SectionTarget {}

    /** {@code raw_tp/<name>}. */
    record RawTracepoint(String name) implements SectionTarget {}

    /** {@code tp_btf/}, {@code fentry/}, {@code fexit/}, {@code fmod_ret/}, {@code lsm/}, {@code freplace/}. */
    record BtfTyped(String description) implements SectionTarget {}

    /** {@code iter/<target>}. */
    record Iterator(String target) implements SectionTarget {}

    /** {@code kprobe/<function>[+<offset>]}, {@code kretprobe/<function>}. */
    record Kprobe(String function, long offset, boolean ret) implements SectionTarget {}

    /** {@code ksyscall/<name>}, {@code kretsyscall/<name>}. */
    record Ksyscall(String syscall, boolean ret) implements SectionTarget {}

    /** {@code kprobe.multi/<pattern>}, {@code kretprobe.multi/<pattern>}. */
    record KprobeMulti(String pattern, boolean ret) implements SectionTarget {}

    /**
     * {@code uprobe/<binary>:<function>[+<offset>]}, {@code uretprobe/<binary>:<function>}; a function given as a
     * number ({@code uprobe/<binary>:0x1234}) is a file offset, and {@code function} is then empty.
     */
    record Uprobe(String binary, String function, long offset, boolean ret) implements SectionTarget {}

    /** {@code uprobe.multi/<binary>:<pattern>}, {@code uretprobe.multi/<binary>:<pattern>}. */
    record UprobeMulti(String binary, String pattern, boolean ret) implements SectionTarget {}

    /** {@code usdt/<binary>:<provider>:<name>}. */
    record Usdt(String binary, String provider, String name) implements SectionTarget {}

    /**
     * The section names a target in a form its kind does not take, e.g. {@code uretprobe/readline} without the
     * binary: {@link #refusal} is the error attaching it by section gives.
     *
     * @param problem what is wrong, e.g. {@code does not name its target as <binary>:<function>[+<offset>]}
     * @param hint    how to write it, or which method to call instead
     */
    record Invalid(String problem, String hint) implements SectionTarget {}

    /**
     * The section does not say where: the program needs a target only the caller knows.
     *
     * @param reason what is missing, e.g. {@code needs a network interface}
     * @param howTo  the call that attaches it, e.g. {@code program.attachXdp("eth0")}
     */
    record Manual(String reason, String howTo) implements SectionTarget {}

    /**
     * The kernel event this target runs the program on, named alike for the different ways to reach it (a
     * tracepoint by {@code tracepoint/}, {@code raw_tp/} or {@code tp_btf/}; a function's entry by {@code kprobe/}
     * or {@code fentry/}), so that two programs of one object on the same event can be noticed; empty for targets
     * that are not one kernel event (patterns, iterators, LSM hooks, user-space probes with offsets, ...).
     */
    default Optional<String> event() {
        if (this instanceof Tracepoint t) {
            return Optional.of("tracepoint " + t.name());
        } else if (this instanceof RawTracepoint r) {
            return Optional.of("tracepoint " + r.name());
        } else if (this instanceof BtfTyped b) {
            String[] words = b.description().split(" ");
            String target = words[words.length - 1];
            return b.description().startsWith("btf tracepoint ") ? Optional.of("tracepoint " + target)
                    : b.description().startsWith("fentry ") ? Optional.of("the entry of kernel function " + target)
                    : b.description().startsWith("fexit ") ? Optional.of("the return of kernel function " + target)
                    : Optional.empty();
        } else if (this instanceof Kprobe k && k.offset() == 0) {
            return Optional.of((k.ret() ? "the return of" : "the entry of") + " kernel function " + k.function());
        }
        return Optional.empty();
    }

    /** {@code function[+offset]}: a kernel or user function name, optionally followed by a byte offset. */
    Pattern FUNCTION_OFFSET = Pattern.compile("([^+\\s]+)(?:\\+(0[xX][0-9a-fA-F]+|\\d+))?");

    /**
     * What {@code program}'s section says; {@link Invalid} when it names a target that does not parse, e.g.
     * {@code uprobe/bash} without the function.
     */
    static SectionTarget of(ProgramSpec program) {
        AttachKind kind = program.sectionDef().map(d -> d.attachKind()).orElse(AttachKind.MANUAL);
        String target = program.attachTarget();
        ProgramType type = program.type().orElse(ProgramType.UNSPEC);
        String p = "program.";
        switch (kind) {
            case TRACEPOINT -> {
                if (target.isEmpty()) {
                    return new Manual("needs a tracepoint", p + "attachTracepoint(\"syscalls\", "
                            + "\"sys_enter_openat\")");
                }
                int slash = target.indexOf('/');
                if (slash <= 0 || slash == target.length() - 1) {
                    return invalid("does not name its tracepoint as <category>/<name>",
                            "write e.g. SEC(\"tracepoint/syscalls/sys_enter_execve\"), or call "
                                    + "attachTracepoint(category, name)");
                }
                return new Tracepoint(target.substring(0, slash), target.substring(slash + 1));
            }
            case RAW_TRACEPOINT -> {
                return target.isEmpty() ? new Manual("needs a raw tracepoint", p + "attachRawTracepoint("
                        + "\"sched_switch\")") : new RawTracepoint(target);
            }
            case BTF_TRACEPOINT, TRACING, LSM -> {
                String what = type == ProgramType.EXT ? "freplace" : kind == AttachKind.BTF_TRACEPOINT
                        ? "btf tracepoint" : program.sectionDef().map(d -> d.prefix()).orElse("")
                                .replace("/", "").replace(".s", "");
                return new BtfTyped(what.toLowerCase(Locale.ROOT) + " " + target);
            }
            case ITERATOR -> {
                // The kernel refuses a map iterator without the map to walk, which the section cannot name.
                return IteratorKind.of(target) == IteratorKind.MAP ? new Manual("needs the map to walk",
                        p + "attachIterator(map)") : new Iterator(target);
            }
            case KPROBE, KRETPROBE -> {
                boolean ret = kind == AttachKind.KRETPROBE;
                if (target.isEmpty()) {
                    return new Manual("needs a kernel function", p + (ret ? "attachKretprobe" : "attachKprobe")
                            + "(\"do_unlinkat\")");
                }
                Matcher m = FUNCTION_OFFSET.matcher(target);
                if (!m.matches()) {
                    return invalid("does not name a kernel function as <function>[+<offset>]",
                            "write e.g. SEC(\"kprobe/do_unlinkat\")");
                }
                long offset = m.group(2) == null ? 0 : Long.decode(m.group(2));
                if (ret && offset != 0) {
                    return invalid("gives an offset, which a kretprobe cannot have",
                            "a return probe fires when the function returns; drop the +" + m.group(2));
                }
                return new Kprobe(m.group(1), offset, ret);
            }
            case KSYSCALL, KRETSYSCALL -> {
                boolean ret = kind == AttachKind.KRETSYSCALL;
                return target.isEmpty() ? new Manual("needs a system call", p + (ret ? "attachKretsyscall"
                        : "attachKsyscall") + "(\"openat\")") : new Ksyscall(target, ret);
            }
            case KPROBE_MULTI, KRETPROBE_MULTI -> {
                boolean ret = kind == AttachKind.KRETPROBE_MULTI;
                return target.isEmpty() ? new Manual("needs a kernel function pattern", p + (ret
                        ? "attachKretprobeMulti" : "attachKprobeMulti") + "(\"vfs_*\")")
                        : new KprobeMulti(target, ret);
            }
            case UPROBE, URETPROBE -> {
                boolean ret = kind == AttachKind.URETPROBE;
                String method = ret ? "attachUretprobe" : "attachUprobe";
                if (target.isEmpty()) {
                    return new Manual("needs a binary and function", p + method
                            + "(\"/path/to/binary\", \"function\")");
                }
                int colon = target.indexOf(':');
                if (colon <= 0 || colon == target.length() - 1) {
                    return invalid("does not name its target as <binary>:<function>[+<offset>]",
                            "write e.g. SEC(\"" + (ret ? "uretprobe" : "uprobe") + "//bin/bash:readline\") or "
                                    + "SEC(\"uprobe/libc.so.6:getenv\"), or call " + method + "(binary, function)");
                }
                String binary = target.substring(0, colon);
                String function = target.substring(colon + 1);
                if (function.matches("0[xX][0-9a-fA-F]+|\\d+")) {
                    return new Uprobe(binary, "", Long.decode(function), ret);
                }
                Matcher m = FUNCTION_OFFSET.matcher(function);
                if (!m.matches()) {
                    return invalid("does not name a function as <function>[+<offset>]",
                            "write e.g. SEC(\"uprobe//bin/bash:readline\")");
                }
                long offset = m.group(2) == null ? 0 : Long.decode(m.group(2));
                if (ret && offset != 0) {
                    return invalid("gives an offset, which a uretprobe cannot have",
                            "a return probe fires when the function returns; drop the +" + m.group(2));
                }
                return new Uprobe(binary, m.group(1), offset, ret);
            }
            case UPROBE_MULTI, URETPROBE_MULTI -> {
                boolean ret = kind == AttachKind.URETPROBE_MULTI;
                String method = ret ? "attachUretprobeMulti" : "attachUprobeMulti";
                if (target.isEmpty()) {
                    return new Manual("needs a binary and function pattern", p + method
                            + "(\"/path/to/binary\", \"pattern*\")");
                }
                int colon = target.indexOf(':');
                if (colon <= 0 || colon == target.length() - 1) {
                    return invalid("does not name its target as <binary>:<pattern>",
                            "write e.g. SEC(\"uprobe.multi/libc.so.6:getpid*\")");
                }
                return new UprobeMulti(target.substring(0, colon), target.substring(colon + 1), ret);
            }
            case USDT -> {
                if (target.isEmpty()) {
                    return new Manual("needs a binary, provider and probe name", p
                            + "attachUsdt(\"/path/to/binary\", \"provider\", \"name\")");
                }
                String[] parts = target.split(":", -1);
                if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
                    return invalid("does not name its probe as <binary>:<provider>:<name>",
                            "write e.g. SEC(\"usdt//usr/bin/python3:python:function__entry\")");
                }
                return new Usdt(parts[0], parts[1], parts[2]);
            }
            case KPROBE_SESSION, UPROBE_SESSION -> {
                return new Manual("is a " + kind.name().toLowerCase(Locale.ROOT).replace('_', '.')
                        + " program, which bpf2java cannot attach yet", "");
            }
            case PERF_EVENT -> {
                return new Manual("needs a perf event", p + "attachPerfEventOnEveryCpu(PerfEventSpec.software("
                        + "SoftwareEvent.CPU_CLOCK).sampleFrequency(99)) or attachPerfEvent(spec, cpu)");
            }
            case STRUCT_OPS -> {
                return new Manual("is registered through its struct_ops map, not attached on its own",
                        "object.attachStructOps(\"<struct_ops variable>\")");
            }
            default -> {
                return manualByType(program, type);
            }
        }
    }

    /**
     * What to call a program in messages: its type in lower case ({@code xdp}, {@code tracepoint}), except that
     * {@code uprobe}, {@code uretprobe} and {@code usdt} sections, whose programs the kernel types as kprobes, are
     * called {@code uprobe} programs.
     */
    static String programKind(ProgramSpec program, ProgramType type) {
        AttachKind kind = program.sectionDef().map(d -> d.attachKind()).orElse(AttachKind.MANUAL);
        return switch (kind) {
            case UPROBE, URETPROBE, UPROBE_MULTI, URETPROBE_MULTI, UPROBE_SESSION, USDT -> "uprobe";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static Manual manualByType(ProgramSpec program, ProgramType type) {
        String p = "program.";
        return switch (type) {
            case XDP -> new Manual("needs a network interface", p + "attachXdp(\"eth0\")");
            case SCHED_CLS, SCHED_ACT -> program.expectedAttachType()
                    .filter(t -> t == AttachType.TCX_INGRESS || t == AttachType.TCX_EGRESS).isPresent()
                    // tcx/ingress and tcx/egress sections give the direction.
                    ? new Manual("needs a network interface", p + "attachTcx(\"eth0\")")
                    : new Manual("needs a network interface and direction",
                            p + "attachTcx(\"eth0\", TcxOptions...) or attachTc(\"eth0\", TcOptions...)");
            // The example directory is on this machine's cgroup v2 mount, which is not /sys/fs/cgroup everywhere.
            case CGROUP_SKB, CGROUP_SOCK, CGROUP_SOCK_ADDR, CGROUP_DEVICE, CGROUP_SYSCTL, CGROUP_SOCKOPT, SOCK_OPS,
                    LSM -> new Manual("needs a cgroup", p + "attachCgroup(Path.of(\"" + CgroupAttacher.exampleGroup()
                            + "\"))");
            case SOCKET_FILTER -> new Manual("needs a socket", p + "attachSocketFilter(channel)");
            case SK_SKB, SK_MSG -> new Manual("needs a sockmap or sockhash", p + "attachSocketMap(map)");
            case SK_REUSEPORT -> new Manual("needs a socket of a SO_REUSEPORT group", p + "attachReuseport(channel)");
            case SK_LOOKUP, FLOW_DISSECTOR -> new Manual("needs a network namespace",
                    p + "attachNetworkNamespace(Path.of(\"/proc/self/ns/net\"))");
            case NETFILTER -> new Manual("needs a netfilter hook", p + "attachNetfilter(NetfilterOptions...)");
            case SYSCALL -> new Manual("is run by BPF_PROG_TEST_RUN, not attached", "");
            case EXT -> new Manual("needs the program it replaces, fixed at load", "");
            default -> new Manual("is of a type that attach() cannot attach; a tail-call target needs no attaching",
                    "");
        };
    }

    private static Invalid invalid(String what, String hint) {
        return new Invalid(what, hint);
    }

    /** The error attaching {@code program} by its {@link Invalid} section gives. */
    static BpfException refusal(ProgramSpec program, Invalid invalid) {
        return new BpfException("program '" + program.name() + "' in section '" + program.sectionName() + "' "
                + invalid.problem(), invalid.hint(), null);
    }
}

package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.CodeBlock;
import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.attach.IteratorOptions;
import io.github.bpf2java.ebpf.attach.NetfilterOptions;
import io.github.bpf2java.ebpf.attach.PerfEventSpec;
import io.github.bpf2java.ebpf.attach.TcxOptions;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.SectionDef;
import io.github.bpf2java.ebpf.spec.SectionDef.AttachKind;
import java.nio.channels.NetworkChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the generated class says about attaching a program, decided from the public spec alone: the section-name
 * table's {@link SectionDef#attachKind() attach kind} and the {@link ProgramSpec#attachTarget() target} the section
 * names. Only what these settle is said; a case they leave open is left to the {@code AttachReport} that
 * {@code attach()} returns, which names the method for every program it leaves out.
 */
final class ProgramAttachment {
    /**
     * The kinds whose programs {@link BpfProgram#attach()} attaches where the section says, as its Javadoc lists
     * them: tracepoints, BTF-typed targets, iterators, kprobes, system calls, uprobes, USDT probes.
     */
    private static final Set<AttachKind> BY_SECTION = EnumSet.of(AttachKind.TRACEPOINT, AttachKind.RAW_TRACEPOINT,
            AttachKind.BTF_TRACEPOINT, AttachKind.TRACING, AttachKind.LSM, AttachKind.ITERATOR, AttachKind.KPROBE,
            AttachKind.KRETPROBE, AttachKind.KSYSCALL, AttachKind.KRETSYSCALL, AttachKind.KPROBE_MULTI,
            AttachKind.KRETPROBE_MULTI, AttachKind.UPROBE, AttachKind.URETPROBE, AttachKind.UPROBE_MULTI,
            AttachKind.URETPROBE_MULTI, AttachKind.USDT);
    /** The kinds that probe user space, although the kernel's program type for them is {@code KPROBE}. */
    private static final Set<AttachKind> USER_SPACE = EnumSet.of(AttachKind.UPROBE, AttachKind.URETPROBE,
            AttachKind.UPROBE_MULTI, AttachKind.URETPROBE_MULTI, AttachKind.UPROBE_SESSION, AttachKind.USDT);

    /**
     * The iterator targets that walk a map given at attach time: the kernel refuses their links without one, so
     * {@code attach()} leaves them out and {@link BpfProgram#attachIterator(BpfMap)} attaches them.
     */
    private static final Set<String> MAP_ITERATORS = Set.of("bpf_map_elem", "bpf_sk_storage_map", "sockmap");

    /** A function name, optionally followed by a byte offset into it, as probe sections give it. */
    private static final Pattern FUNCTION_OFFSET = Pattern.compile("([^+\\s]+)(?:\\+(0[xX][0-9a-fA-F]+|\\d+))?");
    /** A uprobe's function given as a number: an offset into the binary. */
    private static final Pattern FILE_OFFSET = Pattern.compile("0[xX][0-9a-fA-F]+|\\d+");

    private ProgramAttachment() {}

    /**
     * A call of a {@link BpfProgram} method that attaches a program.
     *
     * @param link    the Javadoc link to the method, e.g. {@code BpfProgram#attachXdp(String)}
     * @param example the call with example arguments, e.g. {@code attachXdp("eth0")}
     */
    record Call(CodeBlock link, String example) {}

    private static AttachKind kind(ProgramSpec program) {
        return program.sectionDef().map(SectionDef::attachKind).orElse(AttachKind.MANUAL);
    }

    /**
     * Whether the program's section is of a kind that never names a target (an interface, a cgroup, a perf event
     * ...), so that another method than {@code attach()} attaches it.
     */
    private static boolean namesNoTarget(ProgramSpec program) {
        AttachKind kind = kind(program);
        return program.sectionDef().isPresent() && (kind == AttachKind.MANUAL || kind == AttachKind.PERF_EVENT);
    }

    /**
     * Whether {@code attach()} attaches the program: its section is of a kind that names targets, and names one in
     * the form that kind needs.
     */
    static boolean bySection(ProgramSpec program) {
        return BY_SECTION.contains(kind(program)) && !program.attachTarget().isEmpty() && !walksAMap(program)
                && malformedTarget(program).isEmpty();
    }

    /**
     * The form the program's section should give its target, when it names one that {@code attach()} cannot read:
     * {@code SEC("uretprobe/readline")} (libbpf-tools' bashreadline, which attaches in C code) names a function but
     * no binary. The runtime then refuses the whole {@code attachAll()}, not just this program. These are the rules
     * of the runtime's section parser, whose package is internal; {@code ProgramAttachmentTest} holds the two
     * together.
     *
     * @return e.g. {@code <binary>:<function>[+<offset>]}; empty when the target is fine or there is none
     */
    static Optional<String> malformedTarget(ProgramSpec program) {
        String target = program.attachTarget();
        if (target.isEmpty()) {
            return Optional.empty();
        }
        return switch (kind(program)) {
            case TRACEPOINT -> {
                int slash = target.indexOf('/');
                yield slash <= 0 || slash == target.length() - 1 ? Optional.of("<category>/<name>")
                        : Optional.empty();
            }
            case KPROBE -> functionAndOffset(target, false) ? Optional.empty() : Optional.of("<function>[+<offset>]");
            case KRETPROBE -> functionAndOffset(target, true) ? Optional.empty() : Optional.of("<function>");
            case UPROBE, URETPROBE -> {
                boolean ret = kind(program) == AttachKind.URETPROBE;
                String form = ret ? "<binary>:<function>" : "<binary>:<function>[+<offset>]";
                int colon = target.indexOf(':');
                if (colon <= 0 || colon == target.length() - 1) {
                    yield Optional.of(form);
                }
                String function = target.substring(colon + 1);
                yield FILE_OFFSET.matcher(function).matches() || functionAndOffset(function, ret) ? Optional.empty()
                        : Optional.of(form);
            }
            case UPROBE_MULTI, URETPROBE_MULTI -> {
                int colon = target.indexOf(':');
                yield colon <= 0 || colon == target.length() - 1 ? Optional.of("<binary>:<pattern>")
                        : Optional.empty();
            }
            case USDT -> {
                String[] parts = target.split(":", -1);
                yield parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()
                        ? Optional.of("<binary>:<provider>:<name>") : Optional.empty();
            }
            default -> Optional.empty();
        };
    }

    /** {@code function[+offset]}; a return probe fires at the return, so it takes no offset other than 0. */
    private static boolean functionAndOffset(String text, boolean ret) {
        Matcher m = FUNCTION_OFFSET.matcher(text);
        return m.matches() && (!ret || m.group(2) == null || Long.decode(m.group(2)) == 0);
    }

    private static boolean walksAMap(ProgramSpec program) {
        return kind(program) == AttachKind.ITERATOR && MAP_ITERATORS.contains(program.attachTarget());
    }

    /**
     * The program's type for its accessor's Javadoc, e.g. {@code , type XDP}; for a uprobe or USDT probe, why the
     * type says {@code KPROBE}.
     */
    static String typeText(ProgramSpec program) {
        if (program.type().isEmpty()) {
            return "";
        }
        String text = ", type " + program.type().get();
        AttachKind kind = kind(program);
        if (program.type().get() == ProgramType.KPROBE && USER_SPACE.contains(kind)) {
            text += kind == AttachKind.USDT ? " (the kernel's program type for uprobes, which USDT probes are)"
                    : " (the kernel's program type for uprobes too)";
        }
        return text;
    }

    /**
     * How the program attaches, for its accessor's Javadoc: {@code attach()} for a section that names a target, the
     * method to call for one whose kind never names a target (an interface, a cgroup, ...); empty when the spec
     * does not settle it.
     */
    static Optional<CodeBlock> doc(ProgramSpec program) {
        if (walksAMap(program)) {
            return Optional.of(CodeBlock.of("It walks the elements of a map it is given, so {@link #attach()} leaves"
                    + " it out: attach it with {@link $T#attachIterator($T)}, then read a pass with {@link"
                    + " $T#openIterator()}.", BpfProgram.class, BpfMap.class, BpfLink.class));
        }
        if (kind(program) == AttachKind.ITERATOR && bySection(program)) {
            return Optional.of(CodeBlock.of("{@link #attach()} attaches it where its section says, {@code $L}"
                    + " (every one; {@link $T#attachIterator($T)} limits it); read a pass with {@link"
                    + " $T#openIterator()} on its link.", RecordGenerator.javadocText(program.attachTarget()),
                    BpfProgram.class, IteratorOptions.class, BpfLink.class));
        }
        if (bySection(program)) {
            return Optional.of(CodeBlock.of("{@link #attach()} attaches it where its section says, {@code $L}.",
                    RecordGenerator.javadocText(program.attachTarget())));
        }
        Optional<String> form = malformedTarget(program);
        if (form.isPresent()) {
            CodeBlock with = manualCall(program).map(c -> CodeBlock.of("{@link $L}", c.link()))
                    .orElse(CodeBlock.of("the {@link $T} method that takes its target", BpfProgram.class));
            return Optional.of(CodeBlock.of("Its section names {@code $L}, not a target of the form {@code $L}, so"
                    + " {@link #attach()} throws and attaches no program of this object: attach this one with $L,"
                    + " and the others through their accessors.",
                    RecordGenerator.javadocText(program.attachTarget()), RecordGenerator.javadocText(form.get()),
                    with));
        }
        Optional<Call> call = manualCall(program);
        if (call.isEmpty() && !namesNoTarget(program)) {
            return Optional.empty();
        }
        return Optional.of(call.map(c -> CodeBlock.of("Its section names no target, so {@link #attach()} leaves it"
                + " out: attach it with {@link $L}.", c.link()))
                .orElse(CodeBlock.of("Its section names no target, so {@link #attach()} leaves it out; the report it"
                        + " returns says why.")));
    }

    /**
     * The Javadoc of the generated {@code attach()}, naming what it does with each program: those it attaches, those
     * it leaves out (with the method that attaches each), or, when a section names a target it cannot read, that it
     * throws.
     *
     * @param accessors the name of each program's accessor, in the order of {@code programs}
     */
    static CodeBlock attachDoc(List<ProgramSpec> programs, List<String> accessors) {
        List<String> attached = new ArrayList<>();
        List<CodeBlock> leftOut = new ArrayList<>();
        List<CodeBlock> malformed = new ArrayList<>();
        for (int i = 0; i < programs.size(); i++) {
            ProgramSpec program = programs.get(i);
            String link = "{@link #" + accessors.get(i) + "()}";
            Optional<String> form = malformedTarget(program);
            if (form.isPresent()) {
                malformed.add(CodeBlock.of("$L, whose section {@code $L} does not name its target as {@code $L}", link,
                        RecordGenerator.javadocText(program.sectionName()), RecordGenerator.javadocText(form.get())));
            } else if (bySection(program)) {
                attached.add(link);
            } else {
                leftOut.add(manualCall(program).map(c -> CodeBlock.of("$L ({@link $L})", link, c.link()))
                        .orElse(CodeBlock.of("$L", link)));
            }
        }
        CodeBlock.Builder doc = CodeBlock.builder();
        if (!malformed.isEmpty()) {
            doc.add("Throws without attaching anything while a program whose section names a target it cannot read"
                    + " is loaded: $L. Attach the programs through their accessors instead; their links close with"
                    + " this object.\n\n", join(malformed));
            doc.add("@return the links made, and the programs left out with how to attach each, only when {@link"
                    + " Options#configure} leaves such a program out of the load\n");
            return doc.add("@throws io.github.bpf2java.ebpf.error.BpfException while such a program is loaded,"
                    + " naming its section; when the kernel refuses an attachment\n").build();
        }
        if (attached.isEmpty()) {
            doc.add("Attaches nothing: no program's section says where it goes.");
        } else {
            doc.add("Attaches $L where $L; the links close with this object.", join(attached.stream()
                    .map(a -> CodeBlock.of("$L", a)).toList()), attached.size() == 1 ? "its section says"
                            : "their sections say");
        }
        if (!leftOut.isEmpty()) {
            doc.add(" Leaves out $L, whose section$L not say where to attach: the report lists $L with the method"
                    + " that attaches $L.", join(leftOut), leftOut.size() == 1 ? " does" : "s do",
                    leftOut.size() == 1 ? "it" : "them", leftOut.size() == 1 ? "it" : "each");
        }
        return doc.add("\n\n@return the links made, and the programs left out with how to attach each\n")
                .add("@throws io.github.bpf2java.ebpf.error.BpfException when the kernel refuses an attachment (the"
                        + " links made until then are closed)\n").build();
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    private static CodeBlock join(List<CodeBlock> parts) {
        CodeBlock.Builder text = CodeBlock.builder();
        for (int i = 0; i < parts.size(); i++) {
            text.add(i == 0 ? "" : i == parts.size() - 1 ? " and " : ", ").add(parts.get(i));
        }
        return text.build();
    }

    /**
     * The method that attaches a program whose section names no target, or one {@code attach()} cannot read: by
     * the section's kind, or by the program type for kinds that never name one.
     */
    static Optional<Call> manualCall(ProgramSpec program) {
        if (program.sectionDef().isPresent() && (program.attachTarget().isEmpty()
                || malformedTarget(program).isPresent())) {
            Optional<Call> byKind = forKindWithoutTarget(kind(program));
            if (byKind.isPresent()) {
                return byKind;
            }
        }
        if (!namesNoTarget(program) || program.type().isEmpty()) {
            return Optional.empty();
        }
        return switch (program.type().get()) {
            case XDP -> Optional.of(new Call(CodeBlock.of("$T#attachXdp(String)", BpfProgram.class),
                    "attachXdp(\"eth0\")"));
            case SCHED_CLS, SCHED_ACT -> Optional.of(new Call(CodeBlock.of("$T#attachTcx(String, $T)",
                    BpfProgram.class, TcxOptions.class), "attachTcx(\"eth0\", TcxOptions."
                            + (program.expectedAttachType().equals(Optional.of(AttachType.TCX_EGRESS)) ? "egress()"
                                    : "ingress()") + ")"));
            case CGROUP_SKB, CGROUP_SOCK, CGROUP_SOCK_ADDR, CGROUP_DEVICE, CGROUP_SYSCTL, CGROUP_SOCKOPT, SOCK_OPS,
                    LSM -> Optional.of(new Call(CodeBlock.of("$T#attachCgroup($T)", BpfProgram.class, Path.class),
                            "attachCgroup(Path.of(\"/sys/fs/cgroup\"))"));
            case SOCKET_FILTER -> Optional.of(new Call(CodeBlock.of("$T#attachSocketFilter($T)", BpfProgram.class,
                    NetworkChannel.class), "attachSocketFilter(channel)"));
            case SK_SKB, SK_MSG -> Optional.of(new Call(CodeBlock.of("$T#attachSocketMap($T)", BpfProgram.class,
                    BpfMap.class), "attachSocketMap(sockmap)"));
            case SK_REUSEPORT -> Optional.of(new Call(CodeBlock.of("$T#attachReuseport($T)", BpfProgram.class,
                    NetworkChannel.class), "attachReuseport(channel)"));
            case SK_LOOKUP, FLOW_DISSECTOR -> Optional.of(new Call(CodeBlock.of("$T#attachNetworkNamespace($T)",
                    BpfProgram.class, Path.class), "attachNetworkNamespace(Path.of(\"/proc/self/ns/net\"))"));
            case NETFILTER -> Optional.of(new Call(CodeBlock.of("$T#attachNetfilter($T)", BpfProgram.class,
                    NetfilterOptions.class), "attachNetfilter(options)"));
            case PERF_EVENT -> Optional.of(new Call(CodeBlock.of("$T#attachPerfEventOnEveryCpu($T)",
                    BpfProgram.class, PerfEventSpec.class), "attachPerfEventOnEveryCpu(PerfEventSpec.software("
                            + "SoftwareEvent.CPU_CLOCK).sampleFrequency(99))"));
            default -> Optional.empty();
        };
    }

    /**
     * The method for a section of a kind that names targets but names none ({@code SEC("usdt")},
     * {@code SEC("tracepoint")}, {@code SEC("uprobe")}, ...): the program is attached where Java says.
     */
    private static Optional<Call> forKindWithoutTarget(AttachKind kind) {
        return switch (kind) {
            case TRACEPOINT -> call("attachTracepoint(String, String)", "attachTracepoint(\"syscalls\", "
                    + "\"sys_enter_openat\")");
            case RAW_TRACEPOINT -> call("attachRawTracepoint(String)", "attachRawTracepoint(\"sys_enter\")");
            case KPROBE -> call("attachKprobe(String)", "attachKprobe(\"do_unlinkat\")");
            case KRETPROBE -> call("attachKretprobe(String)", "attachKretprobe(\"do_unlinkat\")");
            case KSYSCALL -> call("attachKsyscall(String)", "attachKsyscall(\"openat\")");
            case KRETSYSCALL -> call("attachKretsyscall(String)", "attachKretsyscall(\"openat\")");
            case KPROBE_MULTI -> call("attachKprobeMulti(String)", "attachKprobeMulti(\"tcp_v4_*\")");
            case KRETPROBE_MULTI -> call("attachKretprobeMulti(String)", "attachKretprobeMulti(\"tcp_v4_*\")");
            case UPROBE -> call("attachUprobe(String, String)", "attachUprobe(\"libc.so.6\", \"malloc\")");
            case URETPROBE -> call("attachUretprobe(String, String)", "attachUretprobe(\"libc.so.6\", \"malloc\")");
            case USDT -> call("attachUsdt(String, String, String)", "attachUsdt(\"/path/to/binary\", \"provider\", "
                    + "\"probe\")");
            default -> Optional.empty();
        };
    }

    private static Optional<Call> call(String signature, String example) {
        return Optional.of(new Call(CodeBlock.of("$T#" + signature, BpfProgram.class), example));
    }
}

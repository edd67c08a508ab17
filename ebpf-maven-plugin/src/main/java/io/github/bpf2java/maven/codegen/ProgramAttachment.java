package io.github.bpf2java.maven.codegen;

import com.palantir.javapoet.CodeBlock;
import io.github.bpf2java.ebpf.AttachReport;
import io.github.bpf2java.ebpf.BpfLink;
import io.github.bpf2java.ebpf.BpfMap;
import io.github.bpf2java.ebpf.BpfProgram;
import io.github.bpf2java.ebpf.attach.IteratorOptions;
import io.github.bpf2java.ebpf.attach.NetfilterOptions;
import io.github.bpf2java.ebpf.attach.PerfEventSpec;
import io.github.bpf2java.ebpf.attach.TcOptions;
import io.github.bpf2java.ebpf.attach.TcxOptions;
import io.github.bpf2java.ebpf.attach.UprobeOptions;
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

/**
 * What the generated class says about attaching a program, decided from the public spec alone: whether the runtime's
 * {@code attach()} attaches it, leaves it out or refuses its section ({@link AttachReport#plan}, the runtime's own
 * reading of the section), and the method that attaches one it leaves out, by the section-name table's
 * {@link SectionDef#attachKind() attach kind}. Only what these settle is said; a case they leave open is left to the
 * {@code AttachReport} that {@code attach()} returns, which names the method for every program it leaves out.
 */
final class ProgramAttachment {
    /** The kinds that probe user space, although the kernel's program type for them is {@code KPROBE}. */
    private static final Set<AttachKind> USER_SPACE = EnumSet.of(AttachKind.UPROBE, AttachKind.URETPROBE,
            AttachKind.UPROBE_MULTI, AttachKind.URETPROBE_MULTI, AttachKind.UPROBE_SESSION, AttachKind.USDT);

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

    /** What the runtime's {@code attach()} does with the program, decided from its section as the runtime does. */
    private static AttachReport.Plan plan(ProgramSpec program) {
        return AttachReport.plan(program);
    }

    /** Whether {@code attach()} attaches the program where its section says. */
    static boolean bySection(ProgramSpec program) {
        return plan(program).outcome() == AttachReport.Plan.Outcome.ATTACHED;
    }

    /**
     * What is wrong with the target the program's section names, when {@code attach()} cannot read it:
     * {@code SEC("uretprobe/readline")} (libbpf-tools' bashreadline, which attaches in C code) names a function but
     * no binary. The runtime then refuses the whole {@code attachAll()}, not just this program.
     *
     * @return e.g. {@code does not name its target as <binary>:<function>[+<offset>]}; empty when the target is
     *     fine or there is none
     */
    static Optional<String> malformedTarget(ProgramSpec program) {
        AttachReport.Plan plan = plan(program);
        return plan.outcome() == AttachReport.Plan.Outcome.REFUSED ? Optional.of(plan.detail()) : Optional.empty();
    }

    /**
     * The runtime's words as Javadoc prose: the form they end with ({@code as <binary>:<function>}) in
     * {@code {@code}}, where its placeholders are not taken for HTML tags.
     */
    private static String prose(String text) {
        int form = text.indexOf('<');
        return form < 0 ? RecordGenerator.javadocText(text)
                : RecordGenerator.javadocText(text.substring(0, form)) + "{@code "
                        + RecordGenerator.javadocText(text.substring(form)) + "}";
    }

    /** An iterator of a map, which it is given at attach time: the kernel refuses its link without one. */
    private static boolean walksAMap(ProgramSpec program) {
        return kind(program) == AttachKind.ITERATOR && plan(program).outcome() == AttachReport.Plan.Outcome.LEFT_OUT;
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
            return Optional.of(program.attachTarget().isEmpty()
                    ? CodeBlock.of("{@link #attach()} attaches it to the target it was loaded for.")
                    : CodeBlock.of("{@link #attach()} attaches it where its section says, {@code $L}.",
                            RecordGenerator.javadocText(program.attachTarget())));
        }
        Optional<String> problem = malformedTarget(program);
        if (problem.isPresent()) {
            CodeBlock with = manualCall(program).map(c -> CodeBlock.of("{@link $L}", c.link()))
                    .orElse(CodeBlock.of("the {@link $T} method that takes its target", BpfProgram.class));
            return Optional.of(CodeBlock.of("Its section {@code $L} $L, so {@link #attach()} throws and attaches no"
                    + " program of this object: attach this one with $L, and the others through their accessors.",
                    RecordGenerator.javadocText(program.sectionName()), prose(problem.get()), with));
        }
        Optional<Call> call = manualCall(program);
        if (call.isEmpty() && !namesNoTarget(program)) {
            return Optional.empty();
        }
        // tcx is Linux 6.6+; a tc program attaches through legacy tc (cls_bpf) on any kernel too.
        CodeBlock legacyTc = program.type().equals(Optional.of(ProgramType.SCHED_CLS))
                ? CodeBlock.of(" on Linux 6.6 and later, or with {@link $T#attachTc(String, $T)} (legacy tc) on any"
                        + " kernel", BpfProgram.class, TcOptions.class)
                : CodeBlock.of("");
        return Optional.of(call.map(c -> CodeBlock.of("Its section names no target, so {@link #attach()} leaves it"
                + " out: attach it with {@link $L}$L.", c.link(), legacyTc))
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
            Optional<String> problem = malformedTarget(program);
            if (problem.isPresent()) {
                malformed.add(CodeBlock.of("$L, whose section {@code $L} $L", link,
                        RecordGenerator.javadocText(program.sectionName()), prose(problem.get())));
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
            case UPROBE_MULTI -> Optional.of(new Call(CodeBlock.of("$T#attachUprobeMulti(String, String, $T)",
                    BpfProgram.class, UprobeOptions.class), "attachUprobeMulti(\"libc.so.6\", \"pthread_mutex_*\", "
                            + "UprobeOptions.defaults())"));
            case URETPROBE_MULTI -> Optional.of(new Call(CodeBlock.of("$T#attachUretprobeMulti(String, String, $T)",
                    BpfProgram.class, UprobeOptions.class), "attachUretprobeMulti(\"libc.so.6\", "
                            + "\"pthread_mutex_*\", UprobeOptions.defaults())"));
            case USDT -> call("attachUsdt(String, String, String)", "attachUsdt(\"/path/to/binary\", \"provider\", "
                    + "\"probe\")");
            default -> Optional.empty();
        };
    }

    private static Optional<Call> call(String signature, String example) {
        return Optional.of(new Call(CodeBlock.of("$T#" + signature, BpfProgram.class), example));
    }
}

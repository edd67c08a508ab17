package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.btf.Btf;
import io.github.bpf2java.ebpf.btf.BtfType;
import io.github.bpf2java.ebpf.core.CoreMode;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.NotFoundException;
import io.github.bpf2java.ebpf.error.ObjectFormatException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.asm.Instructions;
import io.github.bpf2java.ebpf.internal.asm.Opcodes;
import io.github.bpf2java.ebpf.internal.bpf.BtfExtRecords;
import io.github.bpf2java.ebpf.internal.bpf.ProgramFlag;
import io.github.bpf2java.ebpf.internal.bpf.ProgramLoadRequest;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.core.CoreOutcome;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.probe.KernelFeature;
import io.github.bpf2java.ebpf.internal.probe.KernelFeatures;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.FunctionSpec.CoreRelocation;
import io.github.bpf2java.ebpf.spec.FunctionSpec.FuncInfo;
import io.github.bpf2java.ebpf.spec.FunctionSpec.LineInfo;
import io.github.bpf2java.ebpf.spec.ObjectSpec;
import io.github.bpf2java.ebpf.spec.ProgramSpec;
import io.github.bpf2java.ebpf.spec.ProgramType;
import io.github.bpf2java.ebpf.spec.Relocation;
import io.github.bpf2java.ebpf.spec.SectionDef;
import io.github.bpf2java.ebpf.spec.SectionDef.AttachKind;
import io.github.bpf2java.ebpf.spec.SectionTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Loads one linked, relocated program: decides its type and expected attach type (from the section name, or from
 * the caller for sections the naming table does not know), finds the kernel BTF id a BTF-typed program attaches
 * to, resolves its CO-RE relocations in user space (or hands them to the kernel, {@code CoreMode.KERNEL}), and
 * hands the kernel the program's BTF and function and line info (so verifier logs show source lines).
 */
public final class ProgramLoader {
    private static final System.Logger LOG = System.getLogger(ProgramLoader.class.getName());
    private static final int FUNC_INFO_SIZE = 8;
    private static final int LINE_INFO_SIZE = 16;
    private static final int CORE_RELO_SIZE = 16;

    private final ObjectSpec spec;
    private final Optional<Fd> btfFd;
    private final Optional<Btf> btf;
    private final LoadSettings options;
    private final Collection<StructOpsLayout> structOps;
    private final UserSpaceCore core;
    // The programs load() loaded for uprobe.multi links: decided once per program, there, and read by the object.
    private final Set<String> loadedForUprobeMulti = new LinkedHashSet<>();

    /**
     * @param btfFd     the object's BTF as loaded into the kernel
     * @param btf       the same BTF, to find CO-RE access strings' offsets in
     * @param structOps the object's struct_ops maps, which say what each struct_ops program implements
     */
    ProgramLoader(ObjectSpec spec, Optional<Fd> btfFd, Optional<Btf> btf, LoadSettings options,
            Collection<StructOpsLayout> structOps) {
        this.spec = spec;
        this.btfFd = btfFd;
        this.btf = btf;
        this.options = options;
        this.structOps = List.copyOf(structOps);
        this.core = new UserSpaceCore(spec, options.core());
    }

    /** The program type {@code program} loads as. */
    ProgramType typeOf(ProgramSpec program) {
        ProgramType override = options.programTypes().get(program.name());
        if (override != null) {
            return override;
        }
        lenientSectionWarning(spec.name(), program)
                .ifPresent(w -> LOG.log(LogOnce.level(System.Logger.Level.WARNING, w), w));
        return program.type().orElseThrow(() -> new BpfException("program '" + program.name() + "' of "
                + spec.name() + " is in section '" + program.sectionName()
                + "', whose name does not say what kind of program it is", unknownSectionHint(program), null));
    }

    /**
     * The warning for a program whose section name libbpf 1.x refuses but a lenient match recognised (e.g.
     * {@code xdp_sock}, {@code sk_lookup/dispatch}), naming the canonical section; empty for any other program.
     */
    public static Optional<String> lenientSectionWarning(String objectName, ProgramSpec program) {
        String section = program.sectionName().startsWith("?") ? program.sectionName().substring(1)
                : program.sectionName();
        if (program.sectionDef().isEmpty() || SectionTable.find(section).isPresent()) {
            return Optional.empty();
        }
        SectionDef def = program.sectionDef().get();
        return Optional.of("program '" + program.name() + "' of " + objectName + " is in section '" + section
                + "', which libbpf 1.x refuses; loading it as " + def.programType() + ", as SEC(\"" + def.prefix()
                + "\") says: write that to silence this warning");
    }

    private static String unknownSectionHint(ProgramSpec program) {
        String section = program.sectionName().startsWith("?") ? program.sectionName().substring(1)
                : program.sectionName();
        Optional<SectionDef> legacy = SectionTable.legacyPrefixMatch(section);
        if (legacy.isPresent()) {
            SectionDef def = legacy.get();
            String bare = def.exactMatch() ? def.prefix() : def.prefix().substring(0, def.prefix().length() - 1);
            return "libbpf before 1.0 read section names by their prefix and took '" + section + "' for a "
                    + def.programType() + " program ('" + bare + "'); current libbpf and bpf2java want the exact "
                    + "name: write SEC(\"" + bare + "\"), or name the type before loading: LoadOptions.builder()"
                    + ".programType(\"" + program.name() + "\", ProgramType." + def.programType() + ")";
        }
        return "use a libbpf section name such as SEC(\"tracepoint/<category>/<name>\"), SEC(\"xdp\") or "
                + "SEC(\"kprobe/<function>\"), or name the type before loading: "
                + "LoadOptions.builder().programType(\"" + program.name() + "\", ProgramType.<TYPE>)";
    }

    /**
     * Whether {@code program}, of a {@code SEC("usdt...")} section, loads for uprobe.multi links, as libbpf does
     * where the kernel has them: a probe's call sites then make one link, which closes in one step instead of one
     * uprobe each (about 0.1 s apiece). Such a program cannot be a perf-event uprobe any more, hence only where the
     * kernel has the links, and not for a program whose type the caller set.
     */
    private boolean loadsForUprobeMulti(ProgramSpec program) {
        return !options.programTypes().containsKey(program.name())
                && program.sectionDef().map(d -> d.attachKind() == AttachKind.USDT).orElse(false)
                && KernelFeatures.has(KernelFeature.UPROBE_MULTI_LINK);
    }

    /**
     * The names of the programs {@link #load} has loaded for uprobe.multi links ({@code SEC("uprobe.multi...")}, and
     * {@code SEC("usdt")} where the kernel has such links), in load order.
     */
    Set<String> loadedForUprobeMulti() {
        return Collections.unmodifiableSet(loadedForUprobeMulti);
    }

    /** Loads {@code linked} into the kernel. */
    Fd load(ProgramSpec program, LinkedProgram linked) {
        ProgramType type = typeOf(program);
        boolean userSpaceCore = options.core().mode() == CoreMode.USER_SPACE;
        List<CoreOutcome> poisoned = userSpaceCore ? core.relocate(program, linked) : List.of();
        ByteOrder order = linked.instructions().order();
        ProgramLoadRequest.Builder request = ProgramLoadRequest.builder(type, linked.instructions().toByteArray(),
                        spec.license().isEmpty() ? "" : spec.license())
                .name(program.name())
                .flags(flags(program))
                .kernVersion(spec.kernelVersion() != 0 ? spec.kernelVersion() : KernelVersion.running().code())
                .logLevel(options.logLevel());
        Optional<AttachType> expected = options.programTypes().containsKey(program.name())
                ? Optional.empty() : program.expectedAttachType();
        boolean uprobeMulti = loadsForUprobeMulti(program);
        if (uprobeMulti) {
            expected = Optional.of(AttachType.TRACE_UPROBE_MULTI);
        }
        expected.ifPresent(request::expectedAttachType);
        if (type == ProgramType.TRACING || type == ProgramType.LSM) {
            request.attachBtfId(attachBtfId(program, expected.orElse(null)));
        } else if (type == ProgramType.EXT) {
            FunctionReplacement replaced = options.replacements().get(program.name());
            if (replaced == null) {
                throw new BpfException("freplace program '" + program.name() + "' (section '"
                        + program.sectionName() + "') does not know which loaded program's function it replaces",
                        "load the target object first, then LoadOptions.builder().replaceFunction(\""
                                + program.name() + "\", target.program(\"entry\"), \""
                                + (program.attachTarget().isEmpty() ? "function" : program.attachTarget())
                                + "\")", null);
            }
            request.attachTarget(replaced.program()).attachBtfId(replaced.btfId());
        }
        if (type == ProgramType.STRUCT_OPS) {
            // The kernel verifies these against the structure member they implement.
            StructOpsLayout layout = structOpsOf(program);
            request.attachBtfId(layout.kernelStructId())
                    .structOpsMember(layout.memberIndexes().get(program.name()));
        }
        if (btfFd.isPresent()) {
            request.btf(btfFd.get());
            if (!linked.funcInfos().isEmpty() && KernelAdaptation.takesFuncInfo()) {
                request.funcInfo(funcInfo(linked.funcInfos(), order));
                if (!linked.lineInfos().isEmpty()) {
                    request.lineInfo(lineInfo(linked.lineInfos(), order));
                }
            }
            if (!linked.coreRelocations().isEmpty() && !userSpaceCore) {
                request.coreRelocations(coreRelocations(program, linked.coreRelocations(), order));
            }
        } else if (!linked.coreRelocations().isEmpty() && !userSpaceCore) {
            KernelAdaptation.checkBtf(btf, spec, "program '" + program.name() + "' (CO-RE relocations)");
            throw new ObjectFormatException("program '" + program.name() + "' has CO-RE relocations but "
                    + spec.name() + " has no BTF for them", "compile with -g so clang emits .BTF", null);
        }
        try {
            Fd fd = Programs.load(request.build());
            if (expected.orElse(null) == AttachType.TRACE_UPROBE_MULTI) {
                loadedForUprobeMulti.add(program.name());
            }
            return fd;
        } catch (VerifierException rejected) {
            VerifierException e = core.explain(program, rejected, poisoned);
            if (e != rejected) {
                throw e;
            }
            List<String> missing = poisonedCalls(linked);
            if (missing.isEmpty() || !e.log().contains("#" + Relocator.POISONED_KFUNC_CALL)) {
                throw e;
            }
            throw new VerifierException(e.programName(), e.errno(), e.log(), e.truncated(), "the program calls "
                    + "__weak kernel function(s) " + missing + ", which the running kernel does not have; guard "
                    + "each call with if (bpf_ksym_exists(name)) so that the verifier drops it");
        } catch (PermissionException e) {
            if (!usesTrampoline(type, expected.orElse(null))) {
                throw e;
            }
            throw new PermissionException("the kernel refused " + type + " program '" + program.name()
                    + "' (section '" + program.sectionName() + "'): " + e.errnoName() + " although this process "
                    + "may load other programs", e.operation(), e.errno(), e.subject(),
                    "fentry, fexit, fmod_ret, LSM and freplace programs run through BPF trampolines, which some "
                            + "kernels and sandboxes refuse even to root (kernel lockdown, a security module, or a "
                            + "hypervisor's restrictions); tracepoints, raw tracepoints (tp_btf) or kprobes reach "
                            + "most of the same places");
        }
    }

    private StructOpsLayout structOpsOf(ProgramSpec program) {
        return structOps.stream().filter(l -> l.memberIndexes().containsKey(program.name())).findFirst()
                .orElseThrow(() -> new BpfException("struct_ops program '" + program.name() + "' of " + spec.name()
                        + " implements no member of a struct_ops map that is loaded", "refer to it from a "
                        + "SEC(\".struct_ops.link\") variable, e.g. .init = (void *)" + program.name()
                        + ", and load that map's programs with it", null));
    }

    /** The {@code __weak} kernel functions whose calls the relocator poisoned because the kernel lacks them. */
    private static List<String> poisonedCalls(LinkedProgram linked) {
        Instructions code = linked.instructions();
        return linked.relocations().stream()
                .filter(p -> p.relocation() instanceof Relocation.ExternReference ext && ext.weak()
                        && code.opcode(p.instruction()) == Opcodes.CALL
                        && code.immediate(p.instruction()) == Relocator.POISONED_KFUNC_CALL)
                .map(p -> ((Relocation.ExternReference) p.relocation()).symbolName())
                .distinct()
                .toList();
    }

    /** Program kinds the kernel runs through a trampoline: refused together where trampolines are not allowed. */
    private static boolean usesTrampoline(ProgramType type, AttachType expected) {
        return type == ProgramType.LSM || type == ProgramType.EXT || (type == ProgramType.TRACING
                && expected != AttachType.TRACE_RAW_TP && expected != AttachType.TRACE_ITER);
    }

    private static int flags(ProgramSpec program) {
        int flags = program.sleepable() ? ProgramFlag.SLEEPABLE.value() : 0;
        if (program.sectionDef().map(d -> d.prefix().startsWith("xdp.frags")).orElse(false)) {
            flags |= ProgramFlag.XDP_HAS_FRAGS.value();
        }
        return flags;
    }

    /** The kernel type a BTF-typed program attaches to, named after the section prefix the way libbpf names it. */
    private int attachBtfId(ProgramSpec program, AttachType expected) {
        String target = options.attachTargets().getOrDefault(program.name(), program.attachTarget());
        if (target.isEmpty()) {
            throw new BpfException("program '" + program.name() + "' in section '" + program.sectionName()
                    + "' does not name the kernel function or tracepoint it attaches to",
                    "name it in the section, e.g. SEC(\"tp_btf/sched_switch\") or SEC(\"fentry/do_unlinkat\")",
                    null);
        }
        String name;
        Class<? extends BtfType> kind;
        if (expected == AttachType.TRACE_RAW_TP) {
            name = "btf_trace_" + target;
            kind = BtfType.Typedef.class;
        } else if (expected == AttachType.TRACE_ITER) {
            name = "bpf_iter_" + target;
            kind = BtfType.Func.class;
        } else if (expected == AttachType.LSM_MAC || expected == AttachType.LSM_CGROUP) {
            name = "bpf_lsm_" + target;
            kind = BtfType.Func.class;
        } else {
            name = target;
            kind = BtfType.Func.class;
        }
        return KernelBtf.find(name, kind).map(BtfType::id).orElseThrow(() -> new NotFoundException("program '"
                + program.name() + "' (section '" + program.sectionName() + "') attaches to '" + name
                + "', which the running kernel's BTF does not have", "find attach target", Errno.ENOENT.number(),
                "kernel BTF " + name, "list what exists with: bpftool btf dump file " + KernelBtf.VMLINUX
                        + " | grep " + name));
    }

    private static BtfExtRecords funcInfo(List<FuncInfo> infos, ByteOrder order) {
        ByteBuffer out = ByteBuffer.allocate(FUNC_INFO_SIZE * infos.size()).order(order);
        for (FuncInfo info : infos) {
            out.putInt(info.instructionOffset()).putInt(info.typeId());
        }
        return new BtfExtRecords(FUNC_INFO_SIZE, out.array());
    }

    private static BtfExtRecords lineInfo(List<LineInfo> lines, ByteOrder order) {
        ByteBuffer out = ByteBuffer.allocate(LINE_INFO_SIZE * lines.size()).order(order);
        for (LineInfo line : lines) {
            // line_col packs the line above the 10-bit column, as in bpf_line_info.
            out.putInt(line.instructionOffset()).putInt(line.fileNameOffset()).putInt(line.lineOffset())
                    .putInt(line.lineNumber() << 10 | (line.column() & 0x3ff));
        }
        return new BtfExtRecords(LINE_INFO_SIZE, out.array());
    }

    private BtfExtRecords coreRelocations(ProgramSpec program, List<CoreRelocation> relocations, ByteOrder order) {
        Btf types = btf.orElseThrow();
        ByteBuffer out = ByteBuffer.allocate(CORE_RELO_SIZE * relocations.size()).order(order);
        for (CoreRelocation relocation : relocations) {
            int accessOffset = types.stringOffset(relocation.accessString()).orElseThrow(() ->
                    new ObjectFormatException("program '" + program.name() + "': CO-RE access string '"
                            + relocation.accessString() + "' is not in the object's BTF string table"));
            // Unlike func and line info, bpf_core_relo counts its instruction offset in bytes.
            out.putInt(relocation.instructionOffset() * 8).putInt(relocation.typeId()).putInt(accessOffset)
                    .putInt(relocation.kind().ordinal());
        }
        return new BtfExtRecords(CORE_RELO_SIZE, out.array());
    }
}

package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.probe.KernelFeature;
import io.github.bpf2java.ebpf.internal.probe.KernelFeatures;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;

/**
 * What the running kernel supports, found by asking it, as cilium/ebpf's {@code features} package and libbpf's
 * {@code libbpf_probe_bpf_*} functions do: a map of the type is created, a trivial program loaded, a few BTF types
 * loaded, and the outcome is the answer. Every descriptor a question opens is closed before it returns. Each answer
 * is cached for the life of the process; a question that could not be answered (a {@link PermissionException}) is
 * asked again next time.
 *
 * <p>The loader consults the same answers to adapt an object to an older kernel: it rewrites the object's BTF
 * without the kinds the kernel lacks, loads without BTF on a kernel that has none, and creates data maps without
 * {@code BPF_F_MMAPABLE} where the kernel cannot map them.
 *
 * <p>All methods throw {@link PermissionException} when the process may not load programs or create maps at all (no
 * {@code CAP_BPF} / {@code CAP_SYS_ADMIN}), since the question then has no answer.
 */
public final class BpfFeatures {
    private BpfFeatures() {}

    /**
     * Whether the kernel loads a trivial program of {@code type} ("return 0"). Types that cannot load without an
     * attach target (tracing, LSM, extension, struct_ops) answer false even where the kernel has them.
     */
    public static boolean supports(ProgramType type) {
        return KernelFeatures.hasProgramType(type);
    }

    /** Whether the kernel creates maps of {@code type} (e.g. {@code MapType.RINGBUF}: Linux 5.8). */
    public static boolean supports(MapType type) {
        return KernelFeatures.hasMapType(type);
    }

    /**
     * Whether programs of {@code type} may call the helper numbered {@code helperId} ({@code BPF_FUNC_*} in
     * {@code linux/bpf.h}, e.g. 130 for {@code bpf_ringbuf_output}); false when the kernel lacks the helper, forbids
     * it to that program type, or lacks the program type.
     */
    public static boolean supportsHelper(ProgramType type, int helperId) {
        return KernelFeatures.hasHelper(type, helperId);
    }

    /**
     * Whether the kernel loads programs of {@code type} for {@code attachType} (e.g. {@code CGROUP_SOCK_ADDR} for
     * {@code CGROUP_UNIX_CONNECT}, Linux 6.7). Only for the program types whose expected attach type the kernel
     * checks at load: {@code CGROUP_SKB}, {@code CGROUP_SOCK}, {@code CGROUP_SOCK_ADDR}, {@code CGROUP_SOCKOPT},
     * {@code SK_LOOKUP}, {@code SK_REUSEPORT} and {@code NETFILTER}.
     *
     * @throws IllegalArgumentException for other program types, where a load would not tell
     */
    public static boolean supports(ProgramType type, AttachType attachType) {
        return KernelFeatures.hasAttachType(type, attachType);
    }

    /** Whether the kernel has {@code feature}. */
    public static boolean supports(Feature feature) {
        return KernelFeatures.has(KernelFeature.valueOf(feature.name()));
    }

    /** Kernel capabilities beyond map and program types, each with the mainline release that brought it. */
    public enum Feature {
        /** BTF at all ({@code BPF_BTF_LOAD}), Linux 4.18. */
        BTF,
        /** BTF functions and prototypes, and with them func and line info for programs, Linux 5.0. */
        BTF_FUNC,
        /** Global linkage of BTF functions (global functions verified on their own), Linux 5.6. */
        BTF_GLOBAL_FUNC,
        /** BTF variables and data sections ({@code VAR}, {@code DATASEC}), Linux 5.2. */
        BTF_DATASEC,
        /** BTF floating-point types, Linux 5.13. */
        BTF_FLOAT,
        /** BTF declaration tags ({@code btf_decl_tag}), Linux 5.16. */
        BTF_DECL_TAG,
        /** BTF type tags ({@code btf_type_tag}, e.g. {@code __user}, {@code __percpu}), Linux 5.17. */
        BTF_TYPE_TAG,
        /** BTF 64-bit and signed enums, Linux 6.0. */
        BTF_ENUM64,
        /** Global variables in programs ({@code .data}, {@code .bss}, {@code .rodata}), Linux 5.2. */
        GLOBAL_DATA,
        /** Memory-mapped array maps ({@code BPF_F_MMAPABLE}), which globals are read through, Linux 5.5. */
        MMAPABLE_MAPS,
        /** Batch map operations ({@code BPF_MAP_LOOKUP_BATCH} and others), Linux 5.6. */
        BATCH_OPS,
        /** Links ({@code BPF_LINK_CREATE}), Linux 5.7. */
        BPF_LINK,
        /** Links for perf events (kprobes, uprobes, tracepoints), Linux 5.15. */
        PERF_LINK,
        /**
         * {@code uprobe.multi} links (many offsets of a binary in one link), with a pid filter that means the
         * process, Linux 6.6; {@link BpfProgram#attachUsdt} uses one per probe where there are.
         */
        UPROBE_MULTI_LINK,
        /** Bounded loops (backward jumps the verifier proves to end), Linux 5.3. */
        BOUNDED_LOOPS,
        /** Programs of more than 4096 instructions, Linux 5.2. */
        LARGE_PROGRAMS,
        /** Instruction set v2 (clang {@code -mcpu=v2}), Linux 4.14. */
        ISA_V2,
        /** Instruction set v3 (clang {@code -mcpu=v3}: 32-bit jumps), Linux 5.1. */
        ISA_V3,
        /** Instruction set v4 (clang {@code -mcpu=v4}: sign extension, signed division), Linux 6.6. */
        ISA_V4
    }
}

package io.github.bpf2java.ebpf.internal.probe;

/**
 * A kernel capability the loader adapts to, with the mainline release that brought it (for messages: distribution
 * kernels backport, so the probe decides, never the version).
 */
public enum KernelFeature {
    /** {@code BPF_BTF_LOAD}: the kernel takes type information at all. */
    BTF("BTF", "4.18"),
    /** {@code BTF_KIND_FUNC} and {@code BTF_KIND_FUNC_PROTO}, and with them func and line info for programs. */
    BTF_FUNC("BTF functions", "5.0"),
    /** Global linkage of {@code BTF_KIND_FUNC} (global functions verified on their own). */
    BTF_GLOBAL_FUNC("BTF global function linkage", "5.6"),
    /** {@code BTF_KIND_VAR} and {@code BTF_KIND_DATASEC}. */
    BTF_DATASEC("BTF variables and data sections", "5.2"),
    /** {@code BTF_KIND_FLOAT}. */
    BTF_FLOAT("BTF floating-point types", "5.13"),
    /** {@code BTF_KIND_DECL_TAG}. */
    BTF_DECL_TAG("BTF declaration tags", "5.16"),
    /** {@code BTF_KIND_TYPE_TAG}. */
    BTF_TYPE_TAG("BTF type tags", "5.17"),
    /** {@code BTF_KIND_ENUM64} and signed enums ({@code kind_flag} of an enum). */
    BTF_ENUM64("BTF 64-bit and signed enums", "6.0"),
    /** Global variables: {@code BPF_PSEUDO_MAP_VALUE} loads of an array map's value. */
    GLOBAL_DATA("global data", "5.2"),
    /** {@code BPF_F_MMAPABLE} array maps. */
    MMAPABLE_MAPS("memory-mapped array maps", "5.5"),
    /** {@code BPF_MAP_LOOKUP_BATCH} and the other batch commands. */
    BATCH_OPS("batch map operations", "5.6"),
    /** {@code BPF_LINK_CREATE}: programs attached through link objects. */
    BPF_LINK("bpf_link", "5.7"),
    /** {@code BPF_LINK_CREATE} for perf events (kprobes, uprobes, tracepoints through links). */
    PERF_LINK("perf event links", "5.15"),
    /**
     * {@code BPF_TRACE_UPROBE_MULTI} links (one link, many offsets of one binary) whose pid filter means the
     * process, as it does from the fix that made a negative pid an error (in 6.6's stable updates).
     */
    UPROBE_MULTI_LINK("uprobe.multi links", "6.6"),
    /** Backward jumps the verifier proves to end (bounded loops). */
    BOUNDED_LOOPS("bounded loops", "5.3"),
    /** Programs of more than 4096 instructions (up to a million for privileged loaders). */
    LARGE_PROGRAMS("programs over 4096 instructions", "5.2"),
    /** Instruction set v2 ({@code -mcpu=v2}: {@code JLT}, {@code JLE}, {@code JSLT}, {@code JSLE}). */
    ISA_V2("instruction set v2", "4.14"),
    /** Instruction set v3 ({@code -mcpu=v3}: 32-bit jumps). */
    ISA_V3("instruction set v3", "5.1"),
    /** Instruction set v4 ({@code -mcpu=v4}: sign extension, signed division, byte swaps, long jumps). */
    ISA_V4("instruction set v4", "6.6");

    private final String description;
    private final String since;

    KernelFeature(String description, String since) {
        this.description = description;
        this.since = since;
    }

    /** What it is, for messages, e.g. {@code BTF type tags}. */
    public String description() {
        return description;
    }

    /** The mainline release that brought it, e.g. {@code 5.17}. */
    public String since() {
        return since;
    }
}

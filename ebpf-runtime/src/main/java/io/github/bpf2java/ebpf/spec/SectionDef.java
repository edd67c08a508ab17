package io.github.bpf2java.ebpf.spec;

import java.util.Optional;

/**
 * One entry of the section-name table (libbpf's conventions): a section name, or a prefix of one, and what it means
 * for loading and attaching.
 *
 * @param prefix             the section name or prefix, e.g. {@code tracepoint/} or {@code xdp}
 * @param programType        the program type
 * @param expectedAttachType the expected attach type given at load, if any
 * @param attachKind         how a program from this section attaches automatically
 * @param sleepable          whether programs in this section are sleepable
 * @param exactMatch         whether the section name must equal {@code prefix} (rather than start with it)
 */
public record SectionDef(
        String prefix,
        ProgramType programType,
        Optional<AttachType> expectedAttachType,
        AttachKind attachKind,
        boolean sleepable,
        boolean exactMatch) {

    /** How a program attaches, which decides what {@code attach()} does for it. */
    public enum AttachKind {
        /** Not attachable automatically (needs a target only the caller knows, e.g. an interface or cgroup). */
        MANUAL,
        TRACEPOINT,
        RAW_TRACEPOINT,
        BTF_TRACEPOINT,
        KPROBE,
        KRETPROBE,
        KSYSCALL,
        UPROBE,
        URETPROBE,
        USDT,
        TRACING,
        LSM,
        ITERATOR,
        PERF_EVENT,
        STRUCT_OPS
    }
}

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

    /**
     * Whether a section named {@code sectionName} matches this entry: equal to {@link #prefix()} for exact entries;
     * for the others equal to the prefix without its trailing {@code /}, or starting with the prefix (libbpf's
     * {@code type+} rule).
     */
    public boolean matches(String sectionName) {
        if (exactMatch) {
            return sectionName.equals(prefix);
        }
        return sectionName.startsWith(prefix) || sectionName.equals(prefix.substring(0, prefix.length() - 1));
    }

    /** What {@code sectionName} names after the prefix, e.g. {@code syscalls/sys_enter_execve}; may be empty. */
    public String attachTarget(String sectionName) {
        if (exactMatch || !sectionName.startsWith(prefix)) {
            return "";
        }
        return sectionName.substring(prefix.length());
    }

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
        /** {@code kretsyscall/}: a return probe on a syscall's kernel entry. */
        KRETSYSCALL,
        /** {@code kprobe.multi/}: many kprobes by name pattern in one link. */
        KPROBE_MULTI,
        /** {@code kretprobe.multi/}. */
        KRETPROBE_MULTI,
        /** {@code kprobe.session/}: entry and return in one program. */
        KPROBE_SESSION,
        UPROBE,
        URETPROBE,
        /** {@code uprobe.multi/}. */
        UPROBE_MULTI,
        /** {@code uretprobe.multi/}. */
        URETPROBE_MULTI,
        /** {@code uprobe.session/}. */
        UPROBE_SESSION,
        USDT,
        TRACING,
        LSM,
        ITERATOR,
        PERF_EVENT,
        STRUCT_OPS
    }
}

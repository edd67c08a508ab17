package io.github.bpf2java.ebpf.internal.bpf;

import java.util.List;

/**
 * What {@code BPF_PROG_QUERY} reports for one target (a cgroup) and attach type: the programs attached there,
 * through {@code BPF_PROG_ATTACH} and through links alike, in the order they run.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param attachFlags the mode of the target's attachments at that type: {@code BPF_F_ALLOW_OVERRIDE} (1),
 *                    {@code BPF_F_ALLOW_MULTI} (2), or 0 (exclusive, or nothing attached)
 * @param programIds  the attached programs' system-wide ids
 */
public record AttachedPrograms(int attachFlags, List<Integer> programIds) {
    /** {@code BPF_F_ALLOW_OVERRIDE}. */
    public static final int ALLOW_OVERRIDE = 1;
    /** {@code BPF_F_ALLOW_MULTI}. */
    public static final int ALLOW_MULTI = 1 << 1;

    public AttachedPrograms {
        programIds = List.copyOf(programIds);
    }

    /** Whether the attachments there are in multi mode, where each is matched by its program on detach. */
    public boolean multi() {
        return (attachFlags & ALLOW_MULTI) != 0;
    }

    /** The mode in words, for messages: {@code ALLOW_MULTI}, {@code ALLOW_OVERRIDE} or {@code exclusive}. */
    public String mode() {
        return multi() ? "ALLOW_MULTI" : (attachFlags & ALLOW_OVERRIDE) != 0 ? "ALLOW_OVERRIDE" : "exclusive";
    }
}

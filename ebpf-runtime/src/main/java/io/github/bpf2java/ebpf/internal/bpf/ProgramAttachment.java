package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.util.Objects;
import java.util.Optional;

/**
 * The attributes of {@code BPF_PROG_ATTACH} and {@code BPF_PROG_DETACH}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param target           {@code target_fd} (a cgroup, socket map or netns descriptor) or, for tcx,
 *                         {@code target_ifindex}
 * @param targetName       what the target is, for messages, e.g. {@code cgroup /sys/fs/cgroup/app}
 * @param program          {@code attach_bpf_fd}
 * @param type             {@code attach_type}
 * @param flags            {@code attach_flags}: {@code BPF_F_ALLOW_OVERRIDE} (1), {@code BPF_F_ALLOW_MULTI} (2),
 *                         {@code BPF_F_REPLACE} (4), {@code BPF_F_BEFORE}/{@code AFTER}, ...
 * @param replace          {@code replace_bpf_fd}, with {@code BPF_F_REPLACE}
 * @param relativeFdOrId   {@code relative_fd} / {@code relative_id} for ordered (tcx, mprog) attachment
 * @param expectedRevision {@code expected_revision}, 0 for any
 */
public record ProgramAttachment(int target, String targetName, Fd program, AttachType type, int flags,
        Optional<Fd> replace, int relativeFdOrId, long expectedRevision) {

    public ProgramAttachment {
        Objects.requireNonNull(targetName, "targetName");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(replace, "replace");
    }

    /** A plain attachment of {@code program} to the descriptor {@code target}. */
    public static ProgramAttachment of(Fd target, Fd program, AttachType type, int flags) {
        return new ProgramAttachment(target.raw(), target.description(), program, type, flags, Optional.empty(), 0,
                0);
    }

    String describe() {
        return program.description() + " on " + targetName + " as " + type;
    }
}

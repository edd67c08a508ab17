package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.util.Objects;

/**
 * The attributes of {@code BPF_LINK_CREATE}.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param program    {@code prog_fd}
 * @param target     {@code target_fd} (a cgroup, netns, perf event or target program descriptor) or
 *                   {@code target_ifindex} (XDP, tcx, netkit); 0 where the attach type has none
 * @param targetName what the target is, for messages, e.g. {@code perf event tracepoint syscalls/sys_enter_execve}
 * @param type       {@code attach_type}
 * @param flags      {@code flags} (e.g. XDP mode flags, {@code BPF_F_BEFORE})
 * @param parameters the per-type part
 */
public record LinkCreateRequest(Fd program, int target, String targetName, AttachType type, int flags,
        LinkParameters parameters) {

    public LinkCreateRequest {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(targetName, "targetName");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(parameters, "parameters");
    }

    String describe() {
        return program.description() + " on " + targetName + " as " + type;
    }
}

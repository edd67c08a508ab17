package io.github.bpf2java.ebpf.internal.load;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.util.Objects;

/**
 * What an freplace ({@code BPF_PROG_TYPE_EXT}) program replaces: a global function of an already loaded program,
 * given at load as {@code attach_prog_fd} and the function's id in that program's BTF ({@code attach_btf_id}).
 *
 * @param program     the loaded program holding the function (not owned: it belongs to its object)
 * @param btfId       the function's {@code BTF_KIND_FUNC} id in that program's BTF
 * @param description e.g. {@code function 'decide' of program 'entry'}, for messages
 */
public record FunctionReplacement(Fd program, int btfId, String description) {
    public FunctionReplacement {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(description, "description");
    }
}

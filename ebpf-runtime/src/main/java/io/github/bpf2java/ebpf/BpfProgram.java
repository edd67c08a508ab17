package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.spec.ProgramType;

/** A program loaded into the kernel, owned by its {@link BpfObject}. */
public final class BpfProgram {
    // TODO(loader helper): implement.

    private BpfProgram() {}

    /** The C function name. */
    public String name() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The ELF section it came from. */
    public String sectionName() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The program type it was loaded as. */
    public ProgramType type() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** The program's file descriptor (valid until the object is closed). */
    public int fd() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Attaches where the section name says; the link is owned by the object. */
    public BpfLink attach() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Attaches to the tracepoint {@code category/name} (tracefs {@code events/category/name}). */
    public BpfLink attachTracepoint(String category, String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Attaches to a raw tracepoint (or, for {@code tp_btf}, the BTF tracepoint named at load). */
    public BpfLink attachRawTracepoint(String name) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}

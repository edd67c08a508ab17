package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An attachment held by kernel descriptors: a {@code bpf_link}, a raw tracepoint, or a perf event with the link
 * that binds the program to it. Closing releases them in reverse order of creation, which detaches the program.
 *
 * <p>Internal: created by {@link Attacher}; users see it through the facade's {@code BpfLink}.
 */
public final class KernelLink implements AutoCloseable {
    private final String description;
    private final List<Fd> descriptors;

    /**
     * @param description what the program is attached to, e.g. {@code tracepoint syscalls/sys_enter_execve}
     * @param descriptors the descriptors that hold the attachment, in creation order; owned from now on
     */
    public KernelLink(String description, List<Fd> descriptors) {
        this.description = description;
        this.descriptors = List.copyOf(descriptors);
    }

    /** What the program is attached to, for messages. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        List<Fd> reversed = new ArrayList<>(descriptors);
        Collections.reverse(reversed);
        reversed.forEach(Fd::close);
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + "]";
    }
}

package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An attachment held by kernel descriptors: a {@code bpf_link}, a raw tracepoint, or a perf event with the link
 * that binds the program to it. Closing releases them in reverse order of creation, which detaches the program.
 *
 * <p>Internal: created by {@link Attacher}; users see it through the facade's {@code BpfLink}.
 */
public final class KernelLink implements AutoCloseable {
    private static final Runnable NOTHING = () -> { };

    private final String description;
    private final List<Fd> descriptors;
    private final Runnable detach;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param description what the program is attached to, e.g. {@code tracepoint syscalls/sys_enter_execve}
     * @param descriptors the descriptors that hold the attachment, in creation order; owned from now on
     */
    public KernelLink(String description, List<Fd> descriptors) {
        this(description, descriptors, NOTHING);
    }

    /**
     * An attachment that closing descriptors alone does not undo (a tc filter, a legacy cgroup or socket
     * attachment): {@code detach} runs once, first, and may use {@code descriptors}, which are closed after it.
     */
    public KernelLink(String description, List<Fd> descriptors, Runnable detach) {
        this.description = description;
        this.descriptors = List.copyOf(descriptors);
        this.detach = detach;
    }

    /** What the program is attached to, for messages. */
    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Fd> reversed = new ArrayList<>(descriptors);
        Collections.reverse(reversed);
        try {
            detach.run();
        } finally {
            reversed.forEach(Fd::close);
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + "]";
    }
}

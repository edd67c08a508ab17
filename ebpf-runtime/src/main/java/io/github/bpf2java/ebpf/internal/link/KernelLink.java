package io.github.bpf2java.ebpf.internal.link;

import io.github.bpf2java.ebpf.internal.load.Closeables;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An attachment held by kernel resources: a {@code bpf_link}, a raw tracepoint, a perf event with the link that
 * binds the program to it, or several of those with a clean-up (a USDT attachment is one uprobe per call site and
 * spec ids to give back). Closing releases them in reverse order of creation, which detaches the program.
 *
 * <p>Where the attachment is one {@code bpf_link}, {@link #bpfLink()} gives it, so it can be pinned, queried,
 * updated and detached; otherwise {@link #whyNoBpfLink()} says why not.
 *
 * <p>Internal: created by {@link Attacher} and friends; users see it through the facade's {@code BpfLink}.
 */
public final class KernelLink implements AutoCloseable {
    private final String description;
    private final List<AutoCloseable> resources;
    private final Fd bpfLink;
    private final String whyNoBpfLink;
    private final String whyNoPin;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Held while the resources are released, so that a second close() returns only when they are.
    private final Object closeLock = new Object();

    private KernelLink(String description, List<? extends AutoCloseable> resources, Fd bpfLink,
            String whyNoBpfLink) {
        this(description, resources, bpfLink, whyNoBpfLink, null);
    }

    private KernelLink(String description, List<? extends AutoCloseable> resources, Fd bpfLink,
            String whyNoBpfLink, String whyNoPin) {
        this.whyNoPin = whyNoPin;
        this.description = Objects.requireNonNull(description, "description");
        this.resources = List.copyOf(resources);
        this.bpfLink = bpfLink;
        this.whyNoBpfLink = whyNoBpfLink;
    }

    /**
     * An attachment whose last descriptor is its {@code bpf_link} (the descriptors before it, e.g. a perf event,
     * live as long as the link).
     *
     * @param description what the program is attached to, e.g. {@code tracepoint syscalls/sys_enter_execve}
     * @param descriptors the descriptors that hold the attachment, in creation order; owned from now on
     */
    public KernelLink(String description, List<Fd> descriptors) {
        this(description, descriptors, descriptors.isEmpty() ? null : descriptors.get(descriptors.size() - 1),
                descriptors.isEmpty() ? "it holds no descriptor" : null);
    }

    /**
     * An attachment that closing descriptors alone does not undo (a tc filter, a legacy cgroup or socket
     * attachment): {@code detach} runs once, first, and may use {@code resources} (descriptors, or the netlink
     * socket that made the attachment), which are closed after it. It has no {@code bpf_link}.
     */
    public KernelLink(String description, List<? extends AutoCloseable> resources, Runnable detach) {
        this(description, detachFirst(resources, detach), null,
                "it is a legacy attachment (no bpf_link): closing it detaches the program");
    }

    private static List<AutoCloseable> detachFirst(List<? extends AutoCloseable> resources, Runnable detach) {
        List<AutoCloseable> all = new ArrayList<>(resources);
        all.add(detach::run); // the last resource is released first
        return all;
    }

    /** An attachment held by {@code resources}, among which {@code bpfLink}, closed in reverse order. */
    KernelLink(String description, List<? extends AutoCloseable> resources, Fd bpfLink) {
        this(description, resources, Objects.requireNonNull(bpfLink, "bpfLink"), null);
    }

    /** An attachment held by resources none of which is a {@code bpf_link}, for the reason given. */
    public static KernelLink withoutBpfLink(String description, List<? extends AutoCloseable> descriptors,
            String why) {
        return new KernelLink(description, descriptors, null, Objects.requireNonNull(why, "why"));
    }

    /**
     * An attachment made of several attachments (one per call site, CPU, ...) and a clean-up that runs after they
     * are closed; it has no single {@code bpf_link}. The parts are closed two at a time ({@link ConcurrentClose}):
     * each call site of a USDT probe is a uprobe, whose close waits for the kernel's RCU.
     */
    public static KernelLink composite(String description, List<KernelLink> parts, AutoCloseable cleanUp,
            String why) {
        List<KernelLink> lastFirst = new ArrayList<>(parts);
        Collections.reverse(lastFirst);
        List<AutoCloseable> all = new ArrayList<>();
        if (cleanUp != null) {
            all.add(cleanUp); // closed last: resources close in reverse order
        }
        all.add(() -> ConcurrentClose.closeAll(lastFirst));
        return new KernelLink(description, all, null, why);
    }

    /**
     * An attachment held by {@code link}'s {@code bpf_link} and user-space state that {@code cleanUp} releases after
     * it closes (a USDT probe's argument specs): it cannot be pinned, for {@code why}, since the pin would outlive
     * that state.
     */
    public static KernelLink withCleanUp(KernelLink link, AutoCloseable cleanUp, String why) {
        Fd fd = link.bpfLink().orElseThrow(() -> new IllegalArgumentException(link + " has no bpf_link"));
        return new KernelLink(link.description(), List.of(cleanUp, link), fd, null,
                Objects.requireNonNull(why, "why"));
    }

    /** Why the attachment cannot be pinned though it has a {@code bpf_link}; empty when it can. */
    public Optional<String> whyNoPin() {
        return Optional.ofNullable(whyNoPin);
    }

    /** What the program is attached to, for messages. */
    public String description() {
        return description;
    }

    /** The {@code bpf_link} that holds the attachment, when it is one. */
    public Optional<Fd> bpfLink() {
        return Optional.ofNullable(bpfLink);
    }

    /** Why {@link #bpfLink()} is empty, for messages; empty when it is not. */
    public Optional<String> whyNoBpfLink() {
        return Optional.ofNullable(whyNoBpfLink);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Releases every resource, the last created first; later calls do nothing, and one made while another thread is
     * releasing them returns when that has finished.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            closeOnce();
        }
    }

    private void closeOnce() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        Collections.reverse(reversed);
        Closeables.closeAll(reversed);
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + "]";
    }
}

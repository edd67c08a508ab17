package io.github.bpf2java.ebpf;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.error.BpfException;
import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.NotSupportedException;
import io.github.bpf2java.ebpf.internal.bpf.LinkInfo;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.ObjectIds;
import io.github.bpf2java.ebpf.internal.bpf.ProgramInfo;
import io.github.bpf2java.ebpf.internal.bpf.Pins;
import io.github.bpf2java.ebpf.internal.link.KernelLink;
import io.github.bpf2java.ebpf.internal.syscall.DescriptorInputStream;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An attachment of a program to a hook. Closing it detaches the program (unless it is pinned); closing twice is
 * harmless, and it is safe to close from any thread.
 *
 * <p>Links made through a {@link BpfProgram} belong to its {@link BpfObject}, which closes them with itself. Most
 * hooks hold the program through one kernel {@code bpf_link}, which this class can {@link #pin pin} (so it outlives
 * this process), {@link #info() describe}, {@link #update(BpfProgram) point at another program} and
 * {@link #detach() detach} while keeping it open. Attachments without one (several uprobes of a USDT probe, a perf
 * event on a kernel before 5.15) say so in a {@link NotSupportedException}.
 */
public final class BpfLink implements AutoCloseable {
    /** The link kinds whose program {@code BPF_LINK_UPDATE} can replace. */
    private static final Set<LinkType> UPDATABLE = EnumSet.of(LinkType.CGROUP, LinkType.ITER, LinkType.NETNS,
            LinkType.XDP, LinkType.TCX, LinkType.NETKIT, LinkType.SOCKMAP);

    private final KernelLink link;
    private final Consumer<BpfLink> onClose;
    private volatile Path pinnedAt;

    BpfLink(KernelLink link, Consumer<BpfLink> onClose) {
        this.link = Objects.requireNonNull(link, "link");
        this.onClose = onClose;
    }

    /**
     * Opens the link pinned at {@code path} (by this or another process). The returned link belongs to the caller,
     * not to any {@link BpfObject}; closing it leaves the pin, and so the attachment, in place.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when nothing is pinned there
     * @throws BpfException when what is pinned there is not a link
     */
    public static BpfLink openPinned(Path path) {
        Fd fd = Pins.open(path, 0, "link", "open maps and programs with their own classes (BpfMap.openPinned)");
        // Where it is attached, for logs and messages: the pin's path alone says nothing of the hook.
        String description = "pinned link " + path;
        try {
            LinkTarget target = Links.info(fd).target();
            if (!(target instanceof LinkTarget.Unreported)) {
                description += " (" + target + ")";
            }
        } catch (KernelException unreadable) {
            // The path is description enough.
        }
        BpfLink opened = new BpfLink(new KernelLink(description, java.util.List.of(fd)), null);
        opened.pinnedAt = path;
        return opened;
    }

    /** What the program is attached to, for logs, e.g. {@code tracepoint syscalls/sys_enter_execve}. */
    public String description() {
        return link.description();
    }

    /**
     * What the kernel reports about the link ({@code BPF_OBJ_GET_INFO_BY_FD}).
     *
     * @throws NotSupportedException when the attachment is not held by one {@code bpf_link}, such as a legacy tc
     *                               filter ({@code attachTc}), XDP through rtnetlink, a socket filter or a legacy
     *                               {@code BPF_PROG_ATTACH}; {@link #description()} still says what it is
     */
    public Info info() {
        LinkInfo info = Links.info(bpfLink("describe"));
        return new Info(info.id(), info.typeValue(), info.programId(), info.target());
    }

    /**
     * Runs this iterator link ({@code SEC("iter/...")}, Linux 5.8+) once: reading the stream runs the program over
     * what it iterates (tasks, maps, sockets, ...) and returns what the program wrote with {@code BPF_SEQ_PRINTF},
     * {@code bpf_seq_printf} or {@code bpf_seq_write}, up to the end of the pass. Each call starts a pass of its own.
     *
     * <pre>{@code
     * try (InputStream tasks = link.openIterator()) {
     *     String text = new String(tasks.readAllBytes(), StandardCharsets.UTF_8);
     * }
     * }</pre>
     *
     * <p>The stream owns a descriptor of its own ({@code BPF_ITER_CREATE}): close it. It may be read after this link
     * is closed; a kernel error while reading (which the program may cause) is an {@code IOException} naming it.
     *
     * @throws NotSupportedException when this is not an iterator link
     * @throws IllegalStateException when this link is closed
     */
    public InputStream openIterator() {
        Fd fd = bpfLink("run as an iterator");
        Optional<LinkType> type = Links.info(fd).type();
        if (type.isPresent() && type.get() != LinkType.ITER) {
            throw new NotSupportedException(description() + " is a link of type " + type.get() + ", not an iterator: "
                    + "only links of SEC(\"iter/...\") programs can be read", "BPF_ITER_CREATE",
                    Errno.EINVAL.number(), description(), "attach() an iter/<target> program and read its link");
        }
        return new DescriptorInputStream(Links.iterCreate(fd));
    }

    /**
     * Pins the link at {@code path} on a bpffs (e.g. {@code /sys/fs/bpf/my-link}): the attachment then outlives
     * this link object and this process, until the pin is removed ({@link #unpin()}, or {@code rm}). One pin per
     * link object: a second path would keep the program attached after {@link #unpin()} removed the first.
     *
     * @throws io.github.bpf2java.ebpf.error.BusyException when something is pinned there already
     * @throws IllegalStateException when this link is pinned already, at another path (unpin it first)
     * @throws NotSupportedException when the attachment is not held by one {@code bpf_link}, or holds state of this
     *     process that a pin would outlive (a USDT attachment's argument specs)
     */
    public void pin(Path path) {
        Path pinned = pinnedAt;
        if (pinned != null && Files.exists(pinned)) {
            throw new IllegalStateException(description() + " is pinned at " + pinned + " already; unpin() it "
                    + "before pinning it at " + path + " (a link pinned at two paths stays attached until both are "
                    + "removed, and this object would know only one)");
        }
        Fd fd = bpfLink("pin");
        if (link.whyNoPin().isPresent()) {
            throw new NotSupportedException(description() + " cannot pin: " + link.whyNoPin().get(), "pin link",
                    Errno.EOPNOTSUPP.number(), description(), null);
        }
        Pins.pin(fd, path);
        pinnedAt = path;
    }

    /** Removes the pin made by {@link #pin} (or the one {@link #openPinned} opened); does nothing when unpinned. */
    public void unpin() {
        Path path = pinnedAt;
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
            pinnedAt = null;
        } catch (IOException e) {
            throw new BpfException("cannot remove the pin " + path + ": " + e.getMessage(), e);
        }
    }

    /** Where the link is pinned, if it is. */
    public Optional<Path> pinnedPath() {
        return Optional.ofNullable(pinnedAt);
    }

    /**
     * Makes the link run {@code program} instead, atomically ({@code BPF_LINK_UPDATE}): no event is missed or seen
     * by both programs. The kernel allows it for cgroup, iterator, network namespace, XDP, tcx, netkit and sockmap
     * links, and only for a program of the same type and attach type.
     *
     * @throws NotSupportedException for link kinds that cannot change their program (tracing, perf event, ...)
     * @throws KernelException naming both program types when they differ ({@code EINVAL}), or saying the link was
     *     detached ({@code ENOLINK})
     */
    public void update(BpfProgram program) {
        Fd fd = bpfLink("update");
        try {
            Links.update(fd, program.handle(), Optional.empty());
        } catch (KernelException e) {
            LinkInfo info = Links.info(fd);
            Optional<LinkType> type = info.type();
            String first = e.getMessage().lines().findFirst().orElse("");
            if (type.isPresent() && !UPDATABLE.contains(type.get())) {
                throw new NotSupportedException(description() + ": a link of type " + type.get() + " cannot change its "
                        + "program (BPF_LINK_UPDATE " + e.errnoName() + ")", e.operation(), e.errno(), description(),
                        "attach " + program.name() + " first, then close this link: for a moment both run (a "
                                + "tracepoint's link takes some 70 ms to close), where closing first would miss "
                                + "events; only " + UPDATABLE + " links can be updated in one step");
            }
            if (Errno.ENOLINK.is(e.errno())) {
                throw new KernelException(first + ": " + description() + " was detached (BpfLink.detach(), "
                        + "or its hook went away), so it has no attachment left to give " + program.name(),
                        e.operation(), e.errno(), description(), "a detached link stays detached: close it and "
                                + "attach " + program.name() + " again", null);
            }
            if (Errno.EINVAL.is(e.errno())) {
                Optional<ProgramType> current = currentProgramType(info);
                if (current.isPresent() && current.get() != program.type()) {
                    throw new KernelException(first + ": the " + type.map(Enum::name).orElse("") + " link "
                            + description() + " runs a program of type " + current.get() + " and " + program.name()
                            + " has type " + program.type(), e.operation(), e.errno(), description(),
                            "a link's new program must have the same type (" + current.get() + ") and attach type "
                                    + "as the one it replaces", null);
                }
                if (info.target() instanceof LinkTarget.Iterator linkIterator
                        && program.spec().expectedAttachType().orElse(null) == AttachType.TRACE_ITER
                        && !program.spec().attachTarget().equals(linkIterator.target())) {
                    // Both are iterator programs; what the kernel compares is the iterator each was loaded for.
                    throw new KernelException(first + ": " + program.name() + " iterates over "
                            + program.spec().attachTarget() + " (section " + program.spec().sectionName()
                            + ") and the link over " + linkIterator.target(), e.operation(), e.errno(),
                            description(), "an iterator link takes programs for the same iterator: load one from "
                                    + "SEC(\"iter/" + linkIterator.target() + "\"), or attach "
                                    + program.name() + " as a link of its own", null);
                }
                if (current.isPresent()) {
                    throw new KernelException(first + ": " + program.name() + " has the link's program type ("
                            + current.get() + ") but not its attach type" + program.spec().expectedAttachType()
                                    .map(t -> " (it was loaded for " + t + ")").orElse(""), e.operation(),
                            e.errno(), description(), "load the new program from a section for the same hook as "
                                    + "the link's", null);
                }
            }
            throw e;
        }
    }

    /** The type of the program the link runs now, when it still runs one the kernel can show. */
    private static Optional<ProgramType> currentProgramType(LinkInfo info) {
        if (info.programId() == 0) {
            return Optional.empty();
        }
        try (Fd current = ObjectIds.open(ObjectIds.Kind.PROGRAM, info.programId())) {
            return ProgramInfo.of(current).type();
        } catch (RuntimeException gone) {
            return Optional.empty();
        }
    }

    /**
     * Detaches the program but keeps the link open ({@code BPF_LINK_DETACH}): other holders (a pin, another
     * process) then see a link that is attached to nothing.
     *
     * @throws NotSupportedException for link kinds the kernel cannot detach this way
     */
    public void detach() {
        Fd fd = bpfLink("detach");
        try {
            Links.detach(fd);
        } catch (NotSupportedException e) {
            String type = Links.info(fd).type().map(Enum::name).orElse("this");
            throw new NotSupportedException(description() + ": the kernel cannot detach a link of type " + type
                    + " while it stays open", e.operation(), e.errno(), description(), "close the link instead (and "
                            + "unpin it, if it is pinned)");
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return link.isClosed();
    }

    /**
     * Detaches (unless pinned) and releases the link's descriptors; later calls do nothing. A call made while another
     * thread is closing the link returns when that close has finished.
     *
     * <p>A legacy cgroup attachment ({@code BPF_PROG_ATTACH}) is detached only while its own program is attached
     * there: when another exclusive or override attachment has replaced it, or another process has detached it
     * (e.g. {@code bpftool cgroup detach}), closing leaves the cgroup as it is and logs that at {@code INFO}, rather
     * than throw or detach the program that took its place.
     *
     * @throws io.github.bpf2java.ebpf.error.KernelException when the kernel refuses a detach for another reason;
     *     the descriptors are released all the same
     */
    @Override
    public void close() {
        try {
            link.close();
        } finally {
            if (onClose != null) {
                onClose.accept(this);
            }
        }
    }

    private Fd bpfLink(String operation) {
        if (link.isClosed()) {
            throw new IllegalStateException(this + " is closed");
        }
        return link.bpfLink().orElseThrow(() -> new NotSupportedException(description() + " cannot " + operation
                + ": " + link.whyNoBpfLink().orElse("it has no bpf_link"), operation + " link",
                Errno.EOPNOTSUPP.number(), description(), null));
    }

    @Override
    public String toString() {
        return "BpfLink[" + description() + "]";
    }

    /**
     * What the kernel says about a link.
     *
     * @param id        its system-wide id ({@code bpftool link show id <id>})
     * @param typeValue its {@code enum bpf_link_type} number
     * @param programId the id of the program it runs
     * @param target    where it is attached: the interface, cgroup, tracepoint, probed file or function, ...
     */
    public record Info(int id, int typeValue, int programId, LinkTarget target) {
        public Info {
            Objects.requireNonNull(target, "target");
        }

        /** The link type, if this runtime knows its number. */
        public Optional<LinkType> type() {
            return LinkType.of(typeValue);
        }

        /**
         * E.g. {@code Info[id=12, type=XDP, programId=34, target=NetworkInterface[index=3, attachTypeValue=37]]}; a
         * type this runtime does not know by its number.
         */
        @Override
        public String toString() {
            return "Info[id=" + id + ", type=" + type().map(LinkType::name).orElse(String.valueOf(typeValue))
                    + ", programId=" + programId + ", target=" + target + "]";
        }
    }
}

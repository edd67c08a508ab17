package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.attach.LinkTarget;
import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.AttachType;
import java.util.Optional;

/**
 * What the kernel reports about a link ({@code struct bpf_link_info}): its type, id, program, and where it is
 * attached.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param typeValue the raw {@code enum bpf_link_type} number
 * @param id        the link's system-wide id
 * @param programId the id of the linked program
 * @param target    where the link is attached, for the link types this runtime reads
 */
public record LinkInfo(int typeValue, int id, int programId, LinkTarget target) {
    // Room for names: a tracepoint's, a kernel function's (KSYM_NAME_LEN), an iterator target's, and a path.
    private static final int NAME_CAPACITY = 512;
    private static final int PATH_CAPACITY = 4096;
    // enum bpf_perf_event_type.
    private static final int PERF_UPROBE = 1;
    private static final int PERF_URETPROBE = 2;
    private static final int PERF_KPROBE = 3;
    private static final int PERF_KRETPROBE = 4;
    private static final int PERF_TRACEPOINT = 5;
    private static final int PERF_EVENT = 6;
    // BPF_F_KPROBE_MULTI_RETURN and BPF_F_UPROBE_MULTI_RETURN.
    private static final int MULTI_RETURN = 1;

    /** The link type, if this runtime knows its number. */
    public Optional<LinkType> type() {
        return LinkType.of(typeValue);
    }

    public static LinkInfo of(Fd fd) {
        try (NativeBuffer b = new NativeBuffer(AttrLayout.LinkInfo.SIZE)) {
            ObjectInfo.fill(fd, b);
            int type = b.getInt(AttrLayout.LinkInfo.TYPE);
            LinkTarget target = LinkType.of(type).map(t -> switch (t) {
                case RAW_TRACEPOINT -> new LinkTarget.RawTracepoint(name(fd, AttrLayout.LinkInfo.RAW_TRACEPOINT_TP_NAME,
                        AttrLayout.LinkInfo.RAW_TRACEPOINT_TP_NAME_LEN, NAME_CAPACITY));
                case ITER -> iterator(name(fd, AttrLayout.LinkInfo.ITER_TARGET_NAME,
                        AttrLayout.LinkInfo.ITER_TARGET_NAME_LEN, NAME_CAPACITY), b);
                case PERF_EVENT -> perfEvent(fd, b);
                case TRACING -> new LinkTarget.Tracing(b.getInt(AttrLayout.LinkInfo.TRACING_ATTACH_TYPE),
                        b.getInt(AttrLayout.LinkInfo.TRACING_TARGET_OBJ_ID),
                        b.getInt(AttrLayout.LinkInfo.TRACING_TARGET_BTF_ID));
                case CGROUP -> new LinkTarget.Cgroup(b.getLong(AttrLayout.LinkInfo.CGROUP_CGROUP_ID),
                        b.getInt(AttrLayout.LinkInfo.CGROUP_ATTACH_TYPE));
                case NETNS -> new LinkTarget.NetworkNamespace(
                        Integer.toUnsignedLong(b.getInt(AttrLayout.LinkInfo.NETNS_NETNS_INO)),
                        b.getInt(AttrLayout.LinkInfo.NETNS_ATTACH_TYPE));
                // XDP's link info has no attach type: there is only the one.
                case XDP -> new LinkTarget.NetworkInterface(b.getInt(AttrLayout.LinkInfo.XDP_IFINDEX),
                        AttachType.XDP.value());
                case TCX -> new LinkTarget.NetworkInterface(b.getInt(AttrLayout.LinkInfo.TCX_IFINDEX),
                        b.getInt(AttrLayout.LinkInfo.TCX_ATTACH_TYPE));
                case NETKIT -> new LinkTarget.NetworkInterface(b.getInt(AttrLayout.LinkInfo.NETKIT_IFINDEX),
                        b.getInt(AttrLayout.LinkInfo.NETKIT_ATTACH_TYPE));
                case SOCKMAP -> new LinkTarget.SocketMap(b.getInt(AttrLayout.LinkInfo.SOCKMAP_MAP_ID),
                        b.getInt(AttrLayout.LinkInfo.SOCKMAP_ATTACH_TYPE));
                case KPROBE_MULTI -> kprobeMulti(b);
                case UPROBE_MULTI -> uprobeMulti(fd, b);
                case NETFILTER -> new LinkTarget.Netfilter(b.getInt(AttrLayout.LinkInfo.NETFILTER_PF),
                        b.getInt(AttrLayout.LinkInfo.NETFILTER_HOOKNUM),
                        b.getInt(AttrLayout.LinkInfo.NETFILTER_PRIORITY),
                        b.getInt(AttrLayout.LinkInfo.NETFILTER_FLAGS));
                default -> new LinkTarget.Unreported();
            }).orElseGet(LinkTarget.Unreported::new);
            return new LinkInfo(type, b.getInt(AttrLayout.LinkInfo.ID), b.getInt(AttrLayout.LinkInfo.PROG_ID),
                    target);
        }
    }

    // The parameters share the union slots, so which to read depends on the target. Map iterators report their map
    // from the start (Linux 5.9), task and cgroup iterators their parameters since 6.1; before, the slots stay zero.
    private static LinkTarget iterator(String target, NativeBuffer b) {
        return switch (IteratorKind.of(target)) {
            case MAP -> new LinkTarget.Iterator(target, b.getInt(AttrLayout.LinkInfo.ITER_MAP_ID), 0, 0, 0, 0);
            case TASK -> new LinkTarget.Iterator(target, 0, 0, 0, b.getInt(AttrLayout.LinkInfo.ITER_TASK_TID),
                    b.getInt(AttrLayout.LinkInfo.ITER_TASK_PID));
            case CGROUP -> new LinkTarget.Iterator(target, 0, b.getLong(AttrLayout.LinkInfo.ITER_CGROUP_ID),
                    b.getInt(AttrLayout.LinkInfo.ITER_CGROUP_ORDER), 0, 0);
            case NONE -> new LinkTarget.Iterator(target);
        };
    }

    // Perf-event links report since Linux 6.6; before, the union stays zero and the type reads 0 (unspecified).
    private static LinkTarget perfEvent(Fd fd, NativeBuffer b) {
        int kind = b.getInt(AttrLayout.LinkInfo.PERF_EVENT_TYPE);
        long offset = Integer.toUnsignedLong(b.getInt(AttrLayout.LinkInfo.PERF_EVENT_OFFSET));
        return switch (kind) {
            case PERF_TRACEPOINT -> new LinkTarget.Tracepoint(perfEventName(fd, NAME_CAPACITY));
            case PERF_UPROBE, PERF_URETPROBE -> new LinkTarget.Uprobe(perfEventName(fd, PATH_CAPACITY), offset,
                    kind == PERF_URETPROBE);
            case PERF_KPROBE, PERF_KRETPROBE -> new LinkTarget.Kprobe(perfEventName(fd, NAME_CAPACITY), offset,
                    kind == PERF_KRETPROBE);
            case PERF_EVENT -> new LinkTarget.PerfEvent(b.getInt(AttrLayout.LinkInfo.PERF_EVENT_EVENT_TYPE),
                    b.getLong(AttrLayout.LinkInfo.PERF_EVENT_EVENT_CONFIG));
            default -> new LinkTarget.Unreported();
        };
    }

    // Kernels report these from 6.6 (kprobe.multi) and 6.8 (uprobe.multi); before, the union stays zero, and a link
    // of either kind always has at least one probe, so a count of 0 means unreported.
    private static LinkTarget kprobeMulti(NativeBuffer b) {
        int count = b.getInt(AttrLayout.LinkInfo.KPROBE_MULTI_COUNT);
        return count == 0 ? new LinkTarget.Unreported() : new LinkTarget.KprobeMulti(count,
                (b.getInt(AttrLayout.LinkInfo.KPROBE_MULTI_FLAGS) & MULTI_RETURN) != 0,
                b.getLong(AttrLayout.LinkInfo.KPROBE_MULTI_MISSED));
    }

    private static LinkTarget uprobeMulti(Fd fd, NativeBuffer b) {
        int count = b.getInt(AttrLayout.LinkInfo.UPROBE_MULTI_COUNT);
        if (count == 0) {
            return new LinkTarget.Unreported();
        }
        return new LinkTarget.UprobeMulti(name(fd, AttrLayout.LinkInfo.UPROBE_MULTI_PATH,
                AttrLayout.LinkInfo.UPROBE_MULTI_PATH_SIZE, PATH_CAPACITY), count,
                (b.getInt(AttrLayout.LinkInfo.UPROBE_MULTI_FLAGS) & MULTI_RETURN) != 0,
                b.getInt(AttrLayout.LinkInfo.UPROBE_MULTI_PID));
    }

    private static String perfEventName(Fd fd, int capacity) {
        return name(fd, AttrLayout.LinkInfo.PERF_EVENT_NAME, AttrLayout.LinkInfo.PERF_EVENT_NAME_LEN, capacity);
    }

    // A second query: a name buffer is offered only once the link's type is known, because other link types read
    // the same union slots as numbers of their own.
    private static String name(Fd fd, int pointerOffset, int lengthOffset, int capacity) {
        try (NativeBuffer name = new NativeBuffer(capacity);
                NativeBuffer b = new NativeBuffer(AttrLayout.LinkInfo.SIZE)) {
            b.putPointer(pointerOffset, name).putInt(lengthOffset, capacity);
            ObjectInfo.fill(fd, b);
            return name.getCString(0, capacity);
        }
    }
}

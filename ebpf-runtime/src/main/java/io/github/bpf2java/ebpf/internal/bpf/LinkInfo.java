package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.attach.LinkType;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.util.Optional;

/**
 * What the kernel reports about a link ({@code struct bpf_link_info}): its type, id, program, and for the common
 * link types where it is attached.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 *
 * @param typeValue the raw {@code enum bpf_link_type} number
 * @param id        the link's system-wide id
 * @param programId the id of the linked program
 * @param target    where the link is attached, for the link types this runtime reads
 */
public record LinkInfo(int typeValue, int id, int programId, Target target) {
    private static final int TP_NAME_CAPACITY = 256;

    /** The link type, if this runtime knows its number. */
    public Optional<LinkType> type() {
        return LinkType.of(typeValue);
    }

    /** Where a link is attached. */
    public sealed interface Target {
        /** A raw tracepoint, by name. */
        record RawTracepoint(String name) implements Target {}

        /** A BTF-typed target: attach type, target object and BTF id. */
        record Tracing(int attachType, int targetObjectId, int targetBtfId) implements Target {}

        /** A cgroup, by its id (inode number). */
        record Cgroup(long cgroupId, int attachType) implements Target {}

        /** A network namespace, by inode number. */
        record Netns(long inode, int attachType) implements Target {}

        /** A network device (XDP, tcx, netkit), by interface index. */
        record Device(int ifindex, int attachType) implements Target {}

        /** A netfilter hook. */
        record Netfilter(int protocolFamily, int hook, int priority, int flags) implements Target {}

        /** A link type whose target this runtime does not read. */
        record Other() implements Target {}
    }

    public static LinkInfo of(Fd fd) {
        try (NativeBuffer b = new NativeBuffer(AttrLayout.LinkInfo.SIZE)) {
            ObjectInfo.fill(fd, b);
            int type = b.getInt(AttrLayout.LinkInfo.TYPE);
            Target target = LinkType.of(type).map(t -> switch (t) {
                case RAW_TRACEPOINT -> new Target.RawTracepoint(rawTracepointName(fd));
                case TRACING -> new Target.Tracing(b.getInt(AttrLayout.LinkInfo.TRACING_ATTACH_TYPE),
                        b.getInt(AttrLayout.LinkInfo.TRACING_TARGET_OBJ_ID),
                        b.getInt(AttrLayout.LinkInfo.TRACING_TARGET_BTF_ID));
                case CGROUP -> new Target.Cgroup(b.getLong(AttrLayout.LinkInfo.CGROUP_CGROUP_ID),
                        b.getInt(AttrLayout.LinkInfo.CGROUP_ATTACH_TYPE));
                case NETNS -> new Target.Netns(Integer.toUnsignedLong(b.getInt(AttrLayout.LinkInfo.NETNS_NETNS_INO)),
                        b.getInt(AttrLayout.LinkInfo.NETNS_ATTACH_TYPE));
                case XDP -> new Target.Device(b.getInt(AttrLayout.LinkInfo.XDP_IFINDEX), 0);
                case TCX -> new Target.Device(b.getInt(AttrLayout.LinkInfo.TCX_IFINDEX),
                        b.getInt(AttrLayout.LinkInfo.TCX_ATTACH_TYPE));
                case NETKIT -> new Target.Device(b.getInt(AttrLayout.LinkInfo.NETKIT_IFINDEX),
                        b.getInt(AttrLayout.LinkInfo.NETKIT_ATTACH_TYPE));
                case NETFILTER -> new Target.Netfilter(b.getInt(AttrLayout.LinkInfo.NETFILTER_PF),
                        b.getInt(AttrLayout.LinkInfo.NETFILTER_HOOKNUM),
                        b.getInt(AttrLayout.LinkInfo.NETFILTER_PRIORITY),
                        b.getInt(AttrLayout.LinkInfo.NETFILTER_FLAGS));
                default -> new Target.Other();
            }).orElseGet(Target.Other::new);
            return new LinkInfo(type, b.getInt(AttrLayout.LinkInfo.ID), b.getInt(AttrLayout.LinkInfo.PROG_ID),
                    target);
        }
    }

    // A second query: the name buffer is only offered once the link is known to be a raw tracepoint, because other
    // link types read the same union slots as pointers and counts of their own.
    private static String rawTracepointName(Fd fd) {
        try (NativeBuffer name = new NativeBuffer(TP_NAME_CAPACITY);
                NativeBuffer b = new NativeBuffer(AttrLayout.LinkInfo.SIZE)) {
            b.putPointer(AttrLayout.LinkInfo.RAW_TRACEPOINT_TP_NAME, name)
                    .putInt(AttrLayout.LinkInfo.RAW_TRACEPOINT_TP_NAME_LEN, TP_NAME_CAPACITY);
            ObjectInfo.fill(fd, b);
            return name.getCString(0, TP_NAME_CAPACITY);
        }
    }
}

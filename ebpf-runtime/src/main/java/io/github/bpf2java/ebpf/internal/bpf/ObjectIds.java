package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.util.OptionalInt;

/**
 * System-wide object ids: walking them ({@code BPF_*_GET_NEXT_ID}) and opening an object by id
 * ({@code BPF_*_GET_FD_BY_ID}).
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class ObjectIds {
    private ObjectIds() {}

    /** The kinds of objects with ids. */
    public enum Kind {
        /** Programs: {@code BPF_PROG_GET_NEXT_ID}, {@code BPF_PROG_GET_FD_BY_ID}. */
        PROGRAM(BpfCommand.PROG_GET_NEXT_ID, BpfCommand.PROG_GET_FD_BY_ID, "program"),
        /** Maps: {@code BPF_MAP_GET_NEXT_ID}, {@code BPF_MAP_GET_FD_BY_ID}. */
        MAP(BpfCommand.MAP_GET_NEXT_ID, BpfCommand.MAP_GET_FD_BY_ID, "map"),
        /** BTF objects: {@code BPF_BTF_GET_NEXT_ID}, {@code BPF_BTF_GET_FD_BY_ID}. */
        BTF(BpfCommand.BTF_GET_NEXT_ID, BpfCommand.BTF_GET_FD_BY_ID, "BTF"),
        /** Links: {@code BPF_LINK_GET_NEXT_ID}, {@code BPF_LINK_GET_FD_BY_ID}. */
        LINK(BpfCommand.LINK_GET_NEXT_ID, BpfCommand.LINK_GET_FD_BY_ID, "link");

        private final BpfCommand next;
        private final BpfCommand open;
        private final String label;

        Kind(BpfCommand next, BpfCommand open, String label) {
            this.next = next;
            this.open = open;
            this.label = label;
        }
    }

    /**
     * The smallest id of a {@code kind} object greater than {@code after}; empty past the last. Start with 0.
     */
    public static OptionalInt nextId(Kind kind, int after) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.GetId.SIZE)) {
            attr.putInt(AttrLayout.GetId.START_ID, after);
            long result = BpfSyscall.invoke(kind.next, attr, AttrLayout.GetId.SIZE);
            if (result == -Errno.ENOENT.number()) {
                return OptionalInt.empty();
            }
            if (result < 0) {
                throw KernelErrors.forErrno(kind.next.uapiName(), (int) -result, kind.label + " ids after " + after);
            }
            return OptionalInt.of(attr.getInt(AttrLayout.GetId.NEXT_ID));
        }
    }

    /**
     * Opens the {@code kind} object with id {@code id}.
     *
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when no such object exists (any more)
     */
    public static Fd open(Kind kind, int id) {
        return fdById(kind.open, id, kind.label + " id " + id);
    }

    static Fd fdById(BpfCommand cmd, int id, String subject) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.GetId.SIZE)) {
            attr.putInt(AttrLayout.GetId.ID, id);
            return BpfSyscall.callForFd(cmd, attr, AttrLayout.GetId.SIZE, subject);
        }
    }
}

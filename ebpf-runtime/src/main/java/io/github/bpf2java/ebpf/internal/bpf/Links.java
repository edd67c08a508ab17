package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Link commands of {@code bpf(2)}: creating links (the attachment that lives as long as its descriptor), raw
 * tracepoint links, iterators, replacing a link's program and detaching.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Links {
    /** {@code BPF_F_REPLACE} for {@code BPF_LINK_UPDATE}: replace only if the old program matches. */
    private static final int BPF_F_REPLACE = 1 << 2;

    private Links() {}

    /**
     * Creates a link ({@code BPF_LINK_CREATE}). Closing the returned descriptor detaches the program, unless the
     * link was pinned.
     *
     * @throws KernelException naming the program, target and attach type
     */
    public static Fd create(LinkCreateRequest request) {
        List<NativeBuffer> held = new ArrayList<>();
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.LinkCreate.SIZE);
                Fd.Held program = request.program().hold()) {
            attr.putInt(AttrLayout.LinkCreate.PROG_FD, program.raw())
                    .putInt(AttrLayout.LinkCreate.TARGET_FD, request.target())
                    .putInt(AttrLayout.LinkCreate.ATTACH_TYPE, request.type().value())
                    .putInt(AttrLayout.LinkCreate.FLAGS, request.flags());
            writeParameters(request.parameters(), attr, held);
            return BpfSyscall.callForFd(BpfCommand.LINK_CREATE, attr, AttrLayout.LinkCreate.SIZE,
                    "link of " + request.describe());
        } finally {
            held.forEach(NativeBuffer::close);
        }
    }

    private static void writeParameters(LinkParameters p, NativeBuffer attr, List<NativeBuffer> held) {
        if (p instanceof LinkParameters.TargetBtfId t) {
            attr.putInt(AttrLayout.LinkCreate.TARGET_BTF_ID, t.btfId());
        } else if (p instanceof LinkParameters.Iterator it && it.info().length > 0) {
            // The kernel refuses a pointer without a length and a length without a pointer alike.
            NativeBuffer info = hold(held, NativeBuffer.of(it.info()));
            attr.putPointer(AttrLayout.LinkCreate.ITER_INFO, info)
                    .putInt(AttrLayout.LinkCreate.ITER_INFO_LEN, info.size());
        } else if (p instanceof LinkParameters.PerfEvent pe) {
            attr.putLong(AttrLayout.LinkCreate.PERF_EVENT_BPF_COOKIE, pe.cookie());
        } else if (p instanceof LinkParameters.Tracing t) {
            attr.putInt(AttrLayout.LinkCreate.TRACING_TARGET_BTF_ID, t.targetBtfId())
                    .putLong(AttrLayout.LinkCreate.TRACING_COOKIE, t.cookie());
        } else if (p instanceof LinkParameters.KprobeMulti k) {
            attr.putInt(AttrLayout.LinkCreate.KPROBE_MULTI_FLAGS, k.flags())
                    .putInt(AttrLayout.LinkCreate.KPROBE_MULTI_CNT, k.count())
                    .putPointer(AttrLayout.LinkCreate.KPROBE_MULTI_SYMS, symbols(k.symbols(), held))
                    .putPointer(AttrLayout.LinkCreate.KPROBE_MULTI_ADDRS, longs(k.addresses(), held))
                    .putPointer(AttrLayout.LinkCreate.KPROBE_MULTI_COOKIES, longs(k.cookies(), held));
        } else if (p instanceof LinkParameters.UprobeMulti u) {
            attr.putPointer(AttrLayout.LinkCreate.UPROBE_MULTI_PATH, hold(held, NativeBuffer.cString(u.path())))
                    .putPointer(AttrLayout.LinkCreate.UPROBE_MULTI_OFFSETS, longs(u.offsets(), held))
                    .putPointer(AttrLayout.LinkCreate.UPROBE_MULTI_REF_CTR_OFFSETS, longs(u.refCtrOffsets(), held))
                    .putPointer(AttrLayout.LinkCreate.UPROBE_MULTI_COOKIES, longs(u.cookies(), held))
                    .putInt(AttrLayout.LinkCreate.UPROBE_MULTI_CNT, u.offsets().length)
                    .putInt(AttrLayout.LinkCreate.UPROBE_MULTI_FLAGS, u.flags())
                    .putInt(AttrLayout.LinkCreate.UPROBE_MULTI_PID, u.pid());
        } else if (p instanceof LinkParameters.Netfilter n) {
            attr.putInt(AttrLayout.LinkCreate.NETFILTER_PF, n.protocolFamily())
                    .putInt(AttrLayout.LinkCreate.NETFILTER_HOOKNUM, n.hook())
                    .putInt(AttrLayout.LinkCreate.NETFILTER_PRIORITY, n.priority())
                    .putInt(AttrLayout.LinkCreate.NETFILTER_FLAGS, n.flags());
        } else if (p instanceof LinkParameters.Ordered o) {
            // tcx and netkit share this layout.
            attr.putInt(AttrLayout.LinkCreate.TCX_RELATIVE_FD, o.relativeFdOrId())
                    .putLong(AttrLayout.LinkCreate.TCX_EXPECTED_REVISION, o.expectedRevision());
        }
    }

    private static NativeBuffer hold(List<NativeBuffer> held, NativeBuffer buffer) {
        held.add(buffer);
        return buffer;
    }

    private static NativeBuffer longs(long[] values, List<NativeBuffer> held) {
        if (values.length == 0) {
            return null;
        }
        NativeBuffer b = hold(held, new NativeBuffer(8L * values.length));
        for (int i = 0; i < values.length; i++) {
            b.putLong(8 * i, values[i]);
        }
        return b;
    }

    /** An array of pointers to NUL-terminated names. */
    private static NativeBuffer symbols(List<String> names, List<NativeBuffer> held) {
        if (names.isEmpty()) {
            return null;
        }
        NativeBuffer array = hold(held, new NativeBuffer(8L * names.size()));
        for (int i = 0; i < names.size(); i++) {
            NativeBuffer name = hold(held, NativeBuffer.cString(names.get(i)));
            if (Libc.is64Bit()) {
                array.putLong(8 * i, name.address());
            } else {
                array.putInt(4 * i, (int) name.address());
            }
        }
        return array;
    }

    /**
     * Attaches a raw tracepoint program ({@code BPF_RAW_TRACEPOINT_OPEN}).
     *
     * @param name    the tracepoint, e.g. {@code sys_enter}; {@code null} for BTF-typed tracing programs whose
     *                target was fixed at load time ({@code tp_btf}, fentry, ...)
     * @param program the program
     * @param cookie  the BPF cookie (Linux 6.10+), 0 for none
     * @throws io.github.bpf2java.ebpf.error.NotFoundException when the kernel has no such tracepoint
     */
    public static Fd rawTracepointOpen(String name, Fd program, long cookie) {
        String subject = program.description() + " on raw tracepoint " + (name == null ? "(from BTF)" : name);
        try (NativeBuffer tp = name == null ? null : NativeBuffer.cString(name);
                NativeBuffer attr = new NativeBuffer(AttrLayout.RawTracepoint.SIZE);
                Fd.Held held = program.hold()) {
            attr.putPointer(AttrLayout.RawTracepoint.NAME, tp)
                    .putInt(AttrLayout.RawTracepoint.PROG_FD, held.raw())
                    .putLong(AttrLayout.RawTracepoint.COOKIE, cookie);
            // Without a cookie, pass the size kernels before 6.10 know.
            int size = cookie == 0 ? AttrLayout.RawTracepoint.COOKIE : AttrLayout.RawTracepoint.SIZE;
            long result = BpfSyscall.invoke(BpfCommand.RAW_TRACEPOINT_OPEN, attr, size);
            if (result < 0) {
                int errno = (int) -result;
                throw KernelErrors.forErrno("BPF_RAW_TRACEPOINT_OPEN", errno, subject,
                        Errno.ENOENT.is(errno) && name != null
                                ? "the kernel has no raw tracepoint '" + name + "'; the names are the tracepoints "
                                        + "of tracefs events/*/ (e.g. sys_enter, sched_switch)" : null);
            }
            return Fd.adopt((int) result, "raw tracepoint link " + subject);
        }
    }

    /**
     * Replaces the program of a link ({@code BPF_LINK_UPDATE}).
     *
     * @param oldProgram when present, replace only if this is the current program
     */
    public static void update(Fd link, Fd newProgram, Optional<Fd> oldProgram) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.LinkUpdate.SIZE);
                Fd.Held heldLink = link.hold();
                Fd.Held heldNew = newProgram.hold();
                Fd.Held heldOld = oldProgram.map(Fd::hold).orElse(null)) {
            attr.putInt(AttrLayout.LinkUpdate.LINK_FD, heldLink.raw())
                    .putInt(AttrLayout.LinkUpdate.NEW_PROG_FD, heldNew.raw())
                    .putInt(AttrLayout.LinkUpdate.FLAGS, heldOld != null ? BPF_F_REPLACE : 0)
                    .putInt(AttrLayout.LinkUpdate.OLD_PROG_FD, heldOld != null ? heldOld.raw() : 0);
            BpfSyscall.call(BpfCommand.LINK_UPDATE, attr, AttrLayout.LinkUpdate.SIZE, link.description());
        }
    }

    /**
     * Detaches a link's program while keeping the link descriptor ({@code BPF_LINK_DETACH}), e.g. for a pinned link
     * other processes hold.
     */
    public static void detach(Fd link) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.LinkDetach.SIZE); Fd.Held held = link.hold()) {
            attr.putInt(AttrLayout.LinkDetach.LINK_FD, held.raw());
            BpfSyscall.call(BpfCommand.LINK_DETACH, attr, AttrLayout.LinkDetach.SIZE, link.description());
        }
    }

    /**
     * Starts one pass of an iterator link ({@code BPF_ITER_CREATE}): reading the returned descriptor runs the
     * program over the iterated objects.
     */
    public static Fd iterCreate(Fd link) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.IterCreate.SIZE); Fd.Held held = link.hold()) {
            attr.putInt(AttrLayout.IterCreate.LINK_FD, held.raw());
            return BpfSyscall.callForFd(BpfCommand.ITER_CREATE, attr, AttrLayout.IterCreate.SIZE,
                    "iterator of " + link.description());
        }
    }

    /** What the kernel reports about a link. */
    public static LinkInfo info(Fd link) {
        return LinkInfo.of(link);
    }

    /** Opens the link with system-wide id {@code id}. */
    public static Fd byId(int id) {
        return ObjectIds.open(ObjectIds.Kind.LINK, id);
    }
}

package io.github.bpf2java.ebpf.internal.bpf;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.KernelErrors;
import io.github.bpf2java.ebpf.internal.syscall.NativeBuffer;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Program commands of {@code bpf(2)}: loading with the verifier's log on failure, test runs, attaching to cgroups
 * and other {@code BPF_PROG_ATTACH} targets, binding maps.
 *
 * <p>Internal: part of the syscall layer, not of the stable API.
 */
public final class Programs {
    // The length of the Ethernet header test-run packets start with (ETH_HLEN of linux/if_ether.h).
    private static final int ETH_HLEN = 14;

    private static final int EAGAIN_RETRIES = 5;
    /**
     * The program types a process with {@code CAP_BPF} but not {@code CAP_SYS_ADMIN} may load only with
     * {@code CAP_NET_ADMIN} too ({@code is_net_admin_prog_type} in {@code kernel/bpf/syscall.c}).
     */
    private static final Set<ProgramType> NET_ADMIN_TYPES = EnumSet.of(ProgramType.SCHED_CLS,
            ProgramType.SCHED_ACT, ProgramType.XDP, ProgramType.LWT_IN, ProgramType.LWT_OUT, ProgramType.LWT_XMIT,
            ProgramType.LWT_SEG6LOCAL, ProgramType.SK_SKB, ProgramType.SK_MSG, ProgramType.LIRC_MODE2,
            ProgramType.FLOW_DISSECTOR, ProgramType.CGROUP_DEVICE, ProgramType.CGROUP_SOCK,
            ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SOCKOPT, ProgramType.CGROUP_SYSCTL, ProgramType.SOCK_OPS,
            ProgramType.EXT, ProgramType.NETFILTER);
    /** The program types that also need {@code CAP_PERFMON} ({@code is_perfmon_prog_type}). */
    private static final Set<ProgramType> PERFMON_TYPES = EnumSet.of(ProgramType.KPROBE, ProgramType.TRACEPOINT,
            ProgramType.PERF_EVENT, ProgramType.RAW_TRACEPOINT, ProgramType.RAW_TRACEPOINT_WRITABLE,
            ProgramType.TRACING, ProgramType.LSM, ProgramType.STRUCT_OPS, ProgramType.EXT);

    private Programs() {}

    /**
     * Loads a program ({@code BPF_PROG_LOAD}). The first attempt runs without a verifier log, which is fastest; when
     * it fails, the load is repeated with a log at the request's level, in a buffer grown until the whole log
     * fits.
     *
     * @return the program's descriptor
     * @throws VerifierException when the verifier rejects the program, with its complete log
     * @throws KernelException   for other refusals: permissions, a type this kernel lacks, bad attributes
     */
    public static Fd load(ProgramLoadRequest request) {
        Memlock.ensureSufficient();
        int count = request.fdArray().size();
        try (NativeBuffer insns = NativeBuffer.of(request.instructions());
                NativeBuffer license = NativeBuffer.cString(request.license());
                NativeBuffer funcInfo = request.funcInfo().map(r -> NativeBuffer.of(r.records())).orElse(null);
                NativeBuffer lineInfo = request.lineInfo().map(r -> NativeBuffer.of(r.records())).orElse(null);
                NativeBuffer coreRelos = request.coreRelocations().map(r -> NativeBuffer.of(r.records())).orElse(null);
                NativeBuffer fdArray = count == 0 ? null : new NativeBuffer(4L * count);
                NativeBuffer attr = new NativeBuffer(AttrLayout.ProgLoad.SIZE)) {
            for (int i = 0; i < count; i++) {
                fdArray.putInt(4 * i, request.fdArray().get(i).raw());
            }
            attr.putInt(AttrLayout.ProgLoad.PROG_TYPE, request.type().value())
                    .putInt(AttrLayout.ProgLoad.INSN_CNT, request.instructionCount())
                    .putPointer(AttrLayout.ProgLoad.INSNS, insns)
                    .putPointer(AttrLayout.ProgLoad.LICENSE, license)
                    .putInt(AttrLayout.ProgLoad.KERN_VERSION, request.kernVersion())
                    .putInt(AttrLayout.ProgLoad.PROG_FLAGS, request.flags())
                    .putBytes(AttrLayout.ProgLoad.PROG_NAME, ObjectName.field(request.name()))
                    .putInt(AttrLayout.ProgLoad.PROG_IFINDEX, request.ifindex())
                    .putInt(AttrLayout.ProgLoad.EXPECTED_ATTACH_TYPE,
                            request.expectedAttachType().map(AttachType::value).orElse(request.structOpsMember()))
                    .putInt(AttrLayout.ProgLoad.PROG_BTF_FD, request.btf().map(Fd::raw).orElse(0))
                    .putInt(AttrLayout.ProgLoad.ATTACH_BTF_ID, request.attachBtfId())
                    .putInt(AttrLayout.ProgLoad.ATTACH_PROG_FD, request.attachTarget().map(Fd::raw).orElse(0))
                    .putPointer(AttrLayout.ProgLoad.FD_ARRAY, fdArray);
            request.funcInfo().ifPresent(r -> attr
                    .putInt(AttrLayout.ProgLoad.FUNC_INFO_REC_SIZE, r.recordSize())
                    .putPointer(AttrLayout.ProgLoad.FUNC_INFO, funcInfo)
                    .putInt(AttrLayout.ProgLoad.FUNC_INFO_CNT, r.count()));
            request.lineInfo().ifPresent(r -> attr
                    .putInt(AttrLayout.ProgLoad.LINE_INFO_REC_SIZE, r.recordSize())
                    .putPointer(AttrLayout.ProgLoad.LINE_INFO, lineInfo)
                    .putInt(AttrLayout.ProgLoad.LINE_INFO_CNT, r.count()));
            request.coreRelocations().ifPresent(r -> attr
                    .putInt(AttrLayout.ProgLoad.CORE_RELO_REC_SIZE, r.recordSize())
                    .putPointer(AttrLayout.ProgLoad.CORE_RELOS, coreRelos)
                    .putInt(AttrLayout.ProgLoad.CORE_RELO_CNT, r.count()));

            long result = invokeLoad(attr);
            if (result >= 0) {
                return Fd.adopt((int) result, request.subject());
            }
            int errno = (int) -result;
            if (Errno.ENOMEM.is(errno)) {
                throw loadError(request, errno);
            }
            // Any other errno may come from the verifier (EACCES, EINVAL, E2BIG, even EPERM and EBADF): the retry's
            // log tells. An empty log means the refusal came before verification.
            return loadWithLog(request, attr, errno);
        }
    }

    /** Retries the load with a verifier log, growing the buffer until the log fits. */
    private static Fd loadWithLog(ProgramLoadRequest request, NativeBuffer attr, int firstErrno) {
        int size = KernelLog.INITIAL_SIZE;
        while (true) {
            try (NativeBuffer log = new NativeBuffer(size)) {
                attr.putInt(AttrLayout.ProgLoad.LOG_LEVEL, request.logLevel())
                        .putInt(AttrLayout.ProgLoad.LOG_SIZE, size)
                        .putPointer(AttrLayout.ProgLoad.LOG_BUF, log)
                        .putInt(AttrLayout.ProgLoad.LOG_TRUE_SIZE, 0);
                long result = invokeLoad(attr);
                if (result >= 0) {
                    // Accepted on the retry (a transient failure the first time): keep it.
                    return Fd.adopt((int) result, request.subject());
                }
                int errno = (int) -result;
                String text = log.getCString(0, size);
                if (Errno.ENOSPC.is(errno)) {
                    int next = KernelLog.nextSize(size, attr.getInt(AttrLayout.ProgLoad.LOG_TRUE_SIZE));
                    if (next > 0) {
                        size = next;
                        continue;
                    }
                    throw new VerifierException(request.name(), firstErrno, text, true);
                }
                if (text.isBlank()) {
                    throw loadError(request, firstErrno);
                }
                // EPERM before the first instruction is the kernel's policy, not the verifier's finding.
                if (Errno.EPERM.is(firstErrno) && KernelLog.verifiedNothing(text)) {
                    throw loadError(request, firstErrno, true);
                }
                throw new VerifierException(request.name(), firstErrno, text, false);
            }
        }
    }

    private static long invokeLoad(NativeBuffer attr) {
        long result = BpfSyscall.invoke(BpfCommand.PROG_LOAD, attr, AttrLayout.ProgLoad.SIZE);
        // The verifier gives up with EAGAIN when a signal is pending; it is worth another try.
        for (int i = 0; i < EAGAIN_RETRIES && result == -Errno.EAGAIN.number(); i++) {
            result = BpfSyscall.invoke(BpfCommand.PROG_LOAD, attr, AttrLayout.ProgLoad.SIZE);
        }
        return result;
    }

    private static KernelException loadError(ProgramLoadRequest request, int errno) {
        return loadError(request, errno, false);
    }

    /** @param beforeVerification the verifier's log says it processed no instruction */
    private static KernelException loadError(ProgramLoadRequest request, int errno, boolean beforeVerification) {
        String feature = "program type " + request.type();
        String hint = null;
        if (Errno.EINVAL.is(errno)) {
            hint = "the kernel rejected the load attributes of this " + feature
                    + " (expected_attach_type, attach_btf_id, flags) without a verifier log";
        } else if (Errno.EPERM.is(errno)) {
            hint = KernelErrors.missingCapabilitiesHint("a program of type " + request.type(),
                    NET_ADMIN_TYPES.contains(request.type()), PERFMON_TYPES.contains(request.type()));
            if (hint == null && beforeVerification) {
                hint = "the kernel refused it before verifying any instruction, so not for what its code does";
            }
        }
        String chosen = hint;
        return KernelErrors.newerThanKernel("BPF_PROG_LOAD", errno, request.subject(), feature,
                TypeAvailability.firstKernel(request.type())).orElseGet(() -> KernelErrors.forErrno(
                        "BPF_PROG_LOAD", errno, request.subject(), chosen));
    }

    /**
     * Runs a loaded program on test input ({@code BPF_PROG_TEST_RUN}) and reports what it returned.
     *
     * @throws KernelException when the program type cannot be test-run or the input is refused
     */
    public static TestRunResult testRun(Fd program, TestRunRequest request) {
        return testRun(program, request, null);
    }

    /**
     * As {@link #testRun(Fd, TestRunRequest)}, naming the program's type in the error when the kernel refuses.
     *
     * @param type the program's type as users know it (e.g. {@code CGROUP_SOCK_ADDR}), or null
     */
    public static TestRunResult testRun(Fd program, TestRunRequest request, String type) {
        try (NativeBuffer dataIn = request.dataIn().map(NativeBuffer::of).orElse(null);
                NativeBuffer dataOut = request.dataOutCapacity() == 0 ? null
                        : new NativeBuffer(request.dataOutCapacity());
                NativeBuffer ctxIn = request.contextIn().map(NativeBuffer::of).orElse(null);
                NativeBuffer ctxOut = request.contextOutCapacity() == 0 ? null
                        : new NativeBuffer(request.contextOutCapacity());
                NativeBuffer attr = new NativeBuffer(AttrLayout.TestRun.SIZE);
                Fd.Held held = program.hold()) {
            attr.putInt(AttrLayout.TestRun.PROG_FD, held.raw())
                    .putInt(AttrLayout.TestRun.DATA_SIZE_IN, dataIn == null ? 0 : dataIn.size())
                    .putInt(AttrLayout.TestRun.DATA_SIZE_OUT, request.dataOutCapacity())
                    .putPointer(AttrLayout.TestRun.DATA_IN, dataIn)
                    .putPointer(AttrLayout.TestRun.DATA_OUT, dataOut)
                    .putInt(AttrLayout.TestRun.REPEAT, request.repeat())
                    .putInt(AttrLayout.TestRun.CTX_SIZE_IN, ctxIn == null ? 0 : ctxIn.size())
                    .putInt(AttrLayout.TestRun.CTX_SIZE_OUT, request.contextOutCapacity())
                    .putPointer(AttrLayout.TestRun.CTX_IN, ctxIn)
                    .putPointer(AttrLayout.TestRun.CTX_OUT, ctxOut)
                    .putInt(AttrLayout.TestRun.FLAGS, request.flags())
                    .putInt(AttrLayout.TestRun.CPU, request.cpu())
                    .putInt(AttrLayout.TestRun.BATCH_SIZE, request.batchSize());
            long result = BpfSyscall.invoke(BpfCommand.PROG_TEST_RUN, attr, AttrLayout.TestRun.SIZE);
            if (result < 0) {
                int errno = (int) -result;
                throw KernelErrors.forErrno("BPF_PROG_TEST_RUN", errno, program.description(),
                        Errno.ENOSPC.is(errno) ? "the output is larger than the capacity asked for (data "
                                + request.dataOutCapacity() + ", context " + request.contextOutCapacity() + " bytes)"
                                : Errno.ENOTSUPP.is(errno) ? (type == null ? "this program type"
                                        : "a program of type " + type) + " cannot be test-run; the types that can, and"
                                        + " the input each takes, are listed in io.github.bpf2java.ebpf.run"
                                : Errno.EINVAL.is(errno) ? "the kernel refused this input" + (type == null ? ""
                                        : " for a program of type " + type) + shortFrame(request, type) + ": see the "
                                        + "data and context each type takes in io.github.bpf2java.ebpf.run"
                                : Errno.E2BIG.is(errno) && request.contextIn().isPresent() ? "the context ("
                                        + request.contextIn().get().length + " bytes) is longer than the kernel's "
                                        + "context struct for " + (type == null ? "this type" : type) + " programs, "
                                        + "and its bytes past the struct are not zero: give the struct's own size"
                                : null);
            }
            int dataSize = Math.min(attr.getInt(AttrLayout.TestRun.DATA_SIZE_OUT), request.dataOutCapacity());
            int ctxSize = Math.min(attr.getInt(AttrLayout.TestRun.CTX_SIZE_OUT), request.contextOutCapacity());
            return new TestRunResult(attr.getInt(AttrLayout.TestRun.RETVAL),
                    Integer.toUnsignedLong(attr.getInt(AttrLayout.TestRun.DURATION)),
                    dataOut == null ? new byte[0] : dataOut.getBytes(0, dataSize),
                    ctxOut == null ? new byte[0] : ctxOut.getBytes(0, ctxSize));
        }
    }

    /**
     * What is likely wrong with a packet the kernel refused: the packet types' test runs (XDP, tc, socket filters,
     * ...) take a frame from its Ethernet header on, and refuse one shorter than that header.
     */
    private static String shortFrame(TestRunRequest request, String type) {
        byte[] frame = request.dataIn().orElse(null);
        if (frame == null) {
            return "";
        }
        if (frame.length < ETH_HLEN) {
            return " (a packet of " + frame.length + " bytes, shorter than the " + ETH_HLEN + "-byte Ethernet header "
                    + "a frame starts with)";
        }
        // The socket buffer types' runs also want the whole IP header an IPv4 or IPv6 EtherType announces.
        int etherType = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
        int needed = etherType == 0x0800 ? ETH_HLEN + 20 : etherType == 0x86dd ? ETH_HLEN + 40 : 0;
        boolean skb = type != null && !type.equals("XDP");
        return skb && frame.length < needed ? " (an " + (etherType == 0x0800 ? "IPv4" : "IPv6") + " frame of "
                + frame.length + " bytes: the kernel wants the whole IP header too, " + needed + " bytes, before a "
                + "program of type " + type + " runs)" : "";
    }

    /**
     * Runs a {@code BPF_PROG_TYPE_SYSCALL} program with {@code context}: the kernel copies the context as the program
     * left it back into {@code ctx_in} (it refuses {@code ctx_out}, repeat and data), so the result's context out is
     * read from there.
     *
     * @throws KernelException when the kernel refuses the run
     */
    public static TestRunResult testRunSyscall(Fd program, byte[] context) {
        try (NativeBuffer ctx = NativeBuffer.of(context);
                NativeBuffer attr = new NativeBuffer(AttrLayout.TestRun.SIZE);
                Fd.Held held = program.hold()) {
            attr.putInt(AttrLayout.TestRun.PROG_FD, held.raw())
                    .putInt(AttrLayout.TestRun.CTX_SIZE_IN, ctx.size())
                    .putPointer(AttrLayout.TestRun.CTX_IN, ctx);
            long result = BpfSyscall.invoke(BpfCommand.PROG_TEST_RUN, attr, AttrLayout.TestRun.SIZE);
            if (result < 0) {
                throw KernelErrors.forErrno("BPF_PROG_TEST_RUN", (int) -result, program.description(),
                        "a syscall program takes only a context: no data, repeat, flags or context out");
            }
            return new TestRunResult(attr.getInt(AttrLayout.TestRun.RETVAL), 0, new byte[0],
                    ctx.getBytes(0, ctx.size()));
        }
    }

    /**
     * Attaches a program with {@code BPF_PROG_ATTACH}: to a cgroup, a socket map, a network namespace (flow
     * dissector, sk_lookup), a device (tcx), ...
     */
    public static void attach(ProgramAttachment attachment) {
        try (Fd.Held program = attachment.program().hold();
                Fd.Held replaced = attachment.replace().map(Fd::hold).orElse(null);
                NativeBuffer attr = attachAttr(attachment, program)) {
            attr.putInt(AttrLayout.ProgAttach.ATTACH_FLAGS, attachment.flags())
                    .putInt(AttrLayout.ProgAttach.REPLACE_BPF_FD, replaced == null ? 0 : replaced.raw());
            BpfSyscall.call(BpfCommand.PROG_ATTACH, attr, AttrLayout.ProgAttach.SIZE, attachment.describe());
        }
    }

    /**
     * The programs attached to {@code target} (a cgroup) at {@code type}, and the mode of those attachments
     * ({@code BPF_PROG_QUERY}, not {@code BPF_F_QUERY_EFFECTIVE}: what this target holds, not what it inherits).
     * The count is asked first; the ids are read into a buffer of that size, grown if attachments came meanwhile.
     *
     * @throws KernelException when the kernel refuses the query, e.g. {@code EPERM} without {@code CAP_NET_ADMIN}
     */
    public static AttachedPrograms query(Fd target, AttachType type) {
        String subject = target.description() + " as " + type;
        int capacity = 0;
        try (Fd.Held held = target.hold()) {
            for (int attempt = 0; ; attempt++) {
                try (NativeBuffer ids = capacity == 0 ? null : new NativeBuffer(4L * capacity);
                        NativeBuffer attr = new NativeBuffer(AttrLayout.ProgQuery.SIZE)) {
                    attr.putInt(AttrLayout.ProgQuery.TARGET_FD, held.raw())
                            .putInt(AttrLayout.ProgQuery.ATTACH_TYPE, type.value())
                            .putInt(AttrLayout.ProgQuery.PROG_CNT, capacity);
                    if (ids != null) {
                        attr.putPointer(AttrLayout.ProgQuery.PROG_IDS, ids);
                    }
                    long result = BpfSyscall.invoke(BpfCommand.PROG_QUERY, attr, AttrLayout.ProgQuery.SIZE);
                    int count = attr.getInt(AttrLayout.ProgQuery.PROG_CNT);
                    boolean tooSmall = result == -Errno.ENOSPC.number() || result == 0 && ids == null && count > 0;
                    if (tooSmall && attempt < EAGAIN_RETRIES) {
                        capacity = count + 1;
                        continue;
                    }
                    if (result < 0) {
                        throw KernelErrors.forErrno(BpfCommand.PROG_QUERY.uapiName(), (int) -result, subject);
                    }
                    List<Integer> programIds = new ArrayList<>(count);
                    for (int i = 0; i < count && ids != null; i++) {
                        programIds.add(ids.getInt(4 * i));
                    }
                    return new AttachedPrograms(attr.getInt(AttrLayout.ProgQuery.ATTACH_FLAGS), programIds);
                }
            }
        }
    }

    /** Detaches what {@link #attach} attached ({@code BPF_PROG_DETACH}). */
    public static void detach(ProgramAttachment attachment) {
        try (Fd.Held program = attachment.program().hold();
                NativeBuffer attr = attachAttr(attachment, program)) {
            attr.putInt(AttrLayout.ProgAttach.ATTACH_FLAGS, attachment.flags());
            BpfSyscall.call(BpfCommand.PROG_DETACH, attr, AttrLayout.ProgAttach.SIZE, attachment.describe());
        }
    }

    private static NativeBuffer attachAttr(ProgramAttachment a, Fd.Held program) {
        NativeBuffer attr = new NativeBuffer(AttrLayout.ProgAttach.SIZE);
        attr.putInt(AttrLayout.ProgAttach.TARGET_FD, a.target())
                .putInt(AttrLayout.ProgAttach.ATTACH_BPF_FD, program.raw())
                .putInt(AttrLayout.ProgAttach.ATTACH_TYPE, a.type().value())
                .putInt(AttrLayout.ProgAttach.RELATIVE_FD, a.relativeFdOrId())
                .putLong(AttrLayout.ProgAttach.EXPECTED_REVISION, a.expectedRevision());
        return attr;
    }

    /**
     * Keeps {@code map} alive as long as {@code program}, though no instruction refers to it
     * ({@code BPF_PROG_BIND_MAP}); used for maps only user space reads, such as {@code .rodata} metadata.
     */
    public static void bindMap(Fd program, Fd map) {
        try (NativeBuffer attr = new NativeBuffer(AttrLayout.ProgBindMap.SIZE);
                Fd.Held heldProgram = program.hold();
                Fd.Held heldMap = map.hold()) {
            attr.putInt(AttrLayout.ProgBindMap.PROG_FD, heldProgram.raw())
                    .putInt(AttrLayout.ProgBindMap.MAP_FD, heldMap.raw());
            BpfSyscall.call(BpfCommand.PROG_BIND_MAP, attr, AttrLayout.ProgBindMap.SIZE,
                    program.description() + " and " + map.description());
        }
    }

    /** What the kernel reports about a loaded program, including the ids of the maps it uses. */
    public static ProgramInfo info(Fd program) {
        return ProgramInfo.of(program);
    }

    /** Opens the program with system-wide id {@code id}. */
    public static Fd byId(int id) {
        return ObjectIds.open(ObjectIds.Kind.PROGRAM, id);
    }
}

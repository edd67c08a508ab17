package io.github.bpf2java.ebpf.internal.probe;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.internal.bpf.LinkCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.LinkParameters;
import io.github.bpf2java.ebpf.internal.bpf.Links;
import io.github.bpf2java.ebpf.internal.bpf.MapCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.MapFlag;
import io.github.bpf2java.ebpf.internal.bpf.ProgramLoadRequest;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;

/** Probes of what is neither a BTF kind nor a map or program type: each creates what it asks about, or tries. */
final class CapabilityProbes {
    private CapabilityProbes() {}

    /** Answers {@code feature}; not for the BTF kinds. */
    static boolean has(KernelFeature feature) {
        try {
            return switch (feature) {
                case GLOBAL_DATA -> globalData();
                case MMAPABLE_MAPS -> mmapableArray();
                case BATCH_OPS -> batchLookup();
                case BPF_LINK -> linkCreate(ProgramType.CGROUP_SKB, AttachType.CGROUP_INET_INGRESS,
                        new LinkParameters.None());
                case PERF_LINK -> linkCreate(ProgramType.KPROBE, AttachType.PERF_EVENT,
                        new LinkParameters.PerfEvent(0));
                case UPROBE_MULTI_LINK -> uprobeMultiLink();
                case BOUNDED_LOOPS -> loads(ProbeCode.boundedLoop());
                case LARGE_PROGRAMS -> loads(ProbeCode.largeProgram());
                case ISA_V2 -> loads(ProbeCode.jumpIfLess());
                case ISA_V3 -> loads(ProbeCode.jump32());
                case ISA_V4 -> loads(ProbeCode.signExtendingMove());
                default -> throw new IllegalArgumentException(feature + " is probed through BTF");
            };
        } catch (PermissionException e) {
            throw e;
        } catch (KernelException e) {
            return false;
        }
    }

    /** Whether a socket filter of {@code code} loads. */
    @SuppressWarnings("try") // held open only to be closed
    private static boolean loads(byte[] code) {
        try (Fd program = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER, code, "GPL")
                .name("probe").build())) {
            return true;
        }
    }

    /** A socket filter that stores into an array map's value through a direct address load. */
    @SuppressWarnings("try") // held open only to be closed
    private static boolean globalData() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 8, 1).name("probe").build());
                Fd.Held held = map.fd().hold();
                Fd program = Programs.load(ProgramLoadRequest.builder(ProgramType.SOCKET_FILTER,
                        ProbeCode.storeIntoMapValue(held.raw()), "GPL").name("probe").build())) {
            return true;
        }
    }

    @SuppressWarnings("try") // held open only to be closed
    private static boolean mmapableArray() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 4, 1)
                .flags(MapFlag.MMAPABLE.value()).name("probe").build())) {
            return true;
        }
    }

    /** An empty hash map's batch lookup ends at once ({@code ENOENT}) where the command exists. */
    private static boolean batchLookup() {
        try (MapFd map = MapFd.create(MapCreateRequest.builder(MapType.HASH, 4, 4, 1).name("probe").build())) {
            map.lookupBatch(null, 1, false);
            return true;
        }
    }

    /**
     * A uprobe.multi link on {@code /}: a kernel with such links gets as far as the file and refuses a directory
     * ({@code EBADF}); one without refuses the attach type first ({@code EINVAL}). The first kernels with them took
     * the pid filter for a thread id, and a process of several threads lost events; the fix also made a negative
     * pid an error before the file is looked at, so a pid of -1 must fail with {@code EINVAL}, not {@code EBADF}.
     */
    private static boolean uprobeMultiLink() {
        ProgramLoadRequest request = ProgramLoadRequest.builder(ProgramType.KPROBE, ProbeCode.returnZero(), "GPL")
                .name("probe").expectedAttachType(AttachType.TRACE_UPROBE_MULTI)
                .kernVersion(KernelVersion.running().code()).build();
        try (Fd program = Programs.load(request)) {
            return Errno.EBADF.is(uprobeMultiErrno(program, 0))
                    && Errno.EINVAL.is(uprobeMultiErrno(program, -1));
        }
    }

    /** The errno of a uprobe.multi link on {@code /} for {@code pid}; 0 if, against all odds, it was made. */
    private static int uprobeMultiErrno(Fd program, int pid) {
        try {
            Links.create(new LinkCreateRequest(program, 0, "probe target", AttachType.TRACE_UPROBE_MULTI, 0,
                    new LinkParameters.UprobeMulti("/", new long[] {0}, new long[0], new long[0], 0, pid))).close();
            return 0;
        } catch (KernelException e) {
            if (e instanceof PermissionException) {
                throw e;
            }
            return e.errno();
        }
    }

    /**
     * A link to descriptor -1: a kernel that can make such a link fails only at the target ({@code EBADF}); one
     * that cannot refuses the command or attach type first ({@code EINVAL}).
     */
    private static boolean linkCreate(ProgramType type, AttachType attachType, LinkParameters parameters) {
        ProgramLoadRequest request = ProgramLoadRequest.builder(type, ProbeCode.returnZero(), "GPL").name("probe")
                .kernVersion(KernelVersion.running().code()).build();
        try (Fd program = Programs.load(request)) {
            Links.create(new LinkCreateRequest(program, -1, "probe target", attachType, 0, parameters)).close();
            return true;
        } catch (KernelException e) {
            if (e instanceof PermissionException) {
                throw e;
            }
            return Errno.EBADF.is(e.errno());
        }
    }
}

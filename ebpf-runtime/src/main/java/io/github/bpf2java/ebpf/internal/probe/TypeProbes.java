package io.github.bpf2java.ebpf.internal.probe;

import io.github.bpf2java.ebpf.error.Errno;
import io.github.bpf2java.ebpf.error.KernelException;
import io.github.bpf2java.ebpf.error.PermissionException;
import io.github.bpf2java.ebpf.error.VerifierException;
import io.github.bpf2java.ebpf.internal.bpf.MapCreateRequest;
import io.github.bpf2java.ebpf.internal.bpf.MapFd;
import io.github.bpf2java.ebpf.internal.bpf.MapFlag;
import io.github.bpf2java.ebpf.internal.bpf.ProgramFlag;
import io.github.bpf2java.ebpf.internal.bpf.ProgramLoadRequest;
import io.github.bpf2java.ebpf.internal.bpf.Programs;
import io.github.bpf2java.ebpf.internal.host.KernelVersion;
import io.github.bpf2java.ebpf.internal.syscall.Fd;
import io.github.bpf2java.ebpf.internal.syscall.Libc;
import io.github.bpf2java.ebpf.spec.AttachType;
import io.github.bpf2java.ebpf.spec.MapType;
import io.github.bpf2java.ebpf.spec.ProgramType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether the kernel has a map type, a program type, or a helper for a program type: the smallest valid map of the
 * type is created, or a trivial program loaded, as libbpf's {@code libbpf_probe_bpf_*} do. An unknown type is
 * refused with {@code EINVAL}; other refusals mean the same, except {@code EPERM}, which means the question cannot
 * be answered by this process and is thrown as a {@link PermissionException}.
 */
public final class TypeProbes {
    /**
     * Program types that load only against a target (a kernel function, an LSM hook, another program, a struct_ops
     * member): a trivial program cannot tell whether the type exists.
     */
    private static final Set<ProgramType> NEED_TARGET = EnumSet.of(ProgramType.UNSPEC, ProgramType.TRACING,
            ProgramType.LSM, ProgramType.EXT, ProgramType.STRUCT_OPS);
    private static final Set<MapType> LOCAL_STORAGE = EnumSet.of(MapType.SK_STORAGE, MapType.INODE_STORAGE,
            MapType.TASK_STORAGE, MapType.CGRP_STORAGE);
    /** {@code sizeof(struct bpf_cgroup_storage_key)}: a cgroup inode id and an attach type, padded. */
    private static final int CGROUP_STORAGE_KEY_SIZE = 16;

    private TypeProbes() {}

    /** Whether a map of {@code type} can be created. */
    public static boolean hasMapType(MapType type) {
        if (type == MapType.UNSPEC) {
            return false;
        }
        try {
            createProbeMap(type).close();
            return true;
        } catch (PermissionException e) {
            throw e;
        } catch (KernelException e) {
            // A struct_ops map needs a kernel structure; id 1 is none, which only a kernel with the type says so.
            return type == MapType.STRUCT_OPS && Errno.ENOTSUPP.is(e.errno());
        }
    }

    private static MapFd createProbeMap(MapType type) {
        int page = Libc.pageSize();
        MapCreateRequest.Builder map = switch (type) {
            case STACK_TRACE -> MapCreateRequest.builder(type, 4, 8, 1);
            case LPM_TRIE -> MapCreateRequest.builder(type, 8, 4, 1).flags(MapFlag.NO_PREALLOC.value());
            case CGROUP_STORAGE, PERCPU_CGROUP_STORAGE -> MapCreateRequest.builder(type, CGROUP_STORAGE_KEY_SIZE, 4,
                    0);
            case QUEUE, STACK, BLOOM_FILTER -> MapCreateRequest.builder(type, 0, 4, 1);
            case RINGBUF, USER_RINGBUF -> MapCreateRequest.builder(type, 0, 0, page);
            case ARENA -> MapCreateRequest.builder(type, 0, 0, 1).flags(MapFlag.MMAPABLE.value());
            case STRUCT_OPS -> MapCreateRequest.builder(type, 4, 256, 1).btfVmlinuxValueTypeId(1);
            case SK_STORAGE, INODE_STORAGE, TASK_STORAGE, CGRP_STORAGE ->
                    MapCreateRequest.builder(type, 4, 4, 0).flags(MapFlag.NO_PREALLOC.value());
            default -> MapCreateRequest.builder(type, 4, 4, 1);
        };
        map.name("probe");
        if (type == MapType.ARRAY_OF_MAPS || type == MapType.HASH_OF_MAPS) {
            try (MapFd inner = MapFd.create(MapCreateRequest.builder(MapType.ARRAY, 4, 4, 1).build())) {
                return MapFd.create(map.innerMap(inner.fd()).build());
            }
        }
        if (LOCAL_STORAGE.contains(type)) {
            // Local storage keeps a typed value: the kernel insists on BTF for key and value.
            try (Fd btf = BtfProbes.intTypes()) {
                return MapFd.create(map.btf(btf, BtfProbes.intTypeId(), BtfProbes.intTypeId()).build());
            }
        }
        return MapFd.create(map.build());
    }

    /**
     * Whether a trivial program of {@code type} loads. Types that load only against a target (tracing, LSM,
     * extension, struct_ops) answer false.
     */
    @SuppressWarnings("try") // held open only to be closed
    public static boolean hasProgramType(ProgramType type) {
        if (NEED_TARGET.contains(type)) {
            return false;
        }
        try (Fd fd = Programs.load(request(type, ProgramCode.RETURN_ZERO, 0))) {
            return true;
        } catch (PermissionException e) {
            throw e;
        } catch (KernelException e) {
            return false;
        }
    }

    /**
     * Whether programs of {@code type} may call helper {@code helper} ({@code BPF_FUNC_*} number): a program
     * calling it is loaded and the verifier's words tell an unknown or forbidden helper from any other complaint.
     */
    @SuppressWarnings("try") // held open only to be closed
    public static boolean hasHelper(ProgramType type, int helper) {
        if (helper <= 0 || !hasProgramType(type)) {
            return false;
        }
        try (Fd fd = Programs.load(request(type, ProgramCode.CALL, helper))) {
            return true;
        } catch (VerifierException e) {
            String log = e.log();
            return !(log.contains("invalid func ") || log.contains("unknown func ")
                    || log.contains("program of this type cannot use helper "));
        } catch (PermissionException e) {
            throw e;
        } catch (KernelException e) {
            return false;
        }
    }

    /** Program types whose expected attach type the kernel checks when it loads a program. */
    public static final Set<ProgramType> CHECKED_ATTACH_TYPES = EnumSet.of(ProgramType.CGROUP_SKB,
            ProgramType.CGROUP_SOCK, ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SOCKOPT, ProgramType.SK_LOOKUP,
            ProgramType.SK_REUSEPORT, ProgramType.NETFILTER);

    /**
     * Whether a trivial program of {@code type} loads with expected attach type {@code attachType}; only for the
     * {@link #CHECKED_ATTACH_TYPES}, whose loads the kernel refuses for an attach type it does not know.
     */
    @SuppressWarnings("try") // held open only to be closed
    public static boolean hasAttachType(ProgramType type, AttachType attachType) {
        if (!CHECKED_ATTACH_TYPES.contains(type)) {
            throw new IllegalArgumentException("the kernel does not check the expected attach type of " + type
                    + " programs at load; only of " + CHECKED_ATTACH_TYPES);
        }
        ProgramLoadRequest request = ProgramLoadRequest.builder(type, ProbeCode.returnZero(), "GPL").name("probe")
                .expectedAttachType(attachType).build();
        try (Fd fd = Programs.load(request)) {
            return true;
        } catch (PermissionException e) {
            throw e;
        } catch (KernelException e) {
            return false;
        }
    }

    private enum ProgramCode { RETURN_ZERO, CALL }

    /** A load request for {@code type} with what the kernel demands of that type beyond the code. */
    private static ProgramLoadRequest request(ProgramType type, ProgramCode code, int helper) {
        byte[] instructions = code == ProgramCode.CALL ? ProbeCode.callHelper(helper) : ProbeCode.returnZero();
        ProgramLoadRequest.Builder request = ProgramLoadRequest.builder(type, instructions, "GPL").name("probe")
                .kernVersion(KernelVersion.running().code());
        switch (type) {
            case CGROUP_SOCK_ADDR -> request.expectedAttachType(AttachType.CGROUP_INET4_CONNECT);
            case CGROUP_SOCKOPT -> request.expectedAttachType(AttachType.CGROUP_GETSOCKOPT);
            case SK_LOOKUP -> request.expectedAttachType(AttachType.SK_LOOKUP);
            case NETFILTER -> request.expectedAttachType(AttachType.NETFILTER);
            case SYSCALL -> request.flags(ProgramFlag.SLEEPABLE.value());
            default -> { }
        }
        return request.build();
    }
}

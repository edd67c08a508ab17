package io.github.bpf2java.ebpf.internal.bpf;

/**
 * Byte offsets of the {@code union bpf_attr} members this runtime writes, one nested class per command group, as in
 * {@code linux/bpf.h}. {@code SIZE} is the end of the last member we use: the size passed to {@code bpf(2)}, so a
 * kernel that knows fewer members sees only zeros past its own end. {@code AttrLayoutTest} checks every constant
 * against the C compiler's {@code offsetof}.
 */
public final class AttrLayout {
    private AttrLayout() {}

    /** {@code BPF_MAP_CREATE}. */
    static final class MapCreate {
        static final int MAP_TYPE = 0;
        static final int KEY_SIZE = 4;
        static final int VALUE_SIZE = 8;
        static final int MAX_ENTRIES = 12;
        static final int MAP_FLAGS = 16;
        static final int INNER_MAP_FD = 20;
        static final int NUMA_NODE = 24;
        static final int MAP_NAME = 28;
        static final int MAP_IFINDEX = 44;
        static final int BTF_FD = 48;
        static final int BTF_KEY_TYPE_ID = 52;
        static final int BTF_VALUE_TYPE_ID = 56;
        static final int BTF_VMLINUX_VALUE_TYPE_ID = 60;
        static final int MAP_EXTRA = 64;
        public static final int SIZE = 72;

        private MapCreate() {}
    }

    /** {@code BPF_MAP_*_ELEM}, {@code BPF_MAP_GET_NEXT_KEY}, {@code BPF_MAP_FREEZE}. */
    public static final class MapElem {
        public static final int MAP_FD = 0;
        static final int KEY = 8;
        static final int VALUE = 16;
        static final int NEXT_KEY = 16;
        public static final int FLAGS = 24;
        public static final int SIZE = 32;

        private MapElem() {}
    }

    /** {@code BPF_MAP_*_BATCH}: the {@code batch} member. */
    static final class Batch {
        static final int IN_BATCH = 0;
        static final int OUT_BATCH = 8;
        static final int KEYS = 16;
        static final int VALUES = 24;
        static final int COUNT = 32;
        public static final int MAP_FD = 36;
        static final int ELEM_FLAGS = 40;
        public static final int FLAGS = 48;
        public static final int SIZE = 56;

        private Batch() {}
    }

    /** {@code BPF_PROG_LOAD}. */
    static final class ProgLoad {
        static final int PROG_TYPE = 0;
        static final int INSN_CNT = 4;
        static final int INSNS = 8;
        static final int LICENSE = 16;
        static final int LOG_LEVEL = 24;
        static final int LOG_SIZE = 28;
        static final int LOG_BUF = 32;
        static final int KERN_VERSION = 40;
        static final int PROG_FLAGS = 44;
        static final int PROG_NAME = 48;
        static final int PROG_IFINDEX = 64;
        static final int EXPECTED_ATTACH_TYPE = 68;
        static final int PROG_BTF_FD = 72;
        static final int FUNC_INFO_REC_SIZE = 76;
        static final int FUNC_INFO = 80;
        static final int FUNC_INFO_CNT = 88;
        static final int LINE_INFO_REC_SIZE = 92;
        static final int LINE_INFO = 96;
        static final int LINE_INFO_CNT = 104;
        static final int ATTACH_BTF_ID = 108;
        static final int ATTACH_PROG_FD = 112;
        static final int ATTACH_BTF_OBJ_FD = 112;
        static final int CORE_RELO_CNT = 116;
        static final int FD_ARRAY = 120;
        static final int CORE_RELOS = 128;
        static final int CORE_RELO_REC_SIZE = 136;
        static final int LOG_TRUE_SIZE = 140;
        public static final int SIZE = 144;

        private ProgLoad() {}
    }

    /** {@code BPF_OBJ_PIN}, {@code BPF_OBJ_GET}. */
    static final class ObjPin {
        static final int PATHNAME = 0;
        static final int BPF_FD = 8;
        static final int FILE_FLAGS = 12;
        public static final int SIZE = 16;

        private ObjPin() {}
    }

    /** {@code BPF_PROG_ATTACH}, {@code BPF_PROG_DETACH}. */
    static final class ProgAttach {
        static final int TARGET_FD = 0;
        static final int ATTACH_BPF_FD = 4;
        static final int ATTACH_TYPE = 8;
        static final int ATTACH_FLAGS = 12;
        static final int REPLACE_BPF_FD = 16;
        static final int RELATIVE_FD = 20;
        static final int EXPECTED_REVISION = 24;
        public static final int SIZE = 32;

        private ProgAttach() {}
    }

    /** {@code BPF_PROG_QUERY}: the {@code query} member, up to {@code prog_attach_flags}. */
    static final class ProgQuery {
        static final int TARGET_FD = 0;
        static final int ATTACH_TYPE = 4;
        static final int QUERY_FLAGS = 8;
        static final int ATTACH_FLAGS = 12;
        static final int PROG_IDS = 16;
        static final int PROG_CNT = 24;
        static final int PROG_ATTACH_FLAGS = 32;
        public static final int SIZE = 40;

        private ProgQuery() {}
    }

    /** {@code BPF_PROG_TEST_RUN}: the {@code test} member. */
    static final class TestRun {
        static final int PROG_FD = 0;
        static final int RETVAL = 4;
        static final int DATA_SIZE_IN = 8;
        static final int DATA_SIZE_OUT = 12;
        static final int DATA_IN = 16;
        static final int DATA_OUT = 24;
        static final int REPEAT = 32;
        static final int DURATION = 36;
        static final int CTX_SIZE_IN = 40;
        static final int CTX_SIZE_OUT = 44;
        static final int CTX_IN = 48;
        static final int CTX_OUT = 56;
        public static final int FLAGS = 64;
        static final int CPU = 68;
        static final int BATCH_SIZE = 72;
        public static final int SIZE = 76;

        private TestRun() {}
    }

    /** {@code BPF_*_GET_NEXT_ID}, {@code BPF_*_GET_FD_BY_ID}. */
    static final class GetId {
        static final int START_ID = 0;
        static final int ID = 0;
        static final int NEXT_ID = 4;
        static final int OPEN_FLAGS = 8;
        public static final int SIZE = 12;

        private GetId() {}
    }

    /** {@code BPF_OBJ_GET_INFO_BY_FD}: the {@code info} member. */
    static final class Info {
        static final int BPF_FD = 0;
        static final int INFO_LEN = 4;
        static final int INFO = 8;
        public static final int SIZE = 16;

        private Info() {}
    }

    /** {@code BPF_RAW_TRACEPOINT_OPEN}: the {@code raw_tracepoint} member. */
    static final class RawTracepoint {
        static final int NAME = 0;
        static final int PROG_FD = 8;
        static final int COOKIE = 16;
        public static final int SIZE = 24;

        private RawTracepoint() {}
    }

    /** {@code BPF_BTF_LOAD}. */
    static final class BtfLoad {
        static final int BTF = 0;
        static final int BTF_LOG_BUF = 8;
        static final int BTF_SIZE = 16;
        static final int BTF_LOG_SIZE = 20;
        static final int BTF_LOG_LEVEL = 24;
        static final int BTF_LOG_TRUE_SIZE = 28;
        public static final int SIZE = 32;

        private BtfLoad() {}
    }

    /** {@code BPF_LINK_CREATE}: the {@code link_create} member and its per-type union. */
    static final class LinkCreate {
        static final int PROG_FD = 0;
        static final int TARGET_FD = 4;
        static final int TARGET_IFINDEX = 4;
        static final int ATTACH_TYPE = 8;
        public static final int FLAGS = 12;
        static final int TARGET_BTF_ID = 16;
        static final int ITER_INFO = 16;
        static final int ITER_INFO_LEN = 24;
        static final int PERF_EVENT_BPF_COOKIE = 16;
        static final int KPROBE_MULTI_FLAGS = 16;
        static final int KPROBE_MULTI_CNT = 20;
        static final int KPROBE_MULTI_SYMS = 24;
        static final int KPROBE_MULTI_ADDRS = 32;
        static final int KPROBE_MULTI_COOKIES = 40;
        static final int TRACING_TARGET_BTF_ID = 16;
        static final int TRACING_COOKIE = 24;
        static final int NETFILTER_PF = 16;
        static final int NETFILTER_HOOKNUM = 20;
        static final int NETFILTER_PRIORITY = 24;
        static final int NETFILTER_FLAGS = 28;
        static final int TCX_RELATIVE_FD = 16;
        static final int TCX_EXPECTED_REVISION = 24;
        static final int UPROBE_MULTI_PATH = 16;
        static final int UPROBE_MULTI_OFFSETS = 24;
        static final int UPROBE_MULTI_REF_CTR_OFFSETS = 32;
        static final int UPROBE_MULTI_COOKIES = 40;
        static final int UPROBE_MULTI_CNT = 48;
        static final int UPROBE_MULTI_FLAGS = 52;
        static final int UPROBE_MULTI_PID = 56;
        static final int NETKIT_RELATIVE_FD = 16;
        static final int NETKIT_EXPECTED_REVISION = 24;
        public static final int SIZE = 60;

        private LinkCreate() {}
    }

    /** {@code union bpf_iter_link_info}, which {@code link_create.iter_info} points to: one member per target kind. */
    static final class IterLinkInfo {
        static final int MAP_FD = 0;
        static final int CGROUP_ORDER = 0;
        static final int CGROUP_FD = 4;
        static final int CGROUP_ID = 8;
        static final int TASK_TID = 0;
        static final int TASK_PID = 4;
        static final int TASK_PID_FD = 8;
        public static final int SIZE = 16;

        private IterLinkInfo() {}
    }

    /** {@code BPF_LINK_UPDATE}. */
    static final class LinkUpdate {
        static final int LINK_FD = 0;
        static final int NEW_PROG_FD = 4;
        public static final int FLAGS = 8;
        static final int OLD_PROG_FD = 12;
        public static final int SIZE = 16;

        private LinkUpdate() {}
    }

    /** {@code BPF_LINK_DETACH}. */
    static final class LinkDetach {
        static final int LINK_FD = 0;
        public static final int SIZE = 4;

        private LinkDetach() {}
    }

    /** {@code BPF_ENABLE_STATS}. */
    static final class EnableStats {
        public static final int TYPE = 0;
        public static final int SIZE = 4;

        private EnableStats() {}
    }

    /** {@code BPF_ITER_CREATE}. */
    static final class IterCreate {
        static final int LINK_FD = 0;
        public static final int FLAGS = 4;
        public static final int SIZE = 8;

        private IterCreate() {}
    }

    /** {@code BPF_PROG_BIND_MAP}. */
    static final class ProgBindMap {
        static final int PROG_FD = 0;
        public static final int MAP_FD = 4;
        public static final int FLAGS = 8;
        public static final int SIZE = 12;

        private ProgBindMap() {}
    }

    /** {@code BPF_TOKEN_CREATE}. */
    static final class TokenCreate {
        public static final int FLAGS = 0;
        static final int BPFFS_FD = 4;
        public static final int SIZE = 8;

        private TokenCreate() {}
    }

    /** {@code struct bpf_map_info}. */
    static final class MapInfo {
        public static final int TYPE = 0;
        static final int ID = 4;
        static final int KEY_SIZE = 8;
        static final int VALUE_SIZE = 12;
        static final int MAX_ENTRIES = 16;
        static final int MAP_FLAGS = 20;
        static final int NAME = 24;
        static final int IFINDEX = 40;
        static final int BTF_VMLINUX_VALUE_TYPE_ID = 44;
        static final int NETNS_DEV = 48;
        static final int NETNS_INO = 56;
        static final int BTF_ID = 64;
        static final int BTF_KEY_TYPE_ID = 68;
        static final int BTF_VALUE_TYPE_ID = 72;
        static final int MAP_EXTRA = 80;
        public static final int SIZE = 88;

        private MapInfo() {}
    }

    /** {@code struct bpf_prog_info}. */
    static final class ProgInfo {
        public static final int TYPE = 0;
        static final int ID = 4;
        static final int TAG = 8;
        static final int JITED_PROG_LEN = 16;
        static final int XLATED_PROG_LEN = 20;
        static final int XLATED_PROG_INSNS = 32;
        static final int LOAD_TIME = 40;
        static final int CREATED_BY_UID = 48;
        static final int NR_MAP_IDS = 52;
        static final int MAP_IDS = 56;
        static final int NAME = 64;
        static final int IFINDEX = 80;
        /** The word holding the {@code gpl_compatible:1} bit field (bit 0 on little-endian, bit 31 on big-endian). */
        static final int GPL_COMPATIBLE_WORD = 84;
        static final int BTF_ID = 128;
        static final int NR_FUNC_INFO = 144;
        static final int NR_LINE_INFO = 148;
        static final int RUN_TIME_NS = 192;
        static final int RUN_CNT = 200;
        static final int RECURSION_MISSES = 208;
        static final int VERIFIED_INSNS = 216;
        static final int ATTACH_BTF_OBJ_ID = 220;
        static final int ATTACH_BTF_ID = 224;
        public static final int SIZE = 232;

        private ProgInfo() {}
    }

    /** {@code struct bpf_btf_info}. */
    static final class BtfInfo {
        static final int BTF = 0;
        static final int BTF_SIZE = 8;
        static final int ID = 12;
        static final int NAME = 16;
        static final int NAME_LEN = 24;
        static final int KERNEL_BTF = 28;
        public static final int SIZE = 32;

        private BtfInfo() {}
    }

    /** {@code struct bpf_link_info} and the members of its per-type union this runtime reads. */
    static final class LinkInfo {
        public static final int TYPE = 0;
        static final int ID = 4;
        static final int PROG_ID = 8;
        static final int RAW_TRACEPOINT_TP_NAME = 16;
        static final int RAW_TRACEPOINT_TP_NAME_LEN = 24;
        static final int TRACING_ATTACH_TYPE = 16;
        static final int TRACING_TARGET_OBJ_ID = 20;
        static final int TRACING_TARGET_BTF_ID = 24;
        static final int CGROUP_CGROUP_ID = 16;
        static final int CGROUP_ATTACH_TYPE = 24;
        static final int NETNS_NETNS_INO = 16;
        static final int NETNS_ATTACH_TYPE = 20;
        static final int XDP_IFINDEX = 16;
        static final int TCX_IFINDEX = 16;
        static final int TCX_ATTACH_TYPE = 20;
        static final int NETKIT_IFINDEX = 16;
        static final int NETKIT_ATTACH_TYPE = 20;
        static final int SOCKMAP_MAP_ID = 16;
        static final int SOCKMAP_ATTACH_TYPE = 20;
        static final int NETFILTER_PF = 16;
        static final int NETFILTER_HOOKNUM = 20;
        static final int NETFILTER_PRIORITY = 24;
        static final int NETFILTER_FLAGS = 28;
        static final int ITER_TARGET_NAME = 16;
        static final int ITER_TARGET_NAME_LEN = 24;
        // Then two unions: a 32-bit field may sit in the first (map), wider ones in the second (cgroup, task).
        static final int ITER_MAP_ID = 28;
        static final int ITER_CGROUP_ID = 32;
        static final int ITER_CGROUP_ORDER = 40;
        static final int ITER_TASK_TID = 32;
        static final int ITER_TASK_PID = 36;
        // perf_event: a u32 enum bpf_perf_event_type, padding, then a union: uprobe, kprobe and tracepoint start
        // with a name pointer and its length (uprobe and kprobe then the offset), event with config and type.
        static final int PERF_EVENT_TYPE = 16;
        static final int PERF_EVENT_NAME = 24;
        static final int PERF_EVENT_NAME_LEN = 32;
        static final int PERF_EVENT_OFFSET = 36;
        static final int PERF_EVENT_EVENT_CONFIG = 24;
        static final int PERF_EVENT_EVENT_TYPE = 32;
        // kprobe_multi (Linux 6.6+): addrs, count, flags, missed, cookies.
        static final int KPROBE_MULTI_COUNT = 24;
        static final int KPROBE_MULTI_FLAGS = 28;
        static final int KPROBE_MULTI_MISSED = 32;
        // uprobe_multi (Linux 6.8+): path, offsets, ref_ctr_offsets, cookies, path_size, count, flags, pid.
        static final int UPROBE_MULTI_PATH = 16;
        static final int UPROBE_MULTI_PATH_SIZE = 48;
        static final int UPROBE_MULTI_COUNT = 52;
        static final int UPROBE_MULTI_FLAGS = 56;
        static final int UPROBE_MULTI_PID = 60;
        /** Room for the largest union member of recent kernels; the kernel fills what it has. */
        public static final int SIZE = 128;

        private LinkInfo() {}
    }

    /** {@code struct perf_event_attr} of {@code linux/perf_event.h}; {@code SIZE} is {@code PERF_ATTR_SIZE_VER8}. */
    public static final class PerfEvent {
        public static final int TYPE = 0;
        public static final int SIZE_FIELD = 4;
        public static final int CONFIG = 8;
        public static final int SAMPLE_PERIOD = 16;
        static final int SAMPLE_FREQ = 16;
        public static final int SAMPLE_TYPE = 24;
        public static final int READ_FORMAT = 32;
        /** The 64-bit word of one-bit flags ({@code disabled}, {@code inherit}, ...). */
        public static final int FLAGS = 40;
        public static final int WAKEUP_EVENTS = 48;
        static final int WAKEUP_WATERMARK = 48;
        static final int BP_TYPE = 52;
        public static final int CONFIG1 = 56;
        public static final int CONFIG2 = 64;
        public static final int CONFIG3 = 128;
        public static final int SIZE = 136;

        private PerfEvent() {}
    }
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The golden generated class's source: maps of several kinds, globals in every kind of data section, records with
 * bit fields, unions, arrays, enums, strings and anonymous members, several programs, a ring buffer carrying a
 * typed record, #define constants, and a program whose section attach() cannot read. GoldenClassTest generates
 * its class and compares it with src/test/golden/com/example/ebpf/Golden.java.
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

/* Integer literals become Java constants; the rest are left out. */
#define MAX_ENTRIES 1024
#define RING_BYTES 262144
#define NEG_OFFSET (-12)
#define ALL_BITS 0xffffffffU
#define BIG_MASK 0x1ffffffffULL
#define OCTAL_MODE 0644
#define LONG_ONE 1L
#define NAME "golden"
#define SHIFTED (1 << 3)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define GONE 7
#undef GONE

enum state {
    STATE_IDLE = 0,
    STATE_RUNNING = 1,
    STATE_DEAD = 0x80000000u,
};

enum direction { INGRESS = -1, NONE, EGRESS };

struct point {
    __s16 x;
    __s16 y;
};

union word {
    __u32 as_u32;
    __u8 as_bytes[4];
    float as_float;
};

struct event {
    __u32 pid;
    char comm[16];
    __u64 timestamp_ns;
    enum state state;
    __u8 flags : 3;
    __u8 mode : 5;
    __s32 signed_bits : 7;
    enum direction dir : 2;
    bool urgent : 1;
    union word raw;
    struct {
        __u16 lo;
        __u16 hi;
    };
    union {
        __u32 ipv4;
        __u8 ipv6_prefix[4];
    };
    struct {
        __u8 level;
        __s32 delta;
    } inner;
    __s32 values[4];
    __s16 grid[2][3];
    char names[3][8];
    void *ptr;
    struct point points[2];
    bool ok;
    float ratio;
    double average;
    __s8 small;
    __u64 class;
    __u8 label[8];
    __be16 dport;
    __be32 saddr;
};

struct key {
    __u32 id;
    char name[6];
};

struct config {
    __u32 sample_rate;
    bool verbose;
    char tag[8];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_ENTRIES);
    __type(key, __u32);
    __type(value, struct event);
} events_by_pid SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 64);
    __type(key, __be32);
    __type(value, __u64);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} packets_by_source SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} per_cpu_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 128);
    __type(key, struct key);
    __type(value, enum state);
} states SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, RING_BYTES);
    __type(value, struct event);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} jump_table SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct {
        __uint(type, BPF_MAP_TYPE_HASH);
        __uint(max_entries, 64);
        __type(key, __u32);
        __type(value, __u64);
    });
} rule_sets SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 16);
    __type(value, __u32);
} pending SEC(".maps");

/* .bss */
__u64 counter;
__u32 other;
void *last_ptr;
/* .data */
__s32 initialized = -5;
struct config config = { .sample_rate = 100, .verbose = true, .tag = "gold" };
float scale = 1.5f;
/* .rodata */
const volatile __u32 target_pid = 0;
const volatile bool verbose = false;
const volatile enum state wanted_state = STATE_RUNNING;
const volatile char greeting[8] = "hello";
/* Not volatile: clang folds its value into the code, so Options has no setter for it. */
const __u32 blocked_uid = 16843009;
/* custom sections */
__u64 drops SEC(".data.stats");
const volatile __u16 limit SEC(".rodata.limits") = 9;

/* BPF has no floating point arithmetic: the bits of scale are all a program can use. */
static __always_inline __u32 scale_bits(void)
{
    return *(volatile __u32 *)&scale;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int handle_exec(void *ctx)
{
    __u32 pid = bpf_get_current_pid_tgid() >> 32;
    struct event *e;

    if (bpf_get_current_uid_gid() == blocked_uid)
        return 0;
    if (target_pid && pid != target_pid)
        return 0;
    e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    __builtin_memset(e, 0, sizeof(*e));
    e->pid = pid;
    e->state = wanted_state;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    bpf_ringbuf_submit(e, 0);
    __sync_fetch_and_add(&counter, 1);
    return 0;
}

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
    __u32 key = 0;
    __u64 *count = bpf_map_lookup_elem(&counts, &key);
    struct key k = {};
    enum state *s = bpf_map_lookup_elem(&states, &k);

    if (count)
        __sync_fetch_and_add(count, 1);
    count = bpf_map_lookup_elem(&per_cpu_counts, &key);
    if (count)
        *count += 1;
    if (s && *s == STATE_DEAD)
        __sync_fetch_and_add(&drops, limit);
    bpf_map_lookup_elem(&events_by_pid, &key);
    bpf_map_push_elem(&pending, &key, 0);
    void *rules = bpf_map_lookup_elem(&rule_sets, &key);
    if (rules)
        bpf_map_lookup_elem(rules, &key);
    bpf_tail_call(ctx, &jump_table, 0);
    return verbose || config.verbose ? XDP_PASS : XDP_DROP;
}

SEC("raw_tracepoint/sched_switch")
int on_switch(void *ctx)
{
    last_ptr = ctx;
    other += initialized + greeting[0] + (scale_bits() & 1);
    bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &other, sizeof(other));
    return 0;
}

/* libbpf-tools' bashreadline: the section names the function but not the binary, which its C loader finds and
 * attaches by hand; attach() cannot, and the class says so. */
SEC("uretprobe/readline")
int printret(void *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * A program that writes a struct of bit fields, unions, arrays, strings, enums and anonymous members from known
 * constants, counts in globals and fills typed maps, so that the project's test can read it all back through the
 * generated class and compare every field with the same constants (which the class carries as Java constants).
 */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define EXPECT_PID 4242
#define EXPECT_FLAGS 5
#define EXPECT_MODE 19
#define EXPECT_SIGNED_BITS (-37)
#define EXPECT_WIDE 0x1abcdef0123ULL
#define EXPECT_NEGATIVE_WIDE (-1000000)
#define EXPECT_WORD 0xdeadbeef
#define EXPECT_TAG 7
#define EXPECT_DELTA (-5)
#define EXPECT_LO 0xfffe
#define EXPECT_HI 2
#define EXPECT_IPV4 0x0100007f
#define EXPECT_TIMESTAMP 0x0102030405060708ULL
#define EXPECT_X (-10)
#define EXPECT_Y 20
#define EXPECT_PORT 443
#define EXPECT_ADDR 0x0a010203

enum state {
    STATE_IDLE = 0,
    STATE_RUNNING = 1,
    STATE_DEAD = 0x80000000u,
};

union word {
    __u32 as_u32;
    __u8 as_bytes[4];
    float as_float;
};

struct point {
    __s16 x;
    __s16 y;
};

struct sample {
    __u32 pid;
    __u8 flags : 3;
    __u8 mode : 5;
    __s32 signed_bits : 7;
    __u64 wide : 41;
    __s64 negative_wide : 23;
    bool urgent : 1;
    enum state state;
    union word word;
    struct {
        __u8 tag;
        __s32 delta;
    } inner;
    struct {
        __u16 lo;
        __u16 hi;
    };
    union {
        __u32 ipv4;
        __u8 prefix[4];
    };
    __s16 grid[2][3];
    char comm[16];
    char names[2][6];
    __u64 timestamp;
    struct point points[2];
    bool ok;
    __be16 port;
    __be32 addr;
};

struct key {
    __u32 id;
    char name[6];
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, struct sample);
} samples SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 128);
    __type(key, struct key);
    __type(value, enum state);
} states SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} hits_per_cpu SEC(".maps");

// Each filled sample is also sent to user space as a perf event; the value type (as cilium/ebpf's examples declare
// it) gives the generated class a reader typed with the record, and the loader creates the map without it.
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __type(key, __u32);
    __type(value, struct sample);
} sample_events SEC(".maps");

// A profiler's stack map: frames of __u64 addresses, as many as the value size holds, which tools set at run time.
typedef __u64 stack_trace_t[127];

struct {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, stack_trace_t);
} stacks SEC(".maps");

const volatile __u32 target_tgid = 0;
__u64 opens;
__u32 multiplier = 1;
__u32 seen_multiplier;
char last_comm[16];
__s32 last_stack_id = -1;

SEC("tracepoint/syscalls/sys_enter_openat")
int fill(void *ctx)
{
    __u32 zero = 0;
    struct sample *s;
    struct key k = { .id = 1, .name = "java" };
    enum state dead = STATE_DEAD;
    __u64 *per_cpu;

    if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
        return 0;
    s = bpf_map_lookup_elem(&samples, &zero);
    if (!s)
        return 0;
    s->pid = EXPECT_PID;
    s->flags = EXPECT_FLAGS;
    s->mode = EXPECT_MODE;
    s->signed_bits = EXPECT_SIGNED_BITS;
    s->wide = EXPECT_WIDE;
    s->negative_wide = EXPECT_NEGATIVE_WIDE;
    s->urgent = true;
    s->state = STATE_DEAD;
    s->word.as_u32 = EXPECT_WORD;
    s->inner.tag = EXPECT_TAG;
    s->inner.delta = EXPECT_DELTA;
    s->lo = EXPECT_LO;
    s->hi = EXPECT_HI;
    s->ipv4 = EXPECT_IPV4;
    for (int row = 0; row < 2; row++)
        for (int col = 0; col < 3; col++)
            s->grid[row][col] = (row * 3 + col) * (col % 2 ? -1 : 1);
    __builtin_memcpy(s->comm, "kernel-written\0", 16);
    __builtin_memcpy(s->names[0], "alpha\0", 6);
    __builtin_memcpy(s->names[1], "beta\0\0", 6);
    s->timestamp = EXPECT_TIMESTAMP;
    s->points[1].x = EXPECT_X;
    s->points[1].y = EXPECT_Y;
    s->ok = true;
    s->port = bpf_htons(EXPECT_PORT);
    s->addr = bpf_htonl(EXPECT_ADDR);

    bpf_perf_event_output(ctx, &sample_events, BPF_F_CURRENT_CPU, s, sizeof(*s));
    bpf_map_update_elem(&states, &k, &dead, BPF_ANY);
    per_cpu = bpf_map_lookup_elem(&hits_per_cpu, &zero);
    if (per_cpu)
        *per_cpu += 1;
    __sync_fetch_and_add(&opens, 1);
    seen_multiplier = multiplier * 3;
    bpf_get_current_comm(last_comm, sizeof(last_comm));
    last_stack_id = bpf_get_stackid(ctx, &stacks, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/* Every kind of field the generated records map; "sample" holds known values to decode. */
#include <linux/bpf.h>
#include <stdbool.h>
#include <bpf/bpf_helpers.h>

enum state {
    STATE_IDLE = 0,
    STATE_RUNNING = 1,
    STATE_DEAD = 0x80000000u,
};

struct point {
    __s16 x;
    __s16 y;
};

struct event {
    __u32 pid;
    __u64 timestamp_ns;
    char comm[16];
    struct {
        __u8 level;
        __s32 delta;
    } inner;
    enum state state;
    __u8 flags : 3;
    __u8 mode : 5;
    __s32 signed_bits : 7;
    union {
        __u32 as_int;
        __u8 bytes[4]; /* the name of the union record's own component */
    } raw;
    __s32 values[4];
    void *ptr;
    struct point points[2];
    bool ok;
    __u64 class;
};

struct event sample = {
    .pid = 4242,
    .timestamp_ns = 0x0102030405060708ull,
    .comm = "bash",
    .inner = { .level = 7, .delta = -5 },
    .state = STATE_RUNNING,
    .flags = 5,
    .mode = 19,
    .signed_bits = -3,
    .raw = { .as_int = 0xdeadbeef },
    .values = { 1, -2, 3, -4 },
    .points = { { 10, -10 }, { 20, -20 } },
    .ok = true,
    .class = 99,
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 128);
    __type(key, __u32);
    __type(value, struct event);
} events_by_pid SEC(".maps");

/* Types named like the runtime classes the generated code uses: JavaPoet must keep both apart. */
struct generated { __u32 x; };
struct codecs { __u32 y; };
struct typed_map { __u64 z; };
struct generated clash_a;
struct codecs clash_b;
struct typed_map clash_c;

/* Members in network byte order: records print them as the numbers they stand for. */
struct flow {
    __be16 port;
    __be32 addr;
    __u16 plain;
};
struct flow flow_sample;

/* A fixed 64-bit type: clang writes the enumerators cut to 32 bits in BTF, so this stays a number in Java. */
enum wide : __u64 { WIDE_SMALL = 1, WIDE_BIG = 0x123456789abcdef0ULL };
enum wide wide_value;

const volatile __u32 target_pid = 0;
const volatile bool verbose = false;
const volatile enum state wanted_state = STATE_IDLE;
__u64 seen = 0;
extern int LINUX_KERNEL_VERSION __kconfig;

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
    __u32 key = target_pid;
    struct event *e = bpf_map_lookup_elem(&events_by_pid, &key);
    if (e && (verbose || e->state == wanted_state))
        __sync_fetch_and_add(&seen, sample.pid);
    return XDP_PASS;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int handle_exec(void *ctx)
{
    __sync_fetch_and_add(&seen, LINUX_KERNEL_VERSION > 0 ? 1 : 2);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

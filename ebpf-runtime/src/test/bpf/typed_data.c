// Typed data: maps of every key and value kind, globals in every data section, a struct of bit fields, unions and
// arrays that both the compiler (initialized global) and a program (written at run time) lay out, and the
// lost-update race of globals sharing a section.
#include "fixture.h"
#include <stdbool.h>

enum level { LOW = 1, MID = 5, HIGH = -3 };

union word {
    __u32 as_u32;
    __u8 as_bytes[4];
    float as_float;
};

struct packed_bits {
    __u8 a : 3;
    __u8 b : 5;
    __s32 c : 7;
    __u64 d : 41;
    __s64 e : 23;
    __u32 f;
    bool flag : 1;
    __u16 g : 9;
    enum level lvl : 4;
    union word w;
    __s16 grid[2][3];
    char name[12];
    struct {
        __u8 tag;
        __u64 value;
    } inner;
};

/* The compiler's layout of known values (.data). */
struct packed_bits sample = {
    .a = 5, .b = 19, .c = -37, .d = 0x1abcdef0123ull, .e = -1000000, .f = 0xfeedbeef, .flag = true, .g = 300,
    .lvl = HIGH, .w = { .as_u32 = 0xdeadbeef }, .grid = { { 1, -2, 3 }, { -4, 5, -6 } }, .name = "bitfields",
    .inner = { .tag = 7, .value = 0x1122334455667788ull },
};

/* The race: the program increments hits on every run while user space writes other, its neighbour in .bss. */
__u64 hits;
__u64 other;
__u64 last_other_seen;
/* Initialized (.data), constant (.rodata), custom sections. */
__u32 initialized = 1234;
const volatile __u64 constant = 0x0102030405060708ull;
__u32 custom_counter SEC(".data.custom") = 5;
__s16 custom_small SEC(".data.custom") = -7;

struct key {
    __u32 id;
    char name[6];
    /* 2 bytes of padding: a typed key must zero them, or lookups miss. */
};

struct value {
    __u64 count;
    enum level lvl;
    union word w;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} u32_to_u64 SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, struct key);
    __type(value, struct value);
} struct_to_struct SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, struct packed_bits);
} written SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} per_cpu SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
    __uint(max_entries, 16);
    __type(key, __u64);
    __type(value, union word);
} per_cpu_hash SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, char[16]);
    __type(value, enum level);
} name_to_level SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 3);
    __type(key, __u32);
    __type(value, __s16[2][3]);
} matrices SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10000);
    __type(key, __u32);
    __type(value, __u64);
} big SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 10000);
    __uint(map_flags, BPF_F_MMAPABLE);
    __type(key, __u32);
    __type(value, __u64);
} mmapable SEC(".maps");

/* No batch operations for tries: batches of it are made of single-element calls. */
struct lpm_key {
    __u32 prefixlen;
    __u32 addr;
};

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 128);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, struct lpm_key);
    __type(value, __u64);
} prefixes SEC(".maps");

struct event {
    __u32 pid;
    char comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
    __type(value, struct event);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __type(key, __u32);
    __type(value, struct event);
} perf_events SEC(".maps");

/* Counts one run; the test runs it with BPF_PROG_TEST_RUN's repeat. */
SEC("xdp")
int count_hit(struct xdp_md *ctx)
{
    __sync_fetch_and_add(&hits, 1);
    last_other_seen = other;
    __sync_fetch_and_add(&custom_counter, 1);
    return XDP_PASS;
}

/* Writes the known values field by field, so the kernel-side layout can be compared with the compiler's. */
SEC("xdp")
int write_struct(struct xdp_md *ctx)
{
    __u32 zero = 0;
    struct packed_bits *p = bpf_map_lookup_elem(&written, &zero);
    if (!p)
        return XDP_ABORTED;
    p->a = 5;
    p->b = 19;
    p->c = -37;
    p->d = 0x1abcdef0123ull;
    p->e = -1000000;
    p->f = 0xfeedbeef;
    p->flag = true;
    p->g = 300;
    p->lvl = HIGH;
    p->w.as_u32 = 0xdeadbeef;
    p->grid[0][0] = 1;
    p->grid[0][1] = -2;
    p->grid[0][2] = 3;
    p->grid[1][0] = -4;
    p->grid[1][1] = 5;
    p->grid[1][2] = -6;
    __builtin_memcpy(p->name, "bitfields\0\0", 12);
    p->inner.tag = 7;
    p->inner.value = 0x1122334455667788ull;
    /* The mmapable array: element i holds i * 3, so a read of the mapping can be checked. */
    for (__u32 i = 0; i < 64; i++) {
        __u64 *slot = bpf_map_lookup_elem(&mmapable, &i);
        if (slot)
            *slot = i * 3;
    }
    return XDP_PASS;
}

/* Keeps every map referenced, so none is left out. */
SEC("xdp")
int touch_all(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct key sk = {};
    char name[16] = {};
    __u64 k64 = 0;
    struct lpm_key lk = { .prefixlen = 32 };
    struct event *e;
    bpf_map_lookup_elem(&u32_to_u64, &k);
    bpf_map_lookup_elem(&struct_to_struct, &sk);
    bpf_map_lookup_elem(&per_cpu, &k);
    bpf_map_lookup_elem(&per_cpu_hash, &k64);
    bpf_map_lookup_elem(&name_to_level, name);
    bpf_map_lookup_elem(&matrices, &k);
    bpf_map_lookup_elem(&big, &k);
    bpf_map_lookup_elem(&prefixes, &lk);
    e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (e)
        bpf_ringbuf_discard(e, 0);
    bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &k, sizeof(k));
    return initialized + constant + custom_small + sample.a > 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

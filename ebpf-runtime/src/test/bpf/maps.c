// BTF-defined maps of many kinds, a prog array with an initializer and a hash of maps with an inner template.
#include "fixture.h"

struct event {
    __u32 pid;
    char comm[16];
};

struct lpm_key {
    __u32 prefixlen;
    __u8 addr[4];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, struct event);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} events_hash SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} ring SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} perf SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 64);
    __type(key, __u64);
    __type(value, __u64);
    __uint(map_flags, BPF_F_NO_COMMON_LRU);
    __uint(numa_node, 0);
} lru SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 16);
    __type(key, struct lpm_key);
    __type(value, __u32);
    __uint(map_flags, BPF_F_NO_PREALLOC);
} lpm SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} percpu SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
    __uint(max_entries, 100);
    __type(value, __u32);
    __uint(map_extra, 3);
} bloom SEC(".maps");

SEC("xdp")
int tail_one(struct xdp_md *ctx)
{
    return XDP_PASS;
}

SEC("xdp")
int tail_two(struct xdp_md *ctx)
{
    return XDP_DROP;
}

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 4);
    __uint(key_size, sizeof(__u32));
    __array(values, int (void *));
} jump_table SEC(".maps") = {
    .values = {
        [1] = (void *)&tail_one,
        [3] = (void *)&tail_two,
    },
};

struct inner_map {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u32);
} inner_a SEC(".maps"), inner_b SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct inner_map);
} outer_hash SEC(".maps") = {
    .values = { [0] = &inner_a, [1] = &inner_b },
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 3);
    __type(key, __u32);
    __array(values, struct {
        __uint(type, BPF_MAP_TYPE_HASH);
        __uint(max_entries, 5);
        __type(key, __u64);
        __type(value, __u8);
    });
} outer_array SEC(".maps");

SEC("xdp")
int use_maps(struct xdp_md *ctx)
{
    __u32 key = 0;
    struct event *e = bpf_map_lookup_elem(&events_hash, &key);
    if (e) {
        struct event *r = bpf_ringbuf_reserve(&ring, sizeof(*r), 0);
        if (r) {
            r->pid = e->pid;
            bpf_ringbuf_submit(r, 0);
        }
    }
    bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, &key, sizeof(key));
    __u64 k = 1;
    bpf_map_lookup_elem(&lru, &k);
    struct lpm_key lk = {32, {10, 0, 0, 1}};
    bpf_map_lookup_elem(&lpm, &lk);
    bpf_map_lookup_elem(&percpu, &key);
    bpf_map_push_elem(&bloom, &key, 0);
    void *inner = bpf_map_lookup_elem(&outer_hash, &key);
    if (inner)
        bpf_map_lookup_elem(inner, &key);
    inner = bpf_map_lookup_elem(&outer_array, &key);
    if (inner)
        bpf_map_lookup_elem(inner, &k);
    bpf_tail_call(ctx, &jump_table, 1);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/*
 * Maps and programs named like what the generated bodies use (the loaded object, the reader's consumer, codecs,
 * buffers), and a record named like java.util.function.Consumer that a ring buffer reader hands to a Consumer.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct consumer {
    __u64 value;
    __u32 offset;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, struct consumer);
} value SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} object SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
    __type(value, struct consumer);
} consumer SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __type(value, struct consumer);
} buffer SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 4);
    __type(value, __u32);
} codec SEC(".maps");

SEC("xdp")
int options(struct xdp_md *ctx)
{
    __u32 k = 0;
    struct consumer *c = bpf_map_lookup_elem(&value, &k);
    if (c) {
        bpf_ringbuf_output(&consumer, c, sizeof(*c), 0);
        bpf_perf_event_output(ctx, &buffer, BPF_F_CURRENT_CPU, c, sizeof(*c));
    }
    bpf_map_lookup_elem(&object, &k);
    bpf_map_push_elem(&codec, &k, 0);
    return XDP_PASS;
}

SEC("xdp")
int offset(struct xdp_md *ctx)
{
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

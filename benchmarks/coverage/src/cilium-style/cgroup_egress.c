//go:build ignore

// A cgroup skb egress counter in an array map, and a sockops program watching connection state.
#include "common.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, u32);
    __type(value, u64);
    __uint(max_entries, 1);
} pkt_count SEC(".maps");

SEC("cgroup_skb/egress")
int count_egress_packets(struct __sk_buff *skb)
{
    u32 key = 0;
    u64 *count = bpf_map_lookup_elem(&pkt_count, &key);

    if (count)
        __sync_fetch_and_add(count, 1);
    return 1;
}

SEC("sockops")
int watch_established(struct bpf_sock_ops *skops)
{
    if (skops->op == BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB)
        bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_STATE_CB_FLAG);
    return 1;
}

char __license[] SEC("license") = "Dual MIT/GPL";

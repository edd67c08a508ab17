//go:build ignore

// XDP counting packets per IPv4 source address in an LRU hash (key __u32 address, value __u32 count).
#include "common.h"

#define MAX_MAP_ENTRIES 16
#define ETH_P_IP 0x0800
#define ETH_HLEN 14

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, MAX_MAP_ENTRIES);
    __type(key, __u32);
    __type(value, __u32);
} xdp_stats_map SEC(".maps");

static __always_inline int source_address(struct xdp_md *ctx, __u32 *address)
{
    void *data_end = (void *)(long)ctx->data_end;
    void *data = (void *)(long)ctx->data;
    __u16 *proto = data + 12;
    __u32 *saddr = data + ETH_HLEN + 12;

    if ((void *)(saddr + 1) > data_end)
        return 0;
    if (*proto != bpf_htons(ETH_P_IP))
        return 0;
    *address = *saddr;
    return 1;
}

SEC("xdp")
int xdp_prog_func(struct xdp_md *ctx)
{
    __u32 ip;
    __u32 *count;

    if (!source_address(ctx, &ip))
        return XDP_PASS;
    count = bpf_map_lookup_elem(&xdp_stats_map, &ip);
    if (!count) {
        __u32 init = 1;
        bpf_map_update_elem(&xdp_stats_map, &ip, &init, BPF_ANY);
        return XDP_PASS;
    }
    __sync_fetch_and_add(count, 1);
    return XDP_PASS;
}

char __license[] SEC("license") = "Dual MIT/GPL";

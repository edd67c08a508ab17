// SPDX-License-Identifier: GPL-2.0
/* Uses what only the plugin's headers define (BPF_LICENSE), so it compiles only with them. */
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} packets SEC(".maps");

SEC("xdp")
int count_ipv4(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end)
        return XDP_PASS;
    __u32 slot = eth->h_proto == bpf_htons(ETH_P_IP) ? 0 : 1;
    __u64 *count = bpf_map_lookup_elem(&packets, &slot);
    if (likely(count))
        __sync_fetch_and_add(count, 1);
    bpf_printk("packet of protocol %x", bpf_ntohs(eth->h_proto));
    return XDP_PASS;
}

BPF_LICENSE("GPL");

// An XDP program through our headers with the byte order macros: passes IPv4, drops ARP, counts the rest, and
// rewrites the IPv4 destination so the test sees the conversion in the output packet.
#include <linux/types.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

__u32 last_source;
__u16 last_protocol;
__u64 others;
static const __u16 ipv4_in_network_order = bpf_htons(ETH_P_IP);

SEC("xdp")
int classify(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end)
        return XDP_ABORTED;
    last_protocol = bpf_ntohs(eth->h_proto);
    switch (eth->h_proto) {
    case bpf_htons(ETH_P_ARP):
        return XDP_DROP;
    case bpf_htons(ETH_P_IP): {
        struct iphdr *ip = (void *)(eth + 1);
        if ((void *)(ip + 1) > end || eth->h_proto != ipv4_in_network_order)
            return XDP_ABORTED;
        last_source = bpf_ntohl(ip->saddr);
        ip->daddr = bpf_htonl(last_source + 1);
        return XDP_PASS;
    }
    default:
        __sync_fetch_and_add(&others, bpf_be64_to_cpu(bpf_cpu_to_be64(1)));
        return XDP_PASS;
    }
}

BPF_LICENSE("GPL");

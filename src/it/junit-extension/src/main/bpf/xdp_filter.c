// Drops UDP datagrams to one port (IPv4 and IPv6) and passes every other frame.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// The port whose UDP datagrams are dropped; set from Java before load.
const volatile __u16 blocked_port = 9999;

// Frames dropped so far, by IP version (index 0: IPv4, 1: IPv6).
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} dropped SEC(".maps");

static int count_drop(__u32 version)
{
    __u64 *n = bpf_map_lookup_elem(&dropped, &version);
    if (n)
        __sync_fetch_and_add(n, 1);
    return XDP_DROP;
}

SEC("xdp")
int xdp_drop_blocked_port(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    struct udphdr *udp;
    __u32 version;

    if ((void *)(eth + 1) > data_end)
        return XDP_ABORTED;
    if (eth->h_proto == bpf_htons(ETH_P_IP)) {
        struct iphdr *ip = (void *)(eth + 1);
        if ((void *)(ip + 1) > data_end || ip->protocol != IPPROTO_UDP)
            return XDP_PASS;
        udp = (void *)ip + ip->ihl * 4;
        version = 0;
    } else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr *ip6 = (void *)(eth + 1);
        if ((void *)(ip6 + 1) > data_end || ip6->nexthdr != IPPROTO_UDP)
            return XDP_PASS;
        udp = (void *)(ip6 + 1);
        version = 1;
    } else {
        return XDP_PASS;
    }
    if ((void *)(udp + 1) > data_end)
        return XDP_PASS;
    return udp->dest == bpf_htons(blocked_port) ? count_drop(version) : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

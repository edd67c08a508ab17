// Programs test-run with a context in and out: syscall, tc (__sk_buff), XDP (xdp_md), flow dissector, sk_lookup.
#include "fixture.h"
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <stddef.h>
#include <bpf/bpf_endian.h>

// The syscall program's argument struct; Java encodes it with a Codec.
struct sum_args {
    __u32 a;
    __u32 b;
    __u64 sum;
};

SEC("syscall")
int syscall_sum(struct sum_args *args)
{
    args->sum = (__u64)args->a + args->b;
    return 7;
}

// Reads the mark and priority the test put in the __sk_buff context, and leaves a new mark.
SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
    skb->mark = skb->mark * 2 + skb->priority;
    return TC_ACT_OK;
}

__u32 xdp_seen_ifindex = 0;

SEC("xdp")
int xdp_ifindex(struct xdp_md *ctx)
{
    xdp_seen_ifindex = ctx->ingress_ifindex;
    return XDP_DROP;
}

// A flow dissector for IPv4 + UDP: what the kernel's would report, from a BPF program. Direct packet access:
// bpf_skb_load_bytes fails in a flow dissector run without an skb, as test runs (and eth_get_headlen) are.
SEC("flow_dissector")
int dissect_ipv4_udp(struct __sk_buff *skb)
{
    struct bpf_flow_keys *keys = skb->flow_keys;
    void *data = (void *)(long)skb->data;
    void *data_end = (void *)(long)skb->data_end;
    if (keys->n_proto != bpf_htons(ETH_P_IP))
        return BPF_DROP;
    __u16 nhoff = keys->nhoff;
    if (nhoff > 64)
        return BPF_DROP;
    struct iphdr *ip = data + nhoff;
    if ((void *)(ip + 1) > data_end)
        return BPF_DROP;
    keys->addr_proto = ETH_P_IP;
    keys->ip_proto = ip->protocol;
    keys->ipv4_src = ip->saddr;
    keys->ipv4_dst = ip->daddr;
    __u16 thoff = nhoff + ip->ihl * 4;
    keys->thoff = thoff;
    if (ip->protocol != IPPROTO_UDP)
        return BPF_OK;
    struct udphdr *udp = data + thoff;
    if ((void *)(udp + 1) > data_end)
        return BPF_DROP;
    keys->sport = udp->source;
    keys->dport = udp->dest;
    return BPF_OK;
}

// Passes lookups for local port 8080, drops the rest.
SEC("sk_lookup")
int sk_lookup_port(struct bpf_sk_lookup *ctx)
{
    return ctx->local_port == 8080 ? SK_PASS : SK_DROP;
}

char __license[] SEC("license") = "Dual MIT/GPL";

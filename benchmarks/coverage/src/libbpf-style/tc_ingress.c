// A tc classifier in the plain "tc" section parsing Ethernet and IPv4 with direct packet access.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TC_ACT_OK 0
#define ETH_P_IP 0x0800

SEC("tc")
int tc_ingress(struct __sk_buff *ctx)
{
    void *data_end = (void *)(long)ctx->data_end;
    void *data = (void *)(long)ctx->data;
    struct ethhdr *eth = data;
    struct iphdr *ip;

    if (ctx->protocol != bpf_htons(ETH_P_IP))
        return TC_ACT_OK;
    if ((void *)(eth + 1) > data_end)
        return TC_ACT_OK;
    ip = (struct iphdr *)(eth + 1);
    if ((void *)(ip + 1) > data_end)
        return TC_ACT_OK;
    bpf_printk("packet %x -> %x ttl %d", ip->saddr, ip->daddr, ip->ttl);
    return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";

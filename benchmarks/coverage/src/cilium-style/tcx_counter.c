//go:build ignore

// Ingress and egress counters in globals for tcx (attached with link.AttachTCX in Go; the section is plain "tc").
#include "common.h"
#include <linux/pkt_cls.h>

__u64 ingress_pkt_count = 0;
__u64 egress_pkt_count = 0;

SEC("tc")
int ingress_prog_func(struct __sk_buff *skb)
{
    __sync_fetch_and_add(&ingress_pkt_count, 1);
    return TC_ACT_UNSPEC;
}

SEC("tc")
int egress_prog_func(struct __sk_buff *skb)
{
    __sync_fetch_and_add(&egress_pkt_count, 1);
    return TC_ACT_UNSPEC;
}

char __license[] SEC("license") = "Dual MIT/GPL";

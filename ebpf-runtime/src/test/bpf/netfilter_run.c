// A netfilter program (Linux 6.4+) test-run on an IP packet: accepts everything and counts its runs.
#include "fixture.h"

#define NF_ACCEPT 1

__u64 runs = 0;

SEC("netfilter")
int nf_accept_count(void *ctx)
{
    __sync_fetch_and_add(&runs, 1);
    return NF_ACCEPT;
}

char __license[] SEC("license") = "Dual MIT/GPL";

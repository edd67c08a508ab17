// SPDX-License-Identifier: GPL-2.0
/* A source whose class name would equal the Globals class nested in generated classes with global variables. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets;

SEC("xdp")
int count_with_globals(struct xdp_md *ctx)
{
    __sync_fetch_and_add(&packets, 1);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/* Compiles only with the one real item of <cflags>: the empty ones around it are ignored. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef FROM_CFLAGS
#error "-DFROM_CFLAGS=1 from <cflags> did not reach clang"
#endif

__u64 packets = 0;

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
    __sync_fetch_and_add(&packets, FROM_CFLAGS);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

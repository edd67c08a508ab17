// SPDX-License-Identifier: GPL-2.0
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "limits.h"

SEC("xdp")
int limit_packets(struct xdp_md *ctx)
{
    return ctx->data_end - ctx->data > LIMIT ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

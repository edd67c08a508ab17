// SPDX-License-Identifier: GPL-2.0
/* A source whose class name would equal the Options class nested in every generated class. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 verbosity = 0;

SEC("xdp")
int pass_with_options(struct xdp_md *ctx)
{
    return verbosity > 1 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

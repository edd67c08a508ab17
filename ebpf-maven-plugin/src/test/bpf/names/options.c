// SPDX-License-Identifier: GPL-2.0
/* A source whose class name would equal the Options class nested in every generated class, with a constant named
 * like it, whose setter in that class is options(value), as its getter in Globals is options(). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 verbosity = 0;
const volatile __u32 options = 0;

SEC("xdp")
int pass_with_options(struct xdp_md *ctx)
{
    return verbosity > 1 || options ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

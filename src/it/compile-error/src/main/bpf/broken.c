// SPDX-License-Identifier: GPL-2.0
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int broken(struct xdp_md *ctx)
{
    return undeclared_variable;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/* A source whose class name would be java.lang.Override, with records named like java.lang types inside. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct override {
    __u32 value;
};

struct object {
    char name[8];
    struct override override;
};

struct options {
    __u64 flags;
};

struct object last_object = {};
struct options current_options = {};

SEC("xdp")
int keep_override(struct xdp_md *ctx)
{
    last_object.override.value = current_options.flags;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

// XDP tutorial style: a per-CPU array of counters keyed by the XDP action, typed key and record value, and a
// second program in the "xdp.frags" section (multi-buffer aware).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct datarec {
    __u64 rx_packets;
    __u64 rx_bytes;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __type(key, __u32);
    __type(value, struct datarec);
    __uint(max_entries, XDP_REDIRECT + 1);
} xdp_stats_map SEC(".maps");

static __always_inline int account(struct xdp_md *ctx, __u32 action)
{
    struct datarec *rec = bpf_map_lookup_elem(&xdp_stats_map, &action);

    if (!rec)
        return XDP_ABORTED;
    rec->rx_packets++;
    rec->rx_bytes += ctx->data_end - ctx->data;
    return action;
}

SEC("xdp")
int xdp_pass_counted(struct xdp_md *ctx)
{
    return account(ctx, XDP_PASS);
}

SEC("xdp.frags")
int xdp_frags_counted(struct xdp_md *ctx)
{
    return account(ctx, XDP_PASS);
}

char LICENSE[] SEC("license") = "GPL";

// An XDP program whose verdict comes from a global function that an freplace program can swap out.
#include "fixture.h"

__attribute__((noinline)) int decide(struct xdp_md *ctx)
{
    return ctx ? XDP_PASS : XDP_ABORTED;
}

SEC("xdp")
int entry(struct xdp_md *ctx)
{
    return decide(ctx);
}

char LICENSE[] SEC("license") = "GPL";

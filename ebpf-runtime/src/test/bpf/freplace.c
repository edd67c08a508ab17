// Replaces freplace_target.c's decide(): every packet is dropped while attached.
#include "fixture.h"

SEC("freplace/decide")
int drop_everything(struct xdp_md *ctx)
{
    return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

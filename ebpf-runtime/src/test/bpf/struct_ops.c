// A struct_ops map registering two programs, as sched_ext schedulers and TCP congestion controls are written, next
// to an ordinary program that can load without them.
#include "fixture.h"

struct demo_ops {
    int (*init)(void);
    void (*tick)(void *task);
    char name[16];
};

SEC("struct_ops/demo_init")
int demo_init(void)
{
    return 0;
}

SEC("struct_ops/demo_tick")
int demo_tick(void *task)
{
    return 0;
}

SEC(".struct_ops.link")
struct demo_ops demo = {
    .init = (void *)demo_init,
    .tick = (void *)demo_tick,
    .name = "demo",
};

SEC("xdp")
int plain(struct xdp_md *ctx)
{
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

// The other half of the object link_static_main.c starts: a global function and the variable it counts its calls
// in, with a static helper, and a second program in a section of the same name as the first's.
#include "fixture.h"

__u64 scale_calls = 0;

static __attribute__((noinline)) int twice(int value)
{
    return value * 2;
}

__attribute__((noinline)) int scale(int value)
{
    scale_calls++;
    return twice(value);
}

SEC("xdp")
int linked_second(struct xdp_md *ctx)
{
    return scale(1) == 2 ? XDP_PASS : XDP_DROP;
}

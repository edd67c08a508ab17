// A prog array filled by the object itself ({ .values = { [i] = &prog } }) and a dispatcher whose slot is a .rodata
// constant; each target returns a different XDP verdict so a test run shows which one ran.
#include "fixture.h"

SEC("xdp")
int to_drop(struct xdp_md *ctx)
{
    return XDP_DROP;
}

SEC("xdp")
int to_tx(struct xdp_md *ctx)
{
    return XDP_TX;
}

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __uint(key_size, sizeof(__u32));
    __array(values, int (void *));
} jumps SEC(".maps") = {
    .values = {
        [0] = (void *)&to_drop,
        [1] = (void *)&to_tx,
    },
};

const volatile __u32 slot = 0;

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
    bpf_tail_call(ctx, &jumps, slot);
    return XDP_ABORTED;
}

char LICENSE[] SEC("license") = "GPL";

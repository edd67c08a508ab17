// Linked with link_helper.c into one object: the program here calls a function of the helper, the helper calls
// back and updates the map defined here.
#include "fixture.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 4);
} totals SEC(".maps");

/* Defined in link_helper.c. */
extern int record_packet(__u32 slot, __u64 bytes);
/* Overridden by the strong definition in link_helper.c. */
__weak int multiplier(void) { return 1; }

__u64 main_runs = 0;
static volatile __u64 local_hits;

/* Called from link_helper.c. */
__noinline int scale(int x)
{
    return x * multiplier();
}

static __noinline int next_main_hit(void) { return ++local_hits; }

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
    __u64 len = ctx->data_end - ctx->data;
    main_runs++;
    record_packet(0, len);
    record_packet(1, next_main_hit());
    return XDP_PASS;
}

char __license[] SEC("license") = "Dual MIT/GPL";

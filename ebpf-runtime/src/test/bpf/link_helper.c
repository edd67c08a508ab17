// Linked with link_main.c: the map is declared extern here and defined there.
#include "fixture.h"

extern struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 4);
} totals SEC(".maps");

extern int scale(int x);

int multiplier(void) { return 2; }

const volatile __u64 bias = 1000;
__u64 helper_calls = 0;
static volatile __u64 local_hits;

static __noinline int next_helper_hit(void) { return ++local_hits; }

__noinline int record_packet(__u32 slot, __u64 bytes)
{
    __u64 *total = bpf_map_lookup_elem(&totals, &slot);
    helper_calls++;
    if (!total)
        return 0;
    __sync_fetch_and_add(total, scale(bytes) + bias + next_helper_hit());
    return 1;
}

// Part of the object tracer: the map is declared extern here and defined in main.c.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 2);
} totals SEC(".maps");

extern int scale(int x);

int multiplier(void)
{
    return 3;
}

/* A static of the same name as main.c's: each file keeps its own. */
static volatile __u64 hits;

__noinline int record(__u32 slot, __u64 bytes)
{
    __u64 *total = bpf_map_lookup_elem(&totals, &slot);
    hits++;
    if (!total)
        return 0;
    __sync_fetch_and_add(total, scale(bytes));
    return 1;
}

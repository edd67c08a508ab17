// The other half of linked_counter.c: the map and the global function, linked into one object by run.sh.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} slots SEC(".maps");

__noinline __u64 bump(__u32 slot)
{
    __u64 *value = bpf_map_lookup_elem(&slots, &slot);

    if (!value)
        return 0;
    return __sync_add_and_fetch(value, 1);
}

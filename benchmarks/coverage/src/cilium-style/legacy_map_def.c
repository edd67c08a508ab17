//go:build ignore

// The older convention of cilium/ebpf's first examples: a map described by struct bpf_map_def in the "maps"
// section, and a tracepoint in the long form.
#include "common.h"

struct bpf_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
};

struct bpf_map_def SEC("maps") counting_map = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = sizeof(u32),
    .value_size = sizeof(u64),
    .max_entries = 1,
};

SEC("tracepoint/kmem/mm_page_alloc")
int mm_page_alloc(void *ctx)
{
    u32 key = 0;
    u64 *count = bpf_map_lookup_elem(&counting_map, &key);

    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char __license[] SEC("license") = "Dual MIT/GPL";

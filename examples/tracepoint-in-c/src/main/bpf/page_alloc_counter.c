// SPDX-License-Identifier: GPL-2.0
/*
 * Counts page allocations: the kmem/mm_page_alloc tracepoint fires for every allocation of 2^order pages, and
 * each hit adds one to the single slot of an array map that user space reads.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} page_allocs SEC(".maps");

SEC("tracepoint/kmem/mm_page_alloc")
int count_page_alloc(void *ctx)
{
    /* ctx points to the event's record (events/kmem/mm_page_alloc/format in tracefs); counting needs none of it. */
    __u32 slot = 0;
    __u64 *count = bpf_map_lookup_elem(&page_allocs, &slot);

    /* An array map's slots always exist, so the lookup only fails for an index beyond max_entries. */
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

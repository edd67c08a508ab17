// SPDX-License-Identifier: GPL-2.0
/*
 * The maps and globals of the data-path benchmarks: a HASH of 10,000 u64 values under u32 keys (batch lookup
 * against single lookups, BatchLookupBenchmark; c/batch.c builds the same map with libbpf), and a .bss counter
 * (a read through the section's memory mapping against a lookup of the section, GlobalReadBenchmark; c/global.c
 * reads an mmap'd array from C). The program is never attached.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define ENTRIES 10000

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, ENTRIES);
    __type(key, __u32);
    __type(value, __u64);
} entries SEC(".maps");

__u64 counter;

SEC("socket")
int count_packet(struct __sk_buff *skb)
{
    __u32 key = skb->len;
    __u64 *value = bpf_map_lookup_elem(&entries, &key);
    if (value)
        __sync_fetch_and_add(&counter, *value);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

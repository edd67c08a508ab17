// SPDX-License-Identifier: GPL-2.0
/*
 * The map the lookup benchmark reads: an ARRAY of 1024 u64 values under u32 keys, the same geometry the C baseline
 * (c/lookup.c) creates with libbpf. The program is never attached; it is here so the object is an ordinary one,
 * loaded the way an application would load it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1024);
    __type(key, __u32);
    __type(value, __u64);
} values SEC(".maps");

SEC("socket")
int count_packet(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u64 *value = bpf_map_lookup_elem(&values, &key);
    if (value)
        __sync_fetch_and_add(value, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

//go:build ignore

// An array of hash maps with the inner map's definition given inline (cilium/ebpf creates the inner maps from it)
// and one slot initialised statically.
#include "common.h"

struct inner_map {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, u32);
    __type(value, u32);
} inner_a SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 4);
    __type(key, u32);
    __array(values, struct inner_map);
} outer SEC(".maps") = {
    .values = { [1] = &inner_a },
};

SEC("tracepoint/syscalls/sys_enter_getppid")
int lookup_inner(void *ctx)
{
    u32 slot = 1, key = 7, *value;
    void *inner = bpf_map_lookup_elem(&outer, &slot);

    if (!inner)
        return 0;
    value = bpf_map_lookup_elem(inner, &key);
    if (value)
        __sync_fetch_and_add(value, 1);
    return 0;
}

char __license[] SEC("license") = "Dual MIT/GPL";

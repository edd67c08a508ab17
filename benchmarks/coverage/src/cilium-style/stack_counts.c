//go:build ignore

// A perf_event program counting stacks: a stack trace map sized in the object, a per-CPU hash of counts keyed by
// the stack id, and a read-only filter constant rewritten from Go before loading.
#include "common.h"
#include <linux/bpf_perf_event.h>

#define MAX_STACK_DEPTH 64

volatile const u32 filter_pid = 0;

struct {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(max_entries, 1024);
    __uint(key_size, sizeof(u32));
    __uint(value_size, MAX_STACK_DEPTH * sizeof(u64));
} stacks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, 1024);
    __type(key, s32);
    __type(value, u64);
} counts SEC(".maps");

SEC("perf_event")
int count_stacks(struct bpf_perf_event_data *ctx)
{
    u64 one = 1, *count;
    s32 id;

    if (filter_pid && (bpf_get_current_pid_tgid() >> 32) != filter_pid)
        return 0;
    id = bpf_get_stackid(ctx, &stacks, 0);
    count = bpf_map_lookup_elem(&counts, &id);
    if (count)
        (*count)++;
    else
        bpf_map_update_elem(&counts, &id, &one, BPF_NOEXIST);
    return 0;
}

char __license[] SEC("license") = "Dual MIT/GPL";

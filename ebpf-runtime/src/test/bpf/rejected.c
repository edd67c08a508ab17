// A program the verifier must refuse: the value of a hash map lookup is used without checking it for NULL. A
// correct program comes first, so a load fails midway: after a map and a program were created.
#include "fixture.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int checked_lookup(void *ctx)
{
    __u32 key = 0;
    __u64 *value = bpf_map_lookup_elem(&values, &key);

    return value && *value > 1;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int unchecked_lookup(void *ctx)
{
    __u32 key = 0;
    __u64 *value = bpf_map_lookup_elem(&values, &key);

    return *value > 1;
}

char LICENSE[] SEC("license") = "GPL";

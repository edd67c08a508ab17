// Half of an object linked from two sources with `bpftool gen object` (the BPF static linker): the program, calling
// a function and reading a variable that link_static_lib.c defines.
#include "fixture.h"

extern int scale(int value);
extern __u64 scale_calls;

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 2);
} results SEC(".maps");

static __attribute__((noinline)) int offset(int value)
{
    return value + 0;
}

SEC("xdp")
int linked_entry(struct xdp_md *ctx)
{
    __u32 key = 0;
    __u64 value = scale(offset(21));

    bpf_map_update_elem(&results, &key, &value, BPF_ANY);
    key = 1;
    value = scale_calls;
    bpf_map_update_elem(&results, &key, &value, BPF_ANY);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

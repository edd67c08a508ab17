// Map definition macros of our bpf_helpers.h (compiled, not loaded): __uint, __type, __array and __ulong,
// several __ulong in one file (each names a unique enumerator), and pinning by name.
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} inner_a SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct inner);
} outer SEC(".maps") = {
    .values = { [0] = &inner_a },
};

struct {
    __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
    __uint(max_entries, 64);
    __type(value, __u32);
    __ulong(map_extra, 3);
} bloom SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
    __uint(max_entries, 64);
    __type(value, __u64);
    __ulong(map_extra, 5);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} bloom_pinned SEC(".maps");

SEC("xdp")
int uses_maps(struct xdp_md *ctx)
{
    __u32 key = 0, value = 1;
    void *map = bpf_map_lookup_elem(&outer, &key);
    if (!map)
        return XDP_PASS;
    bpf_map_push_elem(&bloom, &value, 0);
    return bpf_map_peek_elem(&bloom, &value) == 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";

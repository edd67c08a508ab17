// Maps to pin and share: `shared` and `seen` are pinned by name (libbpf's LIBBPF_PIN_BY_NAME) under the load's pin
// root, so a later load of the object reuses them; `counts` is an ordinary map another object can be handed at load.
#include "fixture.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 16);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} shared SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u32);
    __uint(max_entries, 2);
    __uint(pinning, LIBBPF_PIN_BY_NAME);
} seen SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 4);
} counts SEC(".maps");

// Counts its runs in counts[0], shared[7] and seen[1].
SEC("xdp")
int count_runs(struct xdp_md *ctx)
{
    __u32 zero = 0, seven = 7;
    __u64 one = 1, *value = bpf_map_lookup_elem(&counts, &zero);
    if (value)
        __sync_fetch_and_add(value, 1);
    value = bpf_map_lookup_elem(&shared, &seven);
    if (value)
        __sync_fetch_and_add(value, 1);
    else
        bpf_map_update_elem(&shared, &seven, &one, BPF_NOEXIST);
    __u32 one32 = 1, *runs = bpf_map_lookup_elem(&seen, &one32);
    if (runs)
        __sync_fetch_and_add(runs, 1);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

// Legacy SEC("maps") definitions (struct bpf_map_def), as old XDP tutorials and iproute2 programs use.
#include "fixture.h"

struct bpf_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
};

/* iproute2-style definition: longer than bpf_map_def, with extra fields after map_flags. */
struct bpf_elf_map {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
    unsigned int id;
    unsigned int pinning;
};

struct bpf_map_def SEC("maps") xdp_stats = {
    .type = BPF_MAP_TYPE_PERCPU_ARRAY,
    .key_size = sizeof(__u32),
    .value_size = sizeof(__u64),
    .max_entries = 5,
};

struct bpf_map_def SEC("maps") flows = {
    .type = BPF_MAP_TYPE_HASH,
    .key_size = sizeof(__u64),
    .value_size = sizeof(__u32),
    .max_entries = 128,
    .map_flags = BPF_F_NO_PREALLOC,
};

struct bpf_elf_map SEC("maps") long_def = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = 4,
    .value_size = 8,
    .max_entries = 2,
    .pinning = 2,
};

SEC("xdp")
int xdp_stats_prog(struct xdp_md *ctx)
{
    __u32 key = XDP_PASS;
    __u64 *v = bpf_map_lookup_elem(&xdp_stats, &key);
    if (v)
        *v += 1;
    __u64 fk = 7;
    bpf_map_lookup_elem(&flows, &fk);
    bpf_map_lookup_elem(&long_def, &key);
    return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x050a00;

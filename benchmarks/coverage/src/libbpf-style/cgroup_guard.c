// cgroup programs: an skb egress counter with a typed hash keyed by protocol, a sockopt hook and a sysctl hook.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 256);
    __type(key, __u32);
    __type(value, __u64);
} egress_by_protocol SEC(".maps");

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
    __u32 protocol = skb->protocol;
    __u64 one = 1, *count = bpf_map_lookup_elem(&egress_by_protocol, &protocol);

    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&egress_by_protocol, &protocol, &one, BPF_NOEXIST);
    return 1;
}

SEC("cgroup/getsockopt")
int observe_getsockopt(struct bpf_sockopt *ctx)
{
    return 1;
}

SEC("cgroup/sysctl")
int allow_sysctl(struct bpf_sysctl *ctx)
{
    return 1;
}

char LICENSE[] SEC("license") = "GPL";

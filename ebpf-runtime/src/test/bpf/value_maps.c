// Maps read and written from Java in ways other than plain keys and values: queues and stacks, a bloom filter, task
// storage (no keys to list), a value under a bpf_spin_lock, a program array, a map of maps and a cgroup array filled
// from Java, and a hash keyed by IPv4 addresses in network order.
#include "fixture.h"
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>

struct {
    __uint(type, BPF_MAP_TYPE_QUEUE);
    __uint(max_entries, 3);
    __type(value, __u64);
} fifo SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_STACK);
    __uint(max_entries, 3);
    __type(value, __u64);
} lifo SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
    __uint(max_entries, 100);
    __type(value, __u32);
    __uint(map_extra, 3);
} seen SEC(".maps");

struct task_note {
    __u64 calls;
};

struct {
    __uint(type, BPF_MAP_TYPE_TASK_STORAGE);
    __uint(map_flags, BPF_F_NO_PREALLOC);
    __type(key, int);
    __type(value, struct task_note);
} notes SEC(".maps");

// Moves one unit from `from` to `to` under the lock, so from + to never changes for a reader that takes the lock.
struct account {
    struct bpf_spin_lock lock;
    __u64 from;
    __u64 to;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct account);
} accounts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} verdicts SEC(".maps");

struct inner {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} first_inner SEC(".maps"), replacement SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} not_an_inner SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 1);
    __type(key, __u32);
    __array(values, struct inner);
} outer SEC(".maps") = {
    .values = { [0] = &first_inner },
};

// Moves a unit between the two halves of the account under its lock, then passes.
SEC("xdp")
int transfer(struct xdp_md *ctx)
{
    __u32 zero = 0;
    struct account *a = bpf_map_lookup_elem(&accounts, &zero);
    if (!a)
        return XDP_ABORTED;
    bpf_spin_lock(&a->lock);
    a->from -= 1;
    a->to += 1;
    bpf_spin_unlock(&a->lock);
    return XDP_PASS;
}

// Jumps to verdicts[0]; XDP_PASS when the slot is empty. The verdict is the inner map's value when set.
SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
    bpf_tail_call(ctx, &verdicts, 0);
    __u32 zero = 0;
    void *inner = bpf_map_lookup_elem(&outer, &zero);
    if (inner) {
        __u32 *verdict = bpf_map_lookup_elem(inner, &zero);
        if (verdict && *verdict)
            return *verdict;
    }
    return XDP_PASS;
}

SEC("xdp")
int drop_all(struct xdp_md *ctx)
{
    return XDP_DROP;
}

// A program of another type than the ones tail-calling through `verdicts`.
SEC("socket")
int keep_all(struct __sk_buff *skb)
{
    return skb->len;
}

// Counts the execve calls of each task in its task storage.
SEC("tp/syscalls/sys_enter_execve")
int count_execs(void *ctx)
{
    struct task_note *note = bpf_task_storage_get(&notes, bpf_get_current_task_btf(), 0,
                                                  BPF_LOCAL_STORAGE_GET_F_CREATE);
    if (note)
        note->calls++;
    return 0;
}

// Counts the getppid calls of tasks in the cgroup Java put in slot 0 (the libbpf tools' -c filter).
struct {
    __uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} watched SEC(".maps");

__u64 inside_calls = 0;

SEC("tp/syscalls/sys_enter_getppid")
int count_inside(void *ctx)
{
    if (bpf_current_task_under_cgroup(&watched, 0) == 1)
        __sync_fetch_and_add(&inside_calls, 1);
    return 0;
}

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __be32);
    __type(value, __u64);
} by_source SEC(".maps");

// Counts IPv4 packets by source address, the key as the header holds it (network byte order).
SEC("xdp")
int count_by_source(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
        return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end)
        return XDP_PASS;
    __u32 source = ip->saddr;
    __u64 one = 1, *count = bpf_map_lookup_elem(&by_source, &source);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&by_source, &source, &one, BPF_NOEXIST);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

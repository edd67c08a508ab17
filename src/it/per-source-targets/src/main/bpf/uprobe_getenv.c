// A uprobe on libc's getenv reading its argument register: configured for amd64 in the pom.
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} lookups SEC(".maps");

SEC("uprobe")
int BPF_KPROBE(on_getenv, const char *name)
{
    __u32 key = 0;
    __u64 *count = bpf_map_lookup_elem(&lookups, &key);
    if (count && name)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

// BPF_KPROBE reads arguments from registers: clang refuses it without __TARGET_ARCH_<arch>, and the plugin then
// builds it for the architecture targets instead of bpfel/bpfeb.
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} opens SEC(".maps");

SEC("kprobe/do_sys_openat2")
int BPF_KPROBE(on_openat2, int dfd, const char *filename)
{
    __u32 key = 0;
    __u64 *count = bpf_map_lookup_elem(&opens, &key);
    if (count && filename)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

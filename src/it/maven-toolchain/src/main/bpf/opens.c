// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the openat(2) calls of one process. Self-contained on purpose: it is built with the Maven clang and
 * -nostdlibinc, as on a machine without libbpf-dev or kernel headers, so it declares what it uses from the UAPI
 * (linux/bpf.h: the map type and helper numbers) itself.
 */
typedef unsigned int __u32;
typedef unsigned long long __u64;

#define SEC(name) __attribute__((section(name), used))
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name

enum { BPF_MAP_TYPE_ARRAY = 2 };

/* Helpers are called by number: BPF_FUNC_map_lookup_elem = 1, BPF_FUNC_get_current_pid_tgid = 14. */
static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *) 1;
static __u64 (*bpf_get_current_pid_tgid)(void) = (void *) 14;

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} opens SEC(".maps");

const volatile __u32 target_tgid = 0;

SEC("tracepoint/syscalls/sys_enter_openat")
int count_opens(void *ctx)
{
    if ((__u32) (bpf_get_current_pid_tgid() >> 32) != target_tgid)
        return 0;
    __u32 zero = 0;
    __u64 *count = bpf_map_lookup_elem(&opens, &zero);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

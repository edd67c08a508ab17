// SPDX-License-Identifier: GPL-2.0
/*
 * Counts the openat(2) calls of one process. Built as on a machine with only a JDK: the Maven clang, -nostdlibinc
 * (no system headers), the plugin's own <bpf/bpf_helpers.h>, and a vmlinux.h the build writes from the kernel's BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} opens SEC(".maps");

const volatile __u32 target_tgid = 0;

SEC("tracepoint/syscalls/sys_enter_openat")
int count_opens(struct trace_event_raw_sys_enter *ctx)
{
    struct task_struct *task = (struct task_struct *) bpf_get_current_task();
    // A CO-RE read through the written vmlinux.h: the same tgid the helper returns.
    if (BPF_CORE_READ(task, tgid) != target_tgid)
        return 0;
    __u32 zero = 0;
    __u64 *count = bpf_map_lookup_elem(&opens, &zero);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

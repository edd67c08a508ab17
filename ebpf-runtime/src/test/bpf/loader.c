// One program that exercises what the loader must get right at once: a .rodata constant set from Java, global data
// in .data/.bss/custom sections, static and global subprograms, a bpf_loop callback, kconfig externs and a CO-RE read.
// Raw and BTF tracepoint programs count the same process's syscalls.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 target_tgid = 0;

__u64 opens = 0;
__u64 calls SEC(".data.stats") = 100;
__u64 raw_hits = 0;
__u64 btf_hits = 0;

struct seen {
    __u32 core_tgid;
    __u32 helper_tgid;
    __u64 loop_sum;
    __u32 kernel_version;
    __u32 hz;
} seen;

extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern __u32 CONFIG_HZ __kconfig __weak;

static __noinline __u64 twice(__u64 x)
{
    return x * 2;
}

__noinline __u64 plus_one(__u64 x)
{
    return twice(x) / 2 + 1;
}

static long add_index(__u32 index, void *ctx)
{
    *(__u64 *)ctx += index;
    return 0;
}

static __always_inline bool ours(void)
{
    return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int count_openat(void *ctx)
{
    __u64 sum = 0;
    struct task_struct *task;

    if (!ours())
        return 0;
    __sync_fetch_and_add(&opens, 1);
    calls = plus_one(calls);
    bpf_loop(5, add_index, &sum, 0);
    seen.loop_sum = sum;
    task = (struct task_struct *)bpf_get_current_task();
    seen.core_tgid = BPF_CORE_READ(task, tgid);
    seen.helper_tgid = bpf_get_current_pid_tgid() >> 32;
    seen.kernel_version = LINUX_KERNEL_VERSION;
    seen.hz = CONFIG_HZ;
    return 0;
}

SEC("raw_tp/sys_enter")
int raw_enter(void *ctx)
{
    if (ours())
        __sync_fetch_and_add(&raw_hits, 1);
    return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(btf_enter, struct pt_regs *regs, long id)
{
    if (ours())
        __sync_fetch_and_add(&btf_hits, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

// Probe and perf event programs: each records what it saw in a slot of `hits`, so tests check real effects.
#include <stdbool.h>
#include <linux/ptrace.h>
#include "fixture.h"
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

enum slot {
    UPROBE_CALLS, UPROBE_ARG_SUM, URETPROBE_CALLS, URETPROBE_LAST, LIBC_CALLS, USDT_CALLS, USDT_ARG0_SUM,
    USDT_ARG1_LAST, USDT_ARG2_LAST, USDT_COOKIE, PERF_SAMPLES, KPROBE_CALLS, MULTI_CALLS, COOKIE_LAST, GUARDED_CALLS,
    TWICE_CALLS, TWICE_SUM, SLOTS
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SLOTS);
    __type(key, __u32);
    __type(value, __u64);
} hits SEC(".maps");

static __always_inline void add(__u32 slot, __u64 value)
{
    __u64 *v = bpf_map_lookup_elem(&hits, &slot);
    if (v)
        __sync_fetch_and_add(v, value);
}

static __always_inline void set(__u32 slot, __u64 value)
{
    bpf_map_update_elem(&hits, &slot, &value, BPF_ANY);
}

SEC("uprobe")
int BPF_KPROBE(on_probed_add, int a, int b)
{
    add(UPROBE_CALLS, 1);
    add(UPROBE_ARG_SUM, a + b);
    set(COOKIE_LAST, bpf_get_attach_cookie(ctx));
    return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(on_probed_add_return, int ret)
{
    add(URETPROBE_CALLS, 1);
    set(URETPROBE_LAST, ret);
    return 0;
}

SEC("uprobe")
int on_libc_call(struct pt_regs *ctx)
{
    add(LIBC_CALLS, 1);
    return 0;
}

SEC("usdt")
int BPF_USDT(on_tick, int i, long total, int minus)
{
    add(USDT_CALLS, 1);
    add(USDT_ARG0_SUM, i);
    set(USDT_ARG1_LAST, total);
    set(USDT_ARG2_LAST, (__u64)(long)minus);
    set(USDT_COOKIE, bpf_usdt_cookie(ctx));
    return 0;
}

SEC("usdt")
int on_guarded(struct pt_regs *ctx)
{
    add(GUARDED_CALLS, 1);
    return 0;
}

SEC("usdt")
int BPF_USDT(on_twice, long value)
{
    add(TWICE_CALLS, 1);
    add(TWICE_SUM, value);
    return 0;
}

SEC("perf_event")
int on_clock(void *ctx)
{
    add(PERF_SAMPLES, 1);
    return 0;
}

SEC("kprobe")
int on_kernel_function(struct pt_regs *ctx)
{
    add(KPROBE_CALLS, 1);
    return 0;
}

SEC("uprobe.multi")
int on_many(struct pt_regs *ctx)
{
    add(MULTI_CALLS, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

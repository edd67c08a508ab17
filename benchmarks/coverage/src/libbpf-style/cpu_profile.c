// A perf_event sampling program collecting kernel and user stacks into a ring buffer record.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define STACK_DEPTH 32

struct stack_sample {
    __u32 pid;
    __u32 cpu;
    __s32 kernel_bytes;
    __s32 user_bytes;
    __u64 kernel_stack[STACK_DEPTH];
    __u64 user_stack[STACK_DEPTH];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} samples SEC(".maps");

SEC("perf_event")
int sample_stack(struct bpf_perf_event_data *ctx)
{
    struct stack_sample *s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);

    if (!s)
        return 1;
    s->pid = bpf_get_current_pid_tgid() >> 32;
    s->cpu = bpf_get_smp_processor_id();
    s->kernel_bytes = bpf_get_stack(ctx, s->kernel_stack, sizeof(s->kernel_stack), 0);
    s->user_bytes = bpf_get_stack(ctx, s->user_stack, sizeof(s->user_stack), BPF_F_USER_STACK);
    bpf_ringbuf_submit(s, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

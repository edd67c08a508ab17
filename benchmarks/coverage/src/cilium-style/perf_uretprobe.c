//go:build ignore

// A uretprobe on a user-space function (target given in Go at attach time) reporting through a perf event array
// declared with only its type (the loader sizes it to the CPUs) and the event type as value; PT_REGS_RC needs
// the architecture target (bpf2go -target amd64).
#include "common.h"
#include <asm/ptrace.h>
#include <bpf/bpf_tracing.h>

struct line_event {
    u32 pid;
    u8 line[80];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __type(value, struct line_event);
} events SEC(".maps");

const struct line_event *unused __attribute__((unused));

SEC("uretprobe/bash_readline")
int uretprobe_bash_readline(struct pt_regs *ctx)
{
    struct line_event event = {};

    if (!PT_REGS_RC(ctx))
        return 0;
    event.pid = bpf_get_current_pid_tgid() >> 32;
    bpf_probe_read_user(&event.line, sizeof(event.line), (void *)PT_REGS_RC(ctx));
    bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &event, sizeof(event));
    return 0;
}

char __license[] SEC("license") = "Dual MIT/GPL";

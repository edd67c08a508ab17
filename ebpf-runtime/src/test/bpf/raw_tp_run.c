// A raw tracepoint program test-run with a context: the tracepoint's arguments as an array of u64.
#include "fixture.h"

__u64 seen_sum = 0;
__u32 seen_cpu = 0xffffffff;

SEC("raw_tp/sys_enter")
int raw_tp_sum(struct bpf_raw_tracepoint_args *ctx)
{
    seen_sum = ctx->args[0] + ctx->args[1];
    seen_cpu = bpf_get_smp_processor_id();
    return (int)(ctx->args[0] * 2);
}

char __license[] SEC("license") = "Dual MIT/GPL";

// Two programs for one event, as objects written for libbpf carry alternatives (libbpf-tools' tp_btf/ and raw_tp/
// versions of each program, of which the tool loads one): attaching both runs both on every exec.
#include "fixture.h"

__u64 by_tracepoint;
__u64 by_raw_tracepoint;

SEC("tp/sched/sched_process_exec")
int exec_by_tracepoint(void *ctx)
{
    __sync_fetch_and_add(&by_tracepoint, 1);
    return 0;
}

SEC("raw_tp/sched_process_exec")
int exec_by_raw_tracepoint(void *ctx)
{
    __sync_fetch_and_add(&by_raw_tracepoint, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

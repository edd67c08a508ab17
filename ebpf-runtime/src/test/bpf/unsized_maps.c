// A stack-trace map without max_entries or value_size, as libbpf-tools' profilers declare it: user space picks the
// stack depth and table size before loading.
#include "fixture.h"

struct {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(key_size, sizeof(__u32));
} stacks SEC(".maps");

__s64 last_stack_id;

SEC("tracepoint/syscalls/sys_enter_getpid")
int record_stack(void *ctx)
{
    last_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

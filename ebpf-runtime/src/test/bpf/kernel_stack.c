// Records the kernel stack of this process's openat calls, for naming its frames with kallsyms.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 target_tgid = 0;
__u64 frames[32];
long stack_bytes;

SEC("tracepoint/syscalls/sys_enter_openat")
int record_stack(void *ctx)
{
    if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
        return 0;
    stack_bytes = bpf_get_stack(ctx, frames, sizeof(frames), 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

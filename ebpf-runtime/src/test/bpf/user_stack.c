// Records the user stack of the first call of the probed function, for naming its frames with the process's symbols.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

__u64 frames[32];
long stack_bytes;

SEC("uprobe")
int record_user_stack(struct pt_regs *ctx)
{
    if (stack_bytes == 0)
        stack_bytes = bpf_get_stack(ctx, frames, sizeof(frames), BPF_F_USER_STACK);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

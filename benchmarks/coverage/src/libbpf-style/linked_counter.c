// Half of an object linked from two files with `bpftool gen object` (run.sh): calls a global function and uses a
// map defined in linked_helper.c.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

extern __u64 bump(__u32 slot);

SEC("tp/syscalls/sys_enter_getpid")
int count_getpid(void *ctx)
{
    bump(0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

// The smallest libbpf-style program: a tracepoint in the short "tp/" form, a global set from user space, bpf_printk.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

int my_pid = 0;

SEC("tp/syscalls/sys_enter_write")
int handle_write(void *ctx)
{
    int pid = bpf_get_current_pid_tgid() >> 32;

    if (pid != my_pid)
        return 0;
    bpf_printk("write from pid %d", pid);
    return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

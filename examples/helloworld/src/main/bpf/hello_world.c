// SPDX-License-Identifier: GPL-2.0
/*
 * Says hello from every process that calls execve(2): each call writes one line to the kernel's trace buffer,
 * which user space reads from tracefs' trace_pipe.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tracepoint/syscalls/sys_enter_execve")
int say_hello(void *ctx)
{
    /* The upper half is the thread group id: what user space calls the process id. */
    int pid = bpf_get_current_pid_tgid() >> 32;

    bpf_printk("Hello world from %d", pid);
    return 0;
}

/* bpf_trace_printk is only offered to GPL-compatible programs. */
char LICENSE[] SEC("license") = "GPL";

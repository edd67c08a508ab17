// A CO-RE program as libbpf-tools write them: kernel types from vmlinux.h, which this project does not have.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_info {
    int pid;
    int parent_pid;
    char comm[16];
};

struct task_info last;

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(struct trace_event_raw_sys_enter *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    last.pid = BPF_CORE_READ(task, tgid);
    last.parent_pid = BPF_CORE_READ(task, real_parent, tgid);
    BPF_CORE_READ_STR_INTO(&last.comm, task, comm);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

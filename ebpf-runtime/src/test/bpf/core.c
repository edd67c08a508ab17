// CO-RE reads with vmlinux.h, BTF tracepoints, iterators and a kfunc, as libbpf-tools write them.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

struct task_info {
    pid_t pid;
    pid_t ppid;
    char comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} tasks SEC(".maps");

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
    struct task_info *info = bpf_ringbuf_reserve(&tasks, sizeof(*info), 0);
    if (!info)
        return 0;
    info->pid = BPF_CORE_READ(p, pid);
    info->ppid = BPF_CORE_READ(p, real_parent, tgid);
    bpf_core_read_str(info->comm, sizeof(info->comm), &p->comm);
    bpf_ringbuf_submit(info, 0);
    return 0;
}

SEC("tp_btf/task_newtask")
int BPF_PROG(on_newtask, struct task_struct *task, u64 clone_flags)
{
    struct task_struct *acquired = bpf_task_acquire(task);
    if (acquired)
        bpf_task_release(acquired);
    if (bpf_core_field_exists(task->pid))
        return 0;
    return 1;
}

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
    struct task_struct *task = ctx->task;
    if (!task)
        return 0;
    BPF_SEQ_PRINTF(ctx->meta->seq, "%d\n", task->pid);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

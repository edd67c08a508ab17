// BTF-typed programs: a task iterator printing with BPF_SEQ_PRINTF, tp_btf and raw_tp, and an LSM hook (the
// kernel may refuse LSM programs: EPERM).
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

__u64 switches = 0;

SEC("iter/task")
int dump_task(struct bpf_iter__task *ctx)
{
    struct seq_file *seq = ctx->meta->seq;
    struct task_struct *task = ctx->task;

    if (!task)
        return 0;
    BPF_SEQ_PRINTF(seq, "%8d %16s\n", task->pid, task->comm);
    return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
    __sync_fetch_and_add(&switches, 1);
    return 0;
}

SEC("raw_tp/sched_wakeup")
int on_wakeup(struct bpf_raw_tracepoint_args *ctx)
{
    __sync_fetch_and_add(&switches, 1);
    return 0;
}

SEC("lsm/bprm_committed_creds")
int BPF_PROG(exec_audit, struct linux_binprm *bprm)
{
    bpf_printk("exec %s", bprm->filename);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

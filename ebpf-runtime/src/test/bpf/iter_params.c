// Iterators that take parameters (Linux 6.1+): a task iterator printing "<tgid> <tid>" per thread, to be limited to a
// process or a thread, and a cgroup iterator printing the id of each cgroup it walks.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("iter/task")
int threads(struct bpf_iter__task *ctx)
{
    struct task_struct *task = ctx->task;

    if (task)
        BPF_SEQ_PRINTF(ctx->meta->seq, "%d %d\n", task->tgid, task->pid);
    return 0;
}

SEC("iter/cgroup")
int cgroups(struct bpf_iter__cgroup *ctx)
{
    struct cgroup *cgroup = ctx->cgroup;

    if (cgroup)
        BPF_SEQ_PRINTF(ctx->meta->seq, "%llu\n", cgroup->kn->id);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

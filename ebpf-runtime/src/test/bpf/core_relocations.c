// CO-RE as a portable program writes it without vmlinux.h: local types laid out nothing like the kernel's
// (a ___v1 flavor with reordered fields, a field the kernel lacks, a bitfield, a wider unsigned field), enums
// whose values differ from the kernel's, and type existence, size, id and match queries.
#include "fixture.h"
#include <bpf/bpf_core_read.h>

struct seq_file;

struct bpf_iter_meta {
    struct seq_file *seq;
    __u64 session_id;
    __u64 seq_num;
} __attribute__((preserve_access_index));

struct task_struct___v1 {
    char comm[16];
    int tgid;
    int pid;
    unsigned long long policy; /* 4 bytes, unsigned, in the kernel: the load shrinks */
    struct task_struct___v1 *real_parent;
    unsigned int sched_contributes_to_load: 1;
    unsigned int sched_reset_on_fork: 1;
    int no_such_field;
    long long prio; /* a signed int in the kernel: a load of it cannot shrink */
} __attribute__((preserve_access_index));

struct bpf_iter__task {
    struct bpf_iter_meta *meta;
    struct task_struct___v1 *task;
} __attribute__((preserve_access_index));

enum pid_type___v1 {
    PIDTYPE_SID___v1 = 0,
    PIDTYPE_PID___v1 = 1,
    PIDTYPE_NOT_IN_KERNEL___v1 = 2,
};

struct list_head___same {
    struct list_head___same *next, *prev;
};

struct list_head___other {
    int next;
};

struct no_such_type___v1 {
    int x;
};

/* In vmlinux when veth is built in, in the veth module's split BTF when it is a module. */
struct veth_priv {
    unsigned int requested_headroom;
} __attribute__((preserve_access_index));

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
    struct seq_file *seq = ctx->meta->seq;
    struct task_struct___v1 *task = ctx->task;

    if (ctx->meta->seq_num == 0) {
        BPF_SEQ_PRINTF(seq, "types %d %d %d\n", bpf_core_type_exists(struct task_struct___v1),
                       bpf_core_type_exists(struct no_such_type___v1), bpf_core_type_size(struct task_struct___v1));
#if __clang_major__ >= 15
        BPF_SEQ_PRINTF(seq, "matches %d %d\n", bpf_core_type_matches(struct list_head___same),
                       bpf_core_type_matches(struct list_head___other));
#endif
        BPF_SEQ_PRINTF(seq, "ids %u %u\n", bpf_core_type_id_kernel(struct task_struct___v1),
                       bpf_core_type_id_local(struct task_struct___v1));
        BPF_SEQ_PRINTF(seq, "enums %d %d %d\n", bpf_core_enum_value(enum pid_type___v1, PIDTYPE_SID___v1),
                       bpf_core_enum_value_exists(enum pid_type___v1, PIDTYPE_PID___v1),
                       bpf_core_enum_value_exists(enum pid_type___v1, PIDTYPE_NOT_IN_KERNEL___v1));
        BPF_SEQ_PRINTF(seq, "fields %d %d %d %d %d\n", bpf_core_field_exists(task->no_such_field),
                       bpf_core_field_exists(task->pid), bpf_core_field_size(task->comm),
                       __builtin_preserve_field_info(task->pid, BPF_FIELD_SIGNED),
                       __builtin_preserve_field_info(task->policy, BPF_FIELD_SIGNED));
        /* Guarded: where no BTF has veth_priv the offset's relocation is poisoned, and the verifier drops it. */
        BPF_SEQ_PRINTF(seq, "module %d %d %d\n", bpf_core_type_exists(struct veth_priv),
                       bpf_core_type_size(struct veth_priv),
                       bpf_core_type_exists(struct veth_priv)
                               ? (int)bpf_core_field_offset(struct veth_priv, requested_headroom) : -1);
    }
    if (!task)
        return 0;
    int ppid = BPF_CORE_READ(task, real_parent, tgid);
    unsigned long long reset = BPF_CORE_READ_BITFIELD_PROBED(task, sched_reset_on_fork);
    BPF_SEQ_PRINTF(seq, "task %d %d %d %llu %llu %s\n", task->pid, task->tgid, ppid, reset, task->policy,
                   task->comm);
    return 0;
}

/* Reads a field the kernel does not have, unguarded: the verifier reaches the poisoned instruction. */
SEC("?iter/task")
int read_missing(struct bpf_iter__task *ctx)
{
    struct task_struct___v1 *task = ctx->task;
    if (!task)
        return 0;
    BPF_SEQ_PRINTF(ctx->meta->seq, "%d\n", task->no_such_field);
    return 0;
}

/* Reads a signed field declared wider than the kernel's: the load cannot shrink, so it is poisoned. */
SEC("?iter/task")
int read_prio_wide(struct bpf_iter__task *ctx)
{
    struct task_struct___v1 *task = ctx->task;
    if (!task)
        return 0;
    BPF_SEQ_PRINTF(ctx->meta->seq, "%lld\n", task->prio);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

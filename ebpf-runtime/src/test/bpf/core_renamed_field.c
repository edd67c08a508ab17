// A field a kernel renamed (task_struct.state became __state in 5.14), read the libbpf-tools way: two flavors of the
// type, an existence check, and the old name in the branch the check rules out. Plus one read of a field no
// kernel has, without a check: a real failure.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_struct___new {
    unsigned int __state;
} __attribute__((preserve_access_index));

struct task_struct___old {
    long state;
} __attribute__((preserve_access_index));

struct task_struct___bogus {
    int no_kernel_has_this_field;
} __attribute__((preserve_access_index));

__s64 last_state = 0;
__s64 bogus = 0;

static __always_inline __s64 task_state(void *task)
{
    struct task_struct___new *t = task;
    if (bpf_core_field_exists(t->__state))
        return BPF_CORE_READ(t, __state);
    return BPF_CORE_READ((struct task_struct___old *)task, state);
}

SEC("tp_btf/sched_switch")
int on_switch(u64 *ctx)
{
    struct task_struct *prev = (struct task_struct *)ctx[1];
    last_state = task_state(prev);
    return 0;
}

SEC("tp_btf/sched_wakeup")
int unguarded(u64 *ctx)
{
    bogus = BPF_CORE_READ((struct task_struct___bogus *)ctx[0], no_kernel_has_this_field);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

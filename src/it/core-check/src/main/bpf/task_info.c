// A CO-RE program: every field it reads from task_struct is relocated against the kernel it runs on.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct task_info {
    __u32 pid;
    __u32 parent_tgid;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct task_info);
} last_exec SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int record_exec(void *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    __u32 key = 0;
    struct task_info info = {
        .pid = BPF_CORE_READ(task, pid),
        .parent_tgid = BPF_CORE_READ(task, real_parent, tgid),
    };
    bpf_map_update_elem(&last_exec, &key, &info, BPF_ANY);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

// Process start/exit events through a ring buffer (untyped, sized in the object), a hash of start times with
// key/value types, a read-only configuration constant and CO-RE reads of task_struct.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

struct lifetime_event {
    int pid;
    int ppid;
    unsigned exit_code;
    unsigned long long duration_ns;
    char comm[16];
    bool exit_event;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 8192);
    __type(key, pid_t);
    __type(value, u64);
} started SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} lifetime_events SEC(".maps");

const volatile unsigned long long min_duration_ns = 0;

SEC("tp/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    pid_t pid = bpf_get_current_pid_tgid() >> 32;
    u64 now = bpf_ktime_get_ns();
    struct lifetime_event *e;

    bpf_map_update_elem(&started, &pid, &now, BPF_ANY);
    if (min_duration_ns)
        return 0;
    e = bpf_ringbuf_reserve(&lifetime_events, sizeof(*e), 0);
    if (!e)
        return 0;
    e->exit_event = false;
    e->pid = pid;
    e->ppid = BPF_CORE_READ(task, real_parent, tgid);
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    bpf_ringbuf_submit(e, 0);
    return 0;
}

SEC("tp/sched/sched_process_exit")
int on_exit(struct trace_event_raw_sched_process_template *ctx)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    u64 id = bpf_get_current_pid_tgid();
    pid_t pid = id >> 32;
    struct lifetime_event *e;
    u64 *start, duration = 0;

    if (pid != (u32)id)
        return 0; /* a thread, not the process */
    start = bpf_map_lookup_elem(&started, &pid);
    if (start)
        duration = bpf_ktime_get_ns() - *start;
    else if (min_duration_ns)
        return 0;
    bpf_map_delete_elem(&started, &pid);
    if (min_duration_ns && duration < min_duration_ns)
        return 0;
    e = bpf_ringbuf_reserve(&lifetime_events, sizeof(*e), 0);
    if (!e)
        return 0;
    e->exit_event = true;
    e->duration_ns = duration;
    e->pid = pid;
    e->ppid = BPF_CORE_READ(task, real_parent, tgid);
    e->exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

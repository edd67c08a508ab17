// SPDX-License-Identifier: GPL-2.0
/* Counts execs and sends one event per exec: the object of an application that is a named Java module. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct exec_event {
    __u32 pid;
    char comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 64 * 1024);
    __type(value, struct exec_event);
} exec_events SEC(".maps");

__u64 execs = 0;

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
    __sync_fetch_and_add(&execs, 1);
    struct exec_event *e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
    if (!e)
        return 0;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

//go:build ignore

// A ring buffer declared with the event type as its value (so bpf2go generates the Go type), and the unused
// pointer that keeps the type in BTF.
#include "common.h"

struct exec_event {
    u32 pid;
    u8 comm[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 24);
    __type(value, struct exec_event);
} events SEC(".maps");

const struct exec_event *unused __attribute__((unused));

SEC("kprobe/sys_execve")
int kprobe_execve_ring(void *ctx)
{
    struct exec_event *e = bpf_ringbuf_reserve(&events, sizeof(struct exec_event), 0);

    if (!e)
        return 0;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    bpf_get_current_comm(&e->comm, sizeof(e->comm));
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char __license[] SEC("license") = "Dual MIT/GPL";

//go:build ignore

// fentry on tcp_connect reading the raw argument array (no vmlinux.h), reporting through a ring buffer with the
// event type as value; the kernel may refuse trampolines (EPERM).
#include "common.h"

struct connect_event {
    u64 sock;
    u32 pid;
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
    __type(value, struct connect_event);
} connects SEC(".maps");

SEC("fentry/tcp_connect")
int tcp_connect_entry(u64 *ctx)
{
    struct connect_event *e = bpf_ringbuf_reserve(&connects, sizeof(*e), 0);

    if (!e)
        return 0;
    e->sock = ctx[0];
    e->pid = bpf_get_current_pid_tgid() >> 32;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char __license[] SEC("license") = "Dual MIT/GPL";

// SPDX-License-Identifier: GPL-2.0
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct location {
    __u32 line;
    __u16 column;
};

struct event {
    __u32 pid;
    __u8 kind;
    __u64 timestamp_ns;
    char comm[16];
    struct location where;
    __u32 counts[3];
};

/*
 * Only this ring buffer carries struct event: naming it as the value type puts it into the BTF (a cast of
 * bpf_ringbuf_reserve() alone does not), and the loader leaves the type out when it creates the ring buffer.
 */
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
    __type(value, struct event);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int on_exec(void *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    __builtin_memset(e, 0, sizeof(*e));
    e->pid = bpf_get_current_pid_tgid() >> 32;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

// SPDX-License-Identifier: GPL-2.0
/* The libbpf-tools shape: struct event only travels through bpf_ringbuf_reserve(), so clang leaves it out of BTF. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "ringbuf_event.h"

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} events SEC(".maps");

const volatile int target_tgid = 0;

SEC("tracepoint/syscalls/sys_enter_openat")
int handle_openat(void *ctx)
{
    int tgid = bpf_get_current_pid_tgid() >> 32;
    enum phase phase = PHASE_EXIT;
    stats_t stats = { .count = 1, .flags = 2 };
    struct event *e;

    if (tgid != target_tgid)
        return 0;
    e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0;
    e->pid = tgid;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    e->ts = phase * 1000 + stats.count * 10 + stats.flags;
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

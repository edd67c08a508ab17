// SPDX-License-Identifier: GPL-2.0
/*
 * A source that includes headers of its own project, as libbpf-tools' execsnoop.bpf.c includes execsnoop.h
 * (ARGSIZE, TASK_COMM_LEN) and runqlat.bpf.c runqlat.h (MAX_SLOTS): their integer #defines become constants
 * beside the source's own. Those of vmlinux.h, of libbpf's bpf/ headers and of include directories outside the
 * source directory do not, even where those files sit in the source directory.
 */
#include "vmlinux.h"
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpf/extra_helpers.h"
#include "outside.h"
#include "snoop.h"

#define MAX_ENTRIES 64

struct event {
    char comm[TASK_COMM_LEN];
    char args[ARGSIZE];
    __u32 slots[MAX_SLOTS];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096 * MAX_ENTRIES);
    __type(value, struct event);
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int snoop_exec(void *ctx)
{
    return VMLINUX_ONLY + HELPERS_ONLY + OUTSIDE_ONLY;
}

char LICENSE[] SEC("license") = "GPL";

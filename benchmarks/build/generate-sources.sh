#!/usr/bin/env bash
# Writes a project of 20 libbpf-tools style eBPF programs into $1/src/main/bpf: each includes a full vmlinux.h dumped
# from the running kernel, libbpf's bpf_helpers.h, bpf_tracing.h and bpf_core_read.h, then its own header, and has
# hash, per-CPU array and ring buffer maps, .rodata constants, and entry/exit tracepoint programs with CO-RE reads.
set -euo pipefail
dir="$1/src/main/bpf"
mkdir -p "$dir"
bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$dir/vmlinux.h"

syscalls=(execve openat read write close clone3 mmap munmap connect accept4 sendto recvfrom unlinkat mkdirat
          renameat2 fchmodat kill nanosleep futex epoll_wait)
for i in $(seq 0 19); do
    sc=${syscalls[$i]}
    name="tool${i}_${sc}"
    cat > "$dir/$name.h" <<H
#ifndef __${name^^}_H
#define __${name^^}_H
#define TASK_COMM_LEN 16
#define MAX_SLOTS 26
struct ${name}_event {
    pid_t pid;
    pid_t ppid;
    uid_t uid;
    int ret;
    __u64 delta_us;
    __u64 ts;
    char comm[TASK_COMM_LEN];
    char pcomm[TASK_COMM_LEN];
};
struct ${name}_hist {
    __u32 slots[MAX_SLOTS];
};
#endif
H
    cat > "$dir/$name.c" <<C
// SPDX-License-Identifier: GPL-2.0
/* Benchmark program $i: latency and events of the $sc system call, in the style of libbpf-tools. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "$name.h"

const volatile pid_t targ_pid = 0;
const volatile uid_t targ_uid = -1;
const volatile bool targ_failed = false;
const volatile __u64 min_us = $((i * 10));

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, u32);
    __type(value, u64);
} start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u32);
    __type(value, struct ${name}_hist);
} hists SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, struct ${name}_event);
} heap SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline u64 log2l(u64 v)
{
    u64 r = 0;
    while (v > 1 && r < MAX_SLOTS - 1) {
        v >>= 1;
        r++;
    }
    return r;
}

static __always_inline bool wanted(void)
{
    u64 id = bpf_get_current_pid_tgid();
    u32 uid = (u32)bpf_get_current_uid_gid();
    if (targ_pid && targ_pid != (pid_t)(id >> 32))
        return false;
    if (targ_uid != (uid_t)-1 && targ_uid != uid)
        return false;
    return true;
}

SEC("tracepoint/syscalls/sys_enter_$sc")
int handle_enter(struct trace_event_raw_sys_enter *ctx)
{
    u32 tid = (u32)bpf_get_current_pid_tgid();
    u64 ts = bpf_ktime_get_ns();
    if (!wanted())
        return 0;
    bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
    return 0;
}

SEC("tracepoint/syscalls/sys_exit_$sc")
int handle_exit(struct trace_event_raw_sys_exit *ctx)
{
    u32 zero = 0, tid = (u32)bpf_get_current_pid_tgid();
    u64 *tsp = bpf_map_lookup_elem(&start, &tid);
    if (!tsp)
        return 0;
    u64 delta_us = (bpf_ktime_get_ns() - *tsp) / 1000;
    bpf_map_delete_elem(&start, &tid);
    if (delta_us < min_us || (targ_failed && ctx->ret >= 0))
        return 0;

    u32 key = (u32)(bpf_get_current_pid_tgid() >> 32);
    struct ${name}_hist *hist = bpf_map_lookup_elem(&hists, &key);
    if (hist)
        __sync_fetch_and_add(&hist->slots[log2l(delta_us)], 1);

    struct ${name}_event *e = bpf_map_lookup_elem(&heap, &zero);
    if (!e)
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task();
    e->pid = key;
    e->ppid = BPF_CORE_READ(task, real_parent, tgid);
    e->uid = BPF_CORE_READ(task, cred, uid.val);
    e->ret = ctx->ret;
    e->delta_us = delta_us;
    e->ts = bpf_ktime_get_ns();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    BPF_CORE_READ_STR_INTO(&e->pcomm, task, real_parent, comm);
    bpf_ringbuf_output(&events, e, sizeof(*e), 0);
    return 0;
}

SEC("raw_tracepoint/sched_process_exit")
int handle_task_exit(struct bpf_raw_tracepoint_args *ctx)
{
    struct task_struct *task = (struct task_struct *)ctx->args[0];
    u32 pid = BPF_CORE_READ(task, tgid);
    bpf_map_delete_elem(&hists, &pid);
    return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
C
done

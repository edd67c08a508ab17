// execsnoop: one event per exec on the machine, written to a ring buffer by a program on the sched_process_exec
// tracepoint. The Java side reads the events as the generated record Execsnoop.Event.
#include <linux/bpf.h>
#include <linux/types.h>
#include <bpf/bpf_helpers.h>

#define FILENAME_LEN 128

struct event {
    __u32 pid;          // the process (thread group) that called exec
    __u32 uid;
    __u64 timestamp_ns; // CLOCK_MONOTONIC, as bpf_ktime_get_ns() and Java's System.nanoTime() read it
    char comm[16];      // the command name after the exec
    char filename[FILENAME_LEN];
};

// A ring buffer of 256 KiB, declared with the event type as cilium/ebpf's examples do: the loader creates the map
// without it, and the type still gets a Java record.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
    __type(value, struct event);
} events SEC(".maps");

// The tracepoint's fields (tracefs events/sched/sched_process_exec/format): the common header, then the filename
// as a __data_loc (offset from the start of the record in the low 16 bits, length in the high 16), pid, old_pid.
struct sched_process_exec_args {
    __u16 common_type;
    __u8 common_flags;
    __u8 common_preempt_count;
    __s32 common_pid;
    __u32 filename_loc;
    __s32 pid;
    __s32 old_pid;
};

SEC("tracepoint/sched/sched_process_exec")
int trace_exec(struct sched_process_exec_args *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return 0; // the ring is full: Java is behind; this event is dropped
    e->pid = bpf_get_current_pid_tgid() >> 32;
    e->uid = (__u32)bpf_get_current_uid_gid();
    e->timestamp_ns = bpf_ktime_get_ns();
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), (void *)ctx + (ctx->filename_loc & 0xFFFF));
    bpf_ringbuf_submit(e, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

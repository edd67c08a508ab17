// Ring buffers for RingBufferReaderTest: exec events written by a tracepoint (declared with the record type, as
// cilium/ebpf's examples do), and records of any size with a checksummable pattern, written when the test runs
// `emit` through BPF_PROG_TEST_RUN.
#include "fixture.h"

#define MAX_RECORD 1024

struct event {
    __u32 pid;
    char comm[16];
    __u64 ts;
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
    __type(value, struct event);
} exec_events SEC(".maps");

// Sized by the test (LoadOptions.maxEntries): two pages, so records wrap its end often.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 8192);
} small_ring SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16384);
} second_ring SEC(".maps");

struct scratch {
    __u8 bytes[MAX_RECORD];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct scratch);
} scratch SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
    struct event *e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
    if (!e)
        return 0;
    e->pid = bpf_get_current_pid_tgid() >> 32;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    e->ts = bpf_ktime_get_ns();
    bpf_ringbuf_submit(e, 0);
    return 0;
}

// args[0]: sequence number; args[1]: payload size, 8 to MAX_RECORD - 1; args[2]: 1 to reserve 64 bytes and discard
// them instead; args[3]: 1 to write to second_ring. Byte i of the payload is (seq * 131 + i * 7) & 0xff, except the
// first 8 bytes: the sequence number and the size, 32 bits each. Returns 0, or 1 when the ring had no room.
SEC("raw_tp/sys_enter")
int emit(__u64 *args)
{
    __u64 seq = args[0];
    __u64 size = args[1];
    __u32 zero = 0;

    if (args[2]) {
        __u64 *r = bpf_ringbuf_reserve(&small_ring, 64, 0);
        if (!r)
            return 1;
        r[0] = seq;
        bpf_ringbuf_discard(r, 0);
        return 0;
    }
    struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
    if (!s || size < 8 || size >= MAX_RECORD)
        return 2;
    for (int i = 8; i < MAX_RECORD; i++) {
        if (i >= size)
            break;
        s->bytes[i] = (seq * 131 + i * 7) & 0xff;
    }
    *(__u32 *)&s->bytes[0] = seq;
    *(__u32 *)&s->bytes[4] = size;
    long err = args[3] ? bpf_ringbuf_output(&second_ring, s, size & (MAX_RECORD - 1), 0)
                       : bpf_ringbuf_output(&small_ring, s, size & (MAX_RECORD - 1), 0);
    return err ? 1 : 0;
}

char LICENSE[] SEC("license") = "GPL";

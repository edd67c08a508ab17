// A user ring buffer for UserRingBufferTest: Java writes commands, `drain` (run through BPF_PROG_TEST_RUN) takes them
// with bpf_user_ringbuf_drain and answers each through a ring buffer, so the test sees what the kernel read.
#include "fixture.h"

struct command {
    __u64 id;
    __u64 value;
};

struct answer {
    __u64 id;
    __u64 doubled;
    __u64 size;
};

struct {
    __uint(type, BPF_MAP_TYPE_USER_RINGBUF);
    __uint(max_entries, 16384);
} commands SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 65536);
} answers SEC(".maps");

static long answer_command(struct bpf_dynptr *dynptr, void *ctx)
{
    struct command cmd;
    struct answer *a;

    if (bpf_dynptr_read(&cmd, sizeof(cmd), dynptr, 0, 0))
        return 0;
    a = bpf_ringbuf_reserve(&answers, sizeof(*a), 0);
    if (!a)
        return 1; // stop draining: no room to answer
    a->id = cmd.id;
    a->doubled = cmd.value * 2;
    a->size = sizeof(cmd);
    bpf_ringbuf_submit(a, 0);
    return 0;
}

// Returns how many samples bpf_user_ringbuf_drain passed to the callback, or minus an errno.
SEC("raw_tp/sys_enter")
int drain(void *ctx)
{
    return bpf_user_ringbuf_drain(&commands, answer_command, (void *)0, 0);
}

char LICENSE[] SEC("license") = "GPL";

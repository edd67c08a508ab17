// SPDX-License-Identifier: GPL-2.0
/*
 * The producers of the event benchmarks: socket filter programs that, run through BPF_PROG_TEST_RUN with repeat = N,
 * write N records of 64 or 1024 bytes to a ring buffer or to the perf event array (on the CPU the test run is on).
 * (Socket filters rather than XDP: an XDP test run updates the XDP dispatcher, an IPI to every CPU per run.) Java
 * (RingBufferConsumeBenchmark, PerfBufferConsumeBenchmark) and C (c/events.c, libbpf) consume the same records
 * from the same object, so both sides read what the kernel wrote in exactly the same way. InterleavedConsume has the
 * perf readers take turns in one process; there libbpf reads perf_c, which perf_c_64 and perf_c_1024 write.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_RECORD 1024

// 8 MiB: room for a batch of 4096 records of 1 KiB with their headers.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 8 * 1024 * 1024);
} ring SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} perf SEC(".maps");

// The same for libbpf's perf reader in InterleavedConsume: both readers install their own perf events in an array,
// so each needs its own (written by the perf_c_* programs, the same code as perf_*).
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} perf_c SEC(".maps");

struct record {
    __u64 seq;
    __u8 payload[MAX_RECORD - 8];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct record);
} scratch SEC(".maps");

static __always_inline struct record *next_record(void)
{
    __u32 zero = 0;
    struct record *r = bpf_map_lookup_elem(&scratch, &zero);
    if (r)
        r->seq++;
    return r;
}

// One record of size bytes (a constant once inlined, as the helpers want) to the ring buffer.
static __always_inline void ring_record(__u32 size)
{
    struct record *r = next_record();
    if (r)
        bpf_ringbuf_output(&ring, r, size, 0);
}

// One record of size bytes to a perf event array, on the CPU the program runs on.
static __always_inline void perf_record(struct __sk_buff *ctx, void *array, __u32 size)
{
    struct record *r = next_record();
    if (r)
        bpf_perf_event_output(ctx, array, BPF_F_CURRENT_CPU, r, size);
}

SEC("socket")
int ring_64(struct __sk_buff *ctx)
{
    ring_record(64);
    return 0;
}

SEC("socket")
int ring_1024(struct __sk_buff *ctx)
{
    ring_record(1024);
    return 0;
}

SEC("socket")
int perf_64(struct __sk_buff *ctx)
{
    perf_record(ctx, &perf, 64);
    return 0;
}

SEC("socket")
int perf_1024(struct __sk_buff *ctx)
{
    perf_record(ctx, &perf, 1024);
    return 0;
}

SEC("socket")
int perf_c_64(struct __sk_buff *ctx)
{
    perf_record(ctx, &perf_c, 64);
    return 0;
}

SEC("socket")
int perf_c_1024(struct __sk_buff *ctx)
{
    perf_record(ctx, &perf_c, 1024);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";

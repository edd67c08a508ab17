// A perf event array for PerfEventReaderTest: samples of any size with a checksummable pattern, written on the CPU
// the test runs `emit_sample` on (BPF_PROG_TEST_RUN with BPF_F_TEST_RUN_ON_CPU).
#include "fixture.h"

#define MAX_SAMPLE 1024

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} samples SEC(".maps");

// Declared with its types, as cilium/ebpf's examples name the sample type: the loader drops them at creation.
struct sample_header {
    __u32 seq;
    __u32 size;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __type(key, int);
    __type(value, struct sample_header);
} typed_samples SEC(".maps");

struct sample {
    __u8 bytes[MAX_SAMPLE];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct sample);
} scratch SEC(".maps");

// args[0]: sequence number; args[1]: payload size, 8 to MAX_SAMPLE - 1. Byte i is (seq * 131 + i * 7) & 0xff, except
// the first 8: the sequence number and the size, 32 bits each. Returns what bpf_perf_event_output returned: 0, or
// minus an errno (-ENOSPC when the ring was full, -ENOENT when the array holds no event for this CPU).
SEC("raw_tp/sys_enter")
int emit_sample(__u64 *args)
{
    __u64 seq = args[0];
    __u64 size = args[1];
    __u32 zero = 0;
    struct sample *s = bpf_map_lookup_elem(&scratch, &zero);
    if (!s || size < 8 || size >= MAX_SAMPLE)
        return -22;
    for (int i = 8; i < MAX_SAMPLE; i++) {
        if (i >= size)
            break;
        s->bytes[i] = (seq * 131 + i * 7) & 0xff;
    }
    *(__u32 *)&s->bytes[0] = seq;
    *(__u32 *)&s->bytes[4] = size;
    return bpf_perf_event_output(args, &samples, BPF_F_CURRENT_CPU, s, size & (MAX_SAMPLE - 1));
}

char LICENSE[] SEC("license") = "GPL";

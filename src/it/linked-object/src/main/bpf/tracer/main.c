// Linked with helpers.c into one object, tracer: the program calls record() of helpers.c; helpers.c calls
// scale() of this file and updates the map defined here.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __type(key, __u32);
    __type(value, __u64);
    __uint(max_entries, 2);
} totals SEC(".maps");

/* In helpers.c. */
extern int record(__u32 slot, __u64 bytes);

/* helpers.c has a strong definition, which wins. */
__weak int multiplier(void)
{
    return 1;
}

__u64 runs = 0;
static volatile __u64 hits;

/* Called from helpers.c. */
__noinline int scale(int x)
{
    return x * multiplier();
}

SEC("xdp")
int count_frames(struct xdp_md *ctx)
{
    runs++;
    record(0, ctx->data_end - ctx->data);
    record(1, ++hits);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

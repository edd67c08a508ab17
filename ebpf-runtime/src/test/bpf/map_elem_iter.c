// An iterator over a map's elements: some sandboxes refuse such programs to root before verifying any instruction
// (EPERM, a log of "processed 0 insns"), which must read as a refusal, not as a verifier finding.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("iter/bpf_map_elem")
int sum_elements(struct bpf_iter__bpf_map_elem *ctx)
{
    __u64 *value = ctx->value;
    if (value)
        bpf_seq_write(ctx->meta->seq, value, sizeof(*value));
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
